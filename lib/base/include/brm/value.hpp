// The document tree that every loaded file becomes: YAML 1.2 core types with the
// line and column of each value, so that every finding can point at its place.
#pragma once

#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brm {

// 1-based; 0 means "no position" (a value built in memory, not read from a file).
struct Mark {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// One of null, bool, int, float, string, list or mapping, with its position. Only the
// member of its type is alive (a tagged union): a loaded repository holds millions of
// values, and carrying all seven members each was most of brm's memory.
class Value {
 public:
  enum class Type : std::uint8_t { Null, Bool, Int, Float, String, Sequence, Mapping };

  struct Entry;  // a mapping member: key, its position, and the value

  Value() noexcept {}
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();

  static Value null(Mark m = {});
  static Value boolean(bool b, Mark m = {});
  static Value integer(std::int64_t i, Mark m = {});
  // A number that is not an int64: a fraction, an exponent, or an integer too big for
  // int64 (then is_integral() still says so; no silent overflow).
  static Value floating(double d, Mark m = {});
  static Value string(std::string s, Mark m = {});
  static Value sequence(Mark m = {});
  static Value mapping(Mark m = {});

  Type type() const noexcept { return type_; }
  Mark mark() const noexcept { return mark_; }
  void set_mark(Mark m) noexcept { mark_ = m; }

  bool is_null() const noexcept { return type_ == Type::Null; }
  bool is_bool() const noexcept { return type_ == Type::Bool; }
  bool is_number() const noexcept { return type_ == Type::Int || type_ == Type::Float; }
  // An Int, or a Float with no fractional part (JSON Schema: 1.0 is an integer).
  bool is_integral() const noexcept;
  bool is_string() const noexcept { return type_ == Type::String; }
  bool is_sequence() const noexcept { return type_ == Type::Sequence; }
  bool is_mapping() const noexcept { return type_ == Type::Mapping; }

  // Asked of a value of another type, these answer false, 0, or an empty string, list
  // or mapping. A write through the empty one of another type is lost.
  bool as_bool() const noexcept { return type_ == Type::Bool && bool_; }
  std::int64_t as_int() const noexcept { return type_ == Type::Int ? int_ : 0; }
  double as_double() const noexcept;  // any number as double
  const std::string& as_string() const noexcept;
  std::string& as_string() noexcept;

  // Sequence items.
  const std::vector<Value>& items() const noexcept;
  std::vector<Value>& items() noexcept;
  void push_back(Value v);

  // Mapping members in file order.
  const std::vector<Entry>& entries() const noexcept;
  std::vector<Entry>& entries() noexcept;
  // nullptr when absent or when this is not a mapping.
  const Value* find(std::string_view key) const noexcept;
  Value* find(std::string_view key) noexcept;
  // Appends, or replaces the value of an existing key in place.
  Value& set(std::string key, Value v, Mark key_mark = {});
  bool erase(std::string_view key);

  std::size_t size() const noexcept;  // items, members, or 0 for scalars

  // Gives back the room lists and mappings keep for growth, in the whole tree: a tree
  // built item by item holds up to twice what it needs. For trees kept after parsing.
  void shrink_to_fit();

  // JSON equality: numbers compare by value (1 == 1.0), mappings ignore key order.
  friend bool operator==(const Value& a, const Value& b);

  // "null", "boolean", "integer", "number", "string", "array", "object"
  static std::string_view type_name(Type t) noexcept;
  // The value as it would read in a message: strings as they are, numbers in shortest form.
  std::string to_display() const;

 private:
  explicit Value(Type t, Mark m) noexcept;  // an empty value of type t
  // What the accessors of another type answer.
  static const std::string& no_text() noexcept;
  static std::string& no_text_to_write() noexcept;
  static const std::vector<Value>& no_items() noexcept;
  static std::vector<Value>& no_items_to_write() noexcept;
  static const std::vector<Entry>& no_entries() noexcept;
  static std::vector<Entry>& no_entries_to_write() noexcept;
  // Start the member of `other`'s type from it; this holds no live member yet.
  // Copies or moves, as `other` is passed.
  template <class V>
  void construct_from(V&& other);
  void destroy() noexcept;  // ends the live member; the type is left as it was

  Type type_ = Type::Null;
  Mark mark_{};
  union {
    bool bool_;
    std::int64_t int_;
    double float_;
    std::string text_;
    std::vector<Value> items_;
    std::vector<Entry> entries_;
  };
};

struct Value::Entry {
  std::string key;
  Mark key_mark;
  Value value;
};

// Out of the class: inside it, clang 14 instantiates C++20's constexpr vector members
// while Entry is still incomplete. Inline, because vectors of values move them often.
template <class V>
inline void Value::construct_from(V&& other) {
  switch (type_) {
    case Type::Null:
      break;
    case Type::Bool:
      bool_ = other.bool_;
      break;
    case Type::Int:
      int_ = other.int_;
      break;
    case Type::Float:
      float_ = other.float_;
      break;
    case Type::String:
      new (&text_) std::string(std::forward<V>(other).text_);
      break;
    case Type::Sequence:
      new (&items_) std::vector<Value>(std::forward<V>(other).items_);
      break;
    case Type::Mapping:
      new (&entries_) std::vector<Entry>(std::forward<V>(other).entries_);
      break;
  }
}

inline void Value::destroy() noexcept {
  switch (type_) {
    case Type::String:
      text_.~basic_string();
      break;
    case Type::Sequence:
      items_.~vector();
      break;
    case Type::Mapping:
      entries_.~vector();
      break;
    default:
      break;
  }
}

inline Value::Value(Value&& other) noexcept : type_(other.type_), mark_(other.mark_) {
  construct_from(std::move(other));
}

inline Value& Value::operator=(Value&& other) noexcept {
  if (this == &other) return *this;
  // `other` may live inside this tree (v = std::move(v.items()[0])): take it out first.
  Value taken(std::move(other));
  destroy();
  type_ = taken.type_;
  mark_ = taken.mark_;
  construct_from(std::move(taken));
  return *this;
}

inline Value::~Value() { destroy(); }

// Inline: schema validation and the rules ask these of every value.
inline const std::string& Value::as_string() const noexcept {
  return type_ == Type::String ? text_ : no_text();
}
inline std::string& Value::as_string() noexcept {
  return type_ == Type::String ? text_ : no_text_to_write();
}
inline const std::vector<Value>& Value::items() const noexcept {
  return type_ == Type::Sequence ? items_ : no_items();
}
inline std::vector<Value>& Value::items() noexcept {
  return type_ == Type::Sequence ? items_ : no_items_to_write();
}
inline const std::vector<Value::Entry>& Value::entries() const noexcept {
  return type_ == Type::Mapping ? entries_ : no_entries();
}
inline std::vector<Value::Entry>& Value::entries() noexcept {
  return type_ == Type::Mapping ? entries_ : no_entries_to_write();
}

inline void Value::push_back(Value v) { items().push_back(std::move(v)); }

// The keys of two mappings whose values differ, were added or were removed: the keys of
// `after` in its order, then the ones only `before` had. What `brm KIND edit` reports.
std::vector<std::string> changed_keys(const Value& before, const Value& after);

// A whole number (4, or 4.0 as JSON Schema's integer allows) as an int64; nullopt for a
// missing value, a fraction or anything not a number. How scores and scales are read.
std::optional<std::int64_t> whole_number(const Value* v);

}  // namespace brm

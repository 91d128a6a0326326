// The document tree that every loaded file becomes: YAML 1.2 core types with the
// line and column of each value, so that every finding can point at its place.
#pragma once

#include <cstdint>
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

class Value {
 public:
  enum class Type : std::uint8_t { Null, Bool, Int, Float, String, Sequence, Mapping };

  struct Entry;  // a mapping member: key, its position, and the value

  Value() = default;
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

  bool as_bool() const noexcept { return bool_; }
  std::int64_t as_int() const noexcept { return int_; }
  double as_double() const noexcept;  // any number as double
  const std::string& as_string() const noexcept { return text_; }
  std::string& as_string() noexcept { return text_; }

  // Sequence items.
  const std::vector<Value>& items() const noexcept { return items_; }
  std::vector<Value>& items() noexcept { return items_; }
  void push_back(Value v);

  // Mapping members in file order.
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  std::vector<Entry>& entries() noexcept { return entries_; }
  // nullptr when absent or when this is not a mapping.
  const Value* find(std::string_view key) const noexcept;
  Value* find(std::string_view key) noexcept;
  // Appends, or replaces the value of an existing key in place.
  Value& set(std::string key, Value v, Mark key_mark = {});
  bool erase(std::string_view key);

  std::size_t size() const noexcept;  // items, members, or 0 for scalars

  // JSON equality: numbers compare by value (1 == 1.0), mappings ignore key order.
  friend bool operator==(const Value& a, const Value& b);

  // "null", "boolean", "integer", "number", "string", "array", "object"
  static std::string_view type_name(Type t) noexcept;
  // The value as it would read in a message: strings as they are, numbers in shortest form.
  std::string to_display() const;

 private:
  Type type_ = Type::Null;
  bool bool_ = false;
  Mark mark_{};
  std::int64_t int_ = 0;
  double float_ = 0.0;
  std::string text_;
  std::vector<Value> items_;
  std::vector<Entry> entries_;
};

struct Value::Entry {
  std::string key;
  Mark key_mark;
  Value value;
};

// Out of the class: inside it, clang 14 instantiates C++20's constexpr vector members
// while Entry is still incomplete.
inline void Value::push_back(Value v) { items_.push_back(std::move(v)); }

}  // namespace brm

// The document tree: construction, lookup, JSON equality and display text.
#include "brm/value.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace brm {

Value::Value(Type t, Mark m) noexcept : type_(t), mark_(m) {
  switch (t) {
    case Type::Bool:
      bool_ = false;
      break;
    case Type::Int:
      int_ = 0;
      break;
    case Type::Float:
      float_ = 0.0;
      break;
    case Type::String:
      new (&text_) std::string();
      break;
    case Type::Sequence:
      new (&items_) std::vector<Value>();
      break;
    case Type::Mapping:
      new (&entries_) std::vector<Entry>();
      break;
    case Type::Null:
      break;
  }
}

Value::Value(const Value& other) : type_(other.type_), mark_(other.mark_) { construct_from(other); }

Value& Value::operator=(const Value& other) {
  // Copied first: `other` may live inside this tree, and a failed copy leaves this whole.
  if (this != &other) *this = Value(other);
  return *this;
}

Value Value::null(Mark m) { return Value(Type::Null, m); }

Value Value::boolean(bool b, Mark m) {
  Value v(Type::Bool, m);
  v.bool_ = b;
  return v;
}

Value Value::integer(std::int64_t i, Mark m) {
  Value v(Type::Int, m);
  v.int_ = i;
  return v;
}

Value Value::floating(double d, Mark m) {
  Value v(Type::Float, m);
  v.float_ = d;
  return v;
}

Value Value::string(std::string s, Mark m) {
  Value v(Type::Null, m);
  new (&v.text_) std::string(std::move(s));
  v.type_ = Type::String;
  return v;
}

Value Value::sequence(Mark m) { return Value(Type::Sequence, m); }

Value Value::mapping(Mark m) { return Value(Type::Mapping, m); }

namespace {

// Handed out for writing by the accessors of another type. Per thread, and emptied on
// every use, so that a write through one (lost, as documented) is never seen by the
// next reader.
template <class T>
T& nothing() noexcept {
  thread_local T empty;
  empty = T();
  return empty;
}

}  // namespace

const std::string& Value::no_text() noexcept {
  static const std::string empty;
  return empty;
}

std::string& Value::no_text_to_write() noexcept { return nothing<std::string>(); }

const std::vector<Value>& Value::no_items() noexcept {
  static const std::vector<Value> empty;
  return empty;
}

std::vector<Value>& Value::no_items_to_write() noexcept { return nothing<std::vector<Value>>(); }

const std::vector<Value::Entry>& Value::no_entries() noexcept {
  static const std::vector<Entry> empty;
  return empty;
}

std::vector<Value::Entry>& Value::no_entries_to_write() noexcept {
  return nothing<std::vector<Entry>>();
}

void Value::shrink_to_fit() {
  if (type_ == Type::Sequence) {
    items_.shrink_to_fit();
    for (Value& v : items_) v.shrink_to_fit();
  } else if (type_ == Type::Mapping) {
    entries_.shrink_to_fit();
    for (Entry& e : entries_) e.value.shrink_to_fit();
  }
}

bool Value::is_integral() const noexcept {
  if (type_ == Type::Int) return true;
  return type_ == Type::Float && std::isfinite(float_) && std::trunc(float_) == float_;
}

double Value::as_double() const noexcept {
  if (type_ == Type::Int) return static_cast<double>(int_);
  if (type_ == Type::Float) return float_;
  return 0.0;
}

const Value* Value::find(std::string_view key) const noexcept {
  if (type_ != Type::Mapping) return nullptr;
  for (const Entry& e : entries_) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

Value* Value::find(std::string_view key) noexcept {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

Value& Value::set(std::string key, Value v, Mark key_mark) {
  std::vector<Entry>& entries = this->entries();
  for (Entry& e : entries) {
    if (e.key == key) {
      e.value = std::move(v);
      return e.value;
    }
  }
  entries.push_back(Entry{std::move(key), key_mark, std::move(v)});
  return entries.back().value;
}

bool Value::erase(std::string_view key) {
  if (type_ != Type::Mapping) return false;
  auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

std::size_t Value::size() const noexcept {
  if (type_ == Type::Sequence) return items_.size();
  if (type_ == Type::Mapping) return entries_.size();
  return 0;
}

namespace {

// Exact comparison of an int64 with a double: long double holds both without rounding
// on the platforms brm builds for (x87 extended or IEEE quad), so 2^63 and
// 9223372036854775807 stay different.
bool int_equals_double(std::int64_t i, double d) {
  if (!std::isfinite(d)) return false;
  return static_cast<long double>(i) == static_cast<long double>(d);
}

}  // namespace

bool operator==(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.type_ == Value::Type::Int && b.type_ == Value::Type::Int) return a.int_ == b.int_;
    if (a.type_ == Value::Type::Float && b.type_ == Value::Type::Float) return a.float_ == b.float_;
    if (a.type_ == Value::Type::Int) return int_equals_double(a.int_, b.float_);
    return int_equals_double(b.int_, a.float_);
  }
  if (a.type_ != b.type_) return false;
  switch (a.type_) {
    case Value::Type::Null:
      return true;
    case Value::Type::Bool:
      return a.bool_ == b.bool_;
    case Value::Type::String:
      return a.text_ == b.text_;
    case Value::Type::Sequence:
      return a.items_ == b.items_;
    case Value::Type::Mapping: {
      if (a.entries_.size() != b.entries_.size()) return false;
      // Keys are unique within a mapping, so same size plus every key of a matching in b
      // means the same set of members.
      for (const Value::Entry& e : a.entries_) {
        const Value* other = b.find(e.key);
        if (other == nullptr || !(e.value == *other)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

std::string_view Value::type_name(Type t) noexcept {
  switch (t) {
    case Type::Null:
      return "null";
    case Type::Bool:
      return "boolean";
    case Type::Int:
      return "integer";
    case Type::Float:
      return "number";
    case Type::String:
      return "string";
    case Type::Sequence:
      return "array";
    case Type::Mapping:
      return "object";
  }
  return "null";
}

std::string Value::to_display() const {
  switch (type_) {
    case Type::Null:
      return "null";
    case Type::Bool:
      return bool_ ? "true" : "false";
    case Type::Int:
      return fmt::format("{}", int_);
    case Type::Float:
      if (!std::isfinite(float_)) return std::isnan(float_) ? "nan" : (float_ > 0 ? "inf" : "-inf");
      return fmt::format("{}", float_);
    case Type::String:
      return text_;
    case Type::Sequence: {
      std::string out = "[";
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out += ", ";
        out += items_[i].is_string() ? "'" + items_[i].text_ + "'" : items_[i].to_display();
      }
      return out + "]";
    }
    case Type::Mapping: {
      std::string out = "{";
      for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (i > 0) out += ", ";
        const Value& v = entries_[i].value;
        out += entries_[i].key + ": " + (v.is_string() ? "'" + v.text_ + "'" : v.to_display());
      }
      return out + "}";
    }
  }
  return {};
}

std::vector<std::string> changed_keys(const Value& before, const Value& after) {
  std::vector<std::string> keys;
  for (const Value::Entry& e : after.entries()) {
    const Value* was = before.find(e.key);
    if (!was || !(*was == e.value)) keys.push_back(e.key);
  }
  for (const Value::Entry& e : before.entries())
    if (!after.find(e.key)) keys.push_back(e.key);
  return keys;
}

std::optional<std::int64_t> whole_number(const Value* v) {
  if (!v || !v->is_number() || !v->is_integral()) return std::nullopt;
  return v->type() == Value::Type::Int ? v->as_int() : static_cast<std::int64_t>(v->as_double());
}

}  // namespace brm

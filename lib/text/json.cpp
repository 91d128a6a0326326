// RFC 8259 JSON: a strict reader that keeps positions, and the writer behind
// `--format json`.
#include "brm/json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "brm/utf8.hpp"

namespace brm {
namespace {

// Nesting deeper than this is hostile input, not data; stop before the stack does.
constexpr int kMaxDepth = 512;

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  bool parse(Value* out, JsonError* error) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") advance(3);  // a BOM carries no data
    skip_space();
    bool ok = parse_value(out, 0);
    if (ok) {
      skip_space();
      if (pos_ < text_.size()) ok = fail("unexpected text after the JSON value");
    }
    if (!ok && error != nullptr) *error = error_;
    return ok;
  }

 private:
  Mark mark() const { return Mark{line_, column_}; }

  bool fail(std::string message) {
    if (error_.message.empty()) error_ = JsonError{mark(), std::move(message)};
    return false;
  }

  // Columns count code points, not bytes, so that they match what an editor shows.
  void advance(std::size_t n = 1) {
    for (std::size_t i = 0; i < n && pos_ < text_.size(); ++i, ++pos_) {
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '\n') {
        ++line_;
        column_ = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++column_;
      }
    }
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void skip_space() {
    while (!at_end()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      advance();
    }
  }

  bool parse_value(Value* out, int depth) {
    if (depth > kMaxDepth) return fail(fmt::format("nesting deeper than {} levels", kMaxDepth));
    if (at_end()) return fail("unexpected end of input, expected a value");
    Mark m = mark();
    switch (peek()) {
      case '{':
        return parse_object(out, depth);
      case '[':
        return parse_array(out, depth);
      case '"': {
        std::string s;
        if (!parse_string(&s)) return false;
        *out = Value::string(std::move(s), m);
        return true;
      }
      case 't':
        if (!expect_word("true")) return false;
        *out = Value::boolean(true, m);
        return true;
      case 'f':
        if (!expect_word("false")) return false;
        *out = Value::boolean(false, m);
        return true;
      case 'n':
        if (!expect_word("null")) return false;
        *out = Value::null(m);
        return true;
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return parse_number(out);
        return fail(fmt::format("unexpected character '{}', expected a value", peek()));
    }
  }

  bool expect_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("invalid literal, expected a value");
    advance(word.size());
    return true;
  }

  bool parse_object(Value* out, int depth) {
    *out = Value::mapping(mark());
    advance();  // {
    skip_space();
    if (peek() == '}') {
      advance();
      return true;
    }
    auto& entries = out->entries();
    while (true) {
      skip_space();
      if (peek() != '"') return fail("expected a string key");
      Mark key_mark = mark();
      std::string key;
      if (!parse_string(&key)) return false;
      skip_space();
      if (peek() != ':') return fail("expected ':' after a key");
      advance();
      skip_space();
      Value v;
      if (!parse_value(&v, depth + 1)) return false;
      entries.push_back(Value::Entry{std::move(key), key_mark, std::move(v)});
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        break;
      }
      return fail("expected ',' or '}' in an object");
    }
    return check_unique_keys(entries);
  }

  // Duplicate keys make the meaning of a document depend on the reader; refuse them.
  // Sorting indices keeps this O(n log n) for hostile objects with many members.
  bool check_unique_keys(const std::vector<Value::Entry>& entries) {
    if (entries.size() < 2) return true;
    std::vector<std::size_t> order(entries.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return entries[a].key < entries[b].key; });
    for (std::size_t i = 1; i < order.size(); ++i) {
      const Value::Entry& dup = entries[order[i]];
      if (dup.key == entries[order[i - 1]].key) {
        error_ = JsonError{dup.key_mark, fmt::format("duplicate key '{}'", dup.key)};
        return false;
      }
    }
    return true;
  }

  bool parse_array(Value* out, int depth) {
    *out = Value::sequence(mark());
    advance();  // [
    skip_space();
    if (peek() == ']') {
      advance();
      return true;
    }
    while (true) {
      skip_space();
      Value v;
      if (!parse_value(&v, depth + 1)) return false;
      out->push_back(std::move(v));
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == ']') {
        advance();
        return true;
      }
      return fail("expected ',' or ']' in an array");
    }
  }

  bool parse_hex4(std::uint32_t* cp) {
    if (pos_ + 4 > text_.size()) return fail("incomplete \\u escape");
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      char c = text_[pos_ + i];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return fail("invalid hex digit in a \\u escape");
      }
    }
    advance(4);
    *cp = v;
    return true;
  }

  // Length of the UTF-8 sequence starting at pos_, or 0 when it is not well-formed.
  std::size_t utf8_length() const { return utf8_sequence_length(text_, pos_); }

  bool parse_string(std::string* out) {
    advance();  // opening quote
    while (true) {
      if (at_end()) return fail("unterminated string");
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        advance();
        return true;
      }
      if (c < 0x20) return fail("control character in a string (write it as an escape)");
      if (c == '\\') {
        if (!parse_escape(out)) return false;
        continue;
      }
      std::size_t n = utf8_length();
      if (n == 0) return fail("invalid UTF-8 in a string");
      out->append(text_.substr(pos_, n));
      advance(n);
    }
  }

  // A backslash escape, the backslash at pos_.
  bool parse_escape(std::string* out) {
    advance();
    if (at_end()) return fail("unterminated string");
    char e = text_[pos_];
    advance();
    static constexpr std::string_view kEscaped = "\"\\/bfnrt";
    static constexpr std::string_view kMeans = "\"\\/\b\f\n\r\t";
    if (std::size_t at = kEscaped.find(e); at != std::string_view::npos) {
      *out += kMeans[at];
      return true;
    }
    if (e == 'u') return parse_unicode_escape(out);
    return fail(fmt::format("invalid escape '\\{}' in a string", e));
  }

  // \uXXXX, and the low half after a high surrogate.
  bool parse_unicode_escape(std::string* out) {
    std::uint32_t cp = 0;
    if (!parse_hex4(&cp)) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low = 0;
      if (text_.substr(pos_, 2) != "\\u") return fail("unpaired surrogate in a \\u escape");
      advance(2);
      if (!parse_hex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate in a \\u escape");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return fail("unpaired surrogate in a \\u escape");
    }
    append_utf8(*out, cp);
    return true;
  }

  bool parse_number(Value* out) {
    Mark m = mark();
    std::size_t start = pos_;
    auto digit = [&] { return peek() >= '0' && peek() <= '9'; };
    bool integral = true;
    if (peek() == '-') advance();
    if (peek() == '0') {
      advance();
      if (digit()) return fail("leading zeros are not allowed in a number");
    } else if (digit()) {
      while (digit()) advance();
    } else {
      return fail("expected a digit in a number");
    }
    if (peek() == '.') {
      integral = false;
      advance();
      if (!digit()) return fail("expected a digit after '.' in a number");
      while (digit()) advance();
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      advance();
      if (peek() == '+' || peek() == '-') advance();
      if (!digit()) return fail("expected a digit in the exponent of a number");
      while (digit()) advance();
    }
    std::string_view lexeme = text_.substr(start, pos_ - start);
    if (integral) {
      std::int64_t i = 0;
      auto [p, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), i);
      if (ec == std::errc() && p == lexeme.data() + lexeme.size()) {
        *out = Value::integer(i, m);
        return true;
      }
      // Too big for int64: kept as a double, which still says it is integral.
    }
    double d = 0.0;
    auto [p, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), d);
    if (ec == std::errc::result_out_of_range) {
      // from_chars leaves d alone on overflow; keep the magnitude's direction.
      std::size_t e = lexeme.find_first_of("eE");
      bool tiny = e != std::string_view::npos && e + 1 < lexeme.size() && lexeme[e + 1] == '-';
      double big = std::numeric_limits<double>::infinity();
      d = tiny ? 0.0 : (lexeme.front() == '-' ? -big : big);
    } else if (ec != std::errc() || p != lexeme.data() + lexeme.size()) {
      return fail("invalid number");
    }
    *out = Value::floating(d, m);
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
  JsonError error_;
};

void write_number(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  // fmt's default is the shortest text that reads back as the same double.
  fmt::format_to(std::back_inserter(out), "{}", d);
}

void write_value(std::string& out, const Value& v, int indent, int level) {
  auto newline = [&](int lvl) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(lvl), ' ');
  };
  switch (v.type()) {
    case Value::Type::Null:
      out += "null";
      break;
    case Value::Type::Bool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Value::Type::Int:
      fmt::format_to(std::back_inserter(out), "{}", v.as_int());
      break;
    case Value::Type::Float:
      write_number(out, v.as_double());
      break;
    case Value::Type::String:
      append_json_string(out, v.as_string());
      break;
    case Value::Type::Sequence: {
      if (v.items().empty()) {
        out += "[]";
        break;
      }
      out += '[';
      bool first = true;
      for (const Value& item : v.items()) {
        if (!first) out += ',';
        first = false;
        newline(level + 1);
        write_value(out, item, indent, level + 1);
      }
      newline(level);
      out += ']';
      break;
    }
    case Value::Type::Mapping: {
      if (v.entries().empty()) {
        out += "{}";
        break;
      }
      out += '{';
      bool first = true;
      for (const Value::Entry& e : v.entries()) {
        if (!first) out += ',';
        first = false;
        newline(level + 1);
        append_json_string(out, e.key);
        out += indent < 0 ? ":" : ": ";
        write_value(out, e.value, indent, level + 1);
      }
      newline(level);
      out += '}';
      break;
    }
  }
}

}  // namespace

bool parse_json(std::string_view text, Value* out, JsonError* error) {
  JsonReader reader(text);
  Value v;
  if (!reader.parse(&v, error)) return false;
  *out = std::move(v);
  return true;
}

std::string to_json(const Value& v, int indent) {
  std::string out;
  write_value(out, v, indent, 0);
  return out;
}

Value versioned(Value body, std::string_view list_key) {
  Value out = Value::mapping();
  out.set("version", Value::integer(kJsonOutputVersion));
  if (!body.is_mapping()) {
    out.set(std::string(list_key), std::move(body));
    return out;
  }
  for (Value::Entry& e : body.entries()) out.set(std::move(e.key), std::move(e.value));
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace brm

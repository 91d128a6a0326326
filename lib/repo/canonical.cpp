// The canonical writer. Key order comes from the built-in schemas (their `properties`
// order is the spec's order), so a new field needs no change here. Everything is block
// style; scalars are quoted only when the plain form would read back as something else.
#include "brm/canonical.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "brm/error.hpp"
#include "brm/schema_model.hpp"
#include "brm/yaml.hpp"

namespace brm {
namespace {

// ---- scalars ----------------------------------------------------------------------

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Code points YAML wants escaped (C0/C1 controls, DEL, line and paragraph separators,
// the byte-order mark), with their UTF-8 length; 0 when the text at `i` is fine.
std::size_t special_at(std::string_view s, std::size_t i, std::uint32_t* cp) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7F) {
    *cp = c;
    return 1;
  }
  if (c == 0xC2 && i + 1 < s.size()) {
    auto d = static_cast<unsigned char>(s[i + 1]);
    if (d >= 0x80 && d <= 0x9F) {
      *cp = d;
      return 2;
    }
  }
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    auto d = static_cast<unsigned char>(s[i + 2]);
    if (d == 0xA8 || d == 0xA9) {
      *cp = 0x2000u + d - 0x80u;  // U+2028, U+2029
      return 3;
    }
  }
  if (c == 0xEF && s.substr(i, 3) == "\xEF\xBB\xBF") {
    *cp = 0xFEFF;
    return 3;
  }
  return 0;
}

bool has_special(std::string_view s, bool allow_newline) {
  std::uint32_t cp = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (special_at(s, i, &cp) && !(allow_newline && cp == '\n')) return true;
  return false;
}

std::string double_quoted(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    std::size_t n = special_at(s, i, &cp);
    if (n == 0) {
      if (s[i] == '"' || s[i] == '\\') out += '\\';
      out += s[i++];
      continue;
    }
    i += n;
    switch (cp) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case 0:
        out += "\\0";
        break;
      // Not \N: yaml-cpp reads that as the single byte 0x85 instead of U+0085.
      case 0x2028:
        out += "\\L";
        break;
      case 0x2029:
        out += "\\P";
        break;
      case 0xFEFF:
        out += "\\uFEFF";
        break;
      default:
        out += fmt::format("\\x{:02X}", cp);
    }
  }
  return out + "\"";
}

// Numbers in the shortest form that reads back to the same double, and still as a float.
std::string float_text(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  std::string s = fmt::format("{}", d);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string scalar_text(const Value& v) {
  switch (v.type()) {
    case Value::Type::Null:
      return "null";
    case Value::Type::Bool:
      return v.as_bool() ? "true" : "false";
    case Value::Type::Int:
      return fmt::format("{}", v.as_int());
    case Value::Type::Float:
      return float_text(v.as_double());
    case Value::Type::String:
      return is_plain_safe(v.as_string()) ? v.as_string() : double_quoted(v.as_string());
    default:
      return {};
  }
}

// Whether a multi-line string can be a literal block (`|`) and read back the same: no
// characters that need escapes, no trailing blanks on any line (editors strip them,
// and they are invisible), and a first line that does not start with a blank (block
// indentation is detected from it).
bool fits_literal_block(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s.find_first_not_of('\n') == std::string_view::npos) return false;
  if (has_special(s, /*allow_newline=*/true)) return false;
  std::size_t first = s.find_first_not_of('\n');
  if (is_blank(s[first])) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start && is_blank(s[end - 1])) return false;
    if (end == s.size()) break;
    start = end + 1;
  }
  return true;
}

// `|`, `|-` or `|+` and the lines, each indented by `indent` (empty lines stay empty).
void literal_block(std::string& out, std::string_view s, std::size_t indent) {
  std::size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
  out += '\n';
  std::string_view body = s.substr(0, s.size() - trailing);
  std::size_t start = 0;
  while (true) {
    std::size_t end = body.find('\n', start);
    std::string_view line = body.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty()) out.append(indent, ' ').append(line);
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  // The first trailing newline ended the last line above; the rest are empty lines.
  for (std::size_t i = 1; i < trailing; ++i) out += '\n';
}

std::string key_text(const std::string& key) {
  return is_plain_safe(key) ? key : double_quoted(key);
}

// ---- the tree ---------------------------------------------------------------------

class Writer {
 public:
  std::string out;

  // A value after "key:" or "-" has been written; `indent` is where that key or dash
  // starts. Writes the rest of the line and any lines below.
  void value_after_indicator(const Value& v, const Field* schema, std::size_t indent) {
    if (v.is_mapping() && v.size() > 0) {
      out += '\n';
      mapping(v, schema, indent + 2);
    } else if (v.is_sequence() && v.size() > 0) {
      out += '\n';
      sequence(v, schema, indent + 2);
    } else {
      out += ' ';
      scalar_or_empty(v, indent + 2);
    }
  }

  void mapping(const Value& v, const Field* schema, std::size_t indent, bool first_inline = false) {
    bool first = true;
    for (const Value::Entry* e : in_field_order(schema, v)) {
      if (!(first && first_inline)) out.append(indent, ' ');
      first = false;
      out += key_text(e->key);
      out += ':';
      value_after_indicator(e->value, schema ? child_field(*schema, e->key) : nullptr, indent);
    }
  }

  void sequence(const Value& v, const Field* schema, std::size_t indent) {
    const Field* item_schema = schema ? schema->items.get() : nullptr;
    for (const Value& item : v.items()) {
      out.append(indent, ' ');
      out += '-';
      if (item.is_mapping() && item.size() > 0) {
        // The first member shares the dash's line: "- service: email".
        out += ' ';
        mapping(item, item_schema, indent + 2, /*first_inline=*/true);
      } else if (item.is_sequence() && item.size() > 0) {
        out += '\n';
        sequence(item, item_schema, indent + 2);
      } else {
        out += ' ';
        scalar_or_empty(item, indent + 2);
      }
    }
  }

  void scalar_or_empty(const Value& v, std::size_t block_indent) {
    if (v.is_mapping()) {
      out += "{}\n";
    } else if (v.is_sequence()) {
      out += "[]\n";
    } else if (v.is_string() && !is_plain_safe(v.as_string()) &&
               fits_literal_block(v.as_string())) {
      literal_block(out, v.as_string(), block_indent);
    } else {
      out += scalar_text(v);
      out += '\n';
    }
  }
};

std::string write_document(const Value& doc, const Field* schema) {
  Writer w;
  if (doc.is_mapping() && doc.size() > 0) {
    w.mapping(doc, schema, 0);
  } else if (doc.is_sequence() && doc.size() > 0) {
    w.sequence(doc, schema, 0);
  } else {
    w.scalar_or_empty(doc, 2);
  }
  return std::move(w.out);
}

}  // namespace

std::string to_canonical_yaml(KindId kind, const Value& doc, std::string_view modeline) {
  std::string text = write_document(doc, &record_field(kind));
  return modeline.empty() ? text : std::string(modeline) + "\n" + text;
}

std::string_view leading_modeline(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  constexpr std::string_view start = "# yaml-language-server:";
  if (text.substr(0, start.size()) != start) return {};
  std::string_view line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string to_yaml(const Value& doc) { return write_document(doc, nullptr); }

bool is_plain_safe(std::string_view s) {
  if (s.empty()) return false;
  if (resolve_plain_scalar(s, {}).type() != Value::Type::String) return false;
  if (is_blank(s.front()) || is_blank(s.back())) return false;
  if (has_special(s, /*allow_newline=*/false)) return false;
  // Indicators that start something else than a plain scalar. '-', '?' and ':' may
  // start one when followed by a non-blank, but quoting them keeps the rule simple and
  // keeps "---" (a document marker) safe too.
  constexpr std::string_view indicators = "-?:,[]{}#&*!|>'\"%@`";
  if (indicators.find(s.front()) != std::string_view::npos) return false;
  if (s.substr(0, 3) == "...") return false;
  if (s.back() == ':') return false;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == ':' && is_blank(s[i + 1])) return false;  // "a: b" would be a mapping
    if (is_blank(s[i]) && s[i + 1] == '#') return false;  // "a #b" would be a comment
  }
  // Tabs are allowed in plain scalars, but some readers fold them; keep them visible.
  return s.find('\t') == std::string_view::npos;
}

namespace {

// A scanner for what matters to comments: where a token starts (a '#' there begins a
// comment), quoted strings (which may span lines), flow collections, and block scalars
// (whose content is text). Inside plain text, " #" also starts a comment. It may err
// towards finding a comment, which only costs a needless warning.
//
// Why a scanner of its own: yaml-cpp's events drop comments, and the fast subset reader
// (yaml_block) gives up on the texts outside its subset, where comments may be too.
class CommentScanner {
 public:
  explicit CommentScanner(std::string_view text) : text_(text) {}

  bool has_comments() {
    while (at_ < text_.size())
      if (line_has_comment()) return true;
    return false;
  }

 private:
  enum class Step : std::uint8_t { Next, Comment, EndOfLine };

  bool line_has_comment() {
    line_begin_ = at_;
    std::size_t spaces = 0;
    while (at_ < text_.size() && text_[at_] == ' ') ++at_, ++spaces;
    eol_ = std::min(text_.find('\n', at_), text_.size());
    if (!in_block_ || !block_goes_on(spaces)) {
      in_block_ = false;
      token_start_ = true;
      first_token_ = -1;
      last_dash_ = static_cast<long>(spaces) - 1;
      for (Step s = Step::Next; s == Step::Next && at_ < eol_;) {
        s = step();
        if (s == Step::Comment) return true;
      }
    }
    at_ = eol_ + 1;
    return false;
  }

  // A block scalar's content is its blank lines and those indented deeper than its parent.
  bool block_goes_on(std::size_t spaces) const {
    std::string_view rest = text_.substr(at_, eol_ - at_);
    bool blank = rest.find_first_not_of(" \t\r") == std::string_view::npos;
    return blank || static_cast<long>(spaces) > block_parent_;
  }

  char next() const { return at_ + 1 < eol_ ? text_[at_ + 1] : '\0'; }
  bool ends_indicator() const { return at_ + 1 >= eol_ || is_blank(next()) || next() == '\r'; }
  long column() const { return static_cast<long>(at_ - line_begin_); }

  Step step() {
    char c = text_[at_];
    if (is_blank(c) || c == '\r') {
      if (next() == '#') return Step::Comment;
      ++at_;
      return Step::Next;
    }
    if (c == ':' && (ends_indicator() || flow_depth_ > 0)) {
      token_start_ = true;
      ++at_;
      return Step::Next;
    }
    if (!token_start_) {
      if (closes_flow(c)) token_start_ = true;
      ++at_;
      return Step::Next;
    }
    return token(c);
  }

  // A ',', ']' or '}' inside a flow collection: it ends a token (and the collection).
  bool closes_flow(char c) {
    if (flow_depth_ == 0 || (c != ',' && c != ']' && c != '}')) return false;
    if (c != ',') --flow_depth_;
    return true;
  }

  // What starts where a token may start.
  Step token(char c) {
    if (c == '#') return Step::Comment;
    if ((c == '-' || c == '?') && ends_indicator()) {
      if (first_token_ < 0) last_dash_ = column();
      ++at_;
      return Step::Next;
    }
    if (c == '[' || c == '{' || closes_flow(c)) {
      if (c == '[' || c == '{') ++flow_depth_;
      ++at_;
      return Step::Next;
    }
    if (first_token_ < 0) first_token_ = column();
    if (c == '"' || c == '\'') {
      skip_quoted(c);
      token_start_ = false;
      return Step::Next;
    }
    if ((c == '|' || c == '>') && flow_depth_ == 0) return block_header();
    token_start_ = false;  // a plain scalar starts here
    ++at_;
    return Step::Next;
  }

  // The quoted string, across lines if it runs on; '' and \" do not end it.
  void skip_quoted(char quote) {
    std::size_t j = at_ + 1;
    for (; j < text_.size(); ++j) {
      if (quote == '"' && text_[j] == '\\') {
        ++j;
      } else if (text_[j] == quote) {
        if (quote == '\'' && j + 1 < text_.size() && text_[j + 1] == '\'') {
          ++j;
          continue;
        }
        break;
      }
    }
    at_ = j + 1;
    if (at_ > eol_) eol_ = std::min(text_.find('\n', std::min(at_, text_.size())), text_.size());
  }

  // A block scalar's header: indicators, maybe a comment, then its content lines. Its
  // content is indented deeper than the node that holds it: the key on its line
  // ("- note: |": the column of "note"), or else the last dash ("- |").
  Step block_header() {
    std::size_t j = at_ + 1;
    while (j < eol_ && (text_[j] == '+' || text_[j] == '-' || (text_[j] >= '0' && text_[j] <= '9')))
      ++j;
    while (j < eol_ && (is_blank(text_[j]) || text_[j] == '\r')) ++j;
    if (j < eol_ && text_[j] == '#') return Step::Comment;
    in_block_ = true;
    block_parent_ = first_token_ == column() ? last_dash_ : first_token_;
    return Step::EndOfLine;
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t line_begin_ = 0;
  std::size_t eol_ = 0;
  bool in_block_ = false;
  long block_parent_ = 0;  // content of the open block scalar is indented deeper than this
  int flow_depth_ = 0;
  bool token_start_ = true;  // at the start of a line, after ": ", "- ", "[", ","
  long first_token_ = -1;
  long last_dash_ = -1;
};

}  // namespace

bool has_comments(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  text.remove_prefix(leading_modeline(text).size());
  return CommentScanner(text).has_comments();
}

}  // namespace brm

namespace brm {

std::string to_yaml_scalar(const Value& v, char quote) {
  if (!v.is_string()) return scalar_text(v);
  const std::string& s = v.as_string();
  if (quote == '"') return double_quoted(s);
  if (quote == '\'' && !has_special(s, /*allow_newline=*/false)) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  return scalar_text(v);
}

}  // namespace brm

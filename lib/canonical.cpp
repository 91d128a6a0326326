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

// A scanner for what matters to comments: where a token starts (a '#' there begins a
// comment), quoted strings (which may span lines), flow collections, and block scalars
// (whose content is text). Inside plain text, " #" also starts a comment. It may err
// towards finding a comment, which only costs a needless warning.
bool has_comments(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  text.remove_prefix(leading_modeline(text).size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  bool in_block = false;
  long block_parent = 0;  // content of the open block scalar is indented deeper than this
  int flow_depth = 0;
  while (i < n) {
    const std::size_t line_begin = i;
    std::size_t spaces = 0;
    while (i < n && text[i] == ' ') ++i, ++spaces;
    std::size_t eol = std::min(text.find('\n', i), n);
    if (in_block) {
      bool blank = text.substr(i, eol - i).find_first_not_of(" \t\r") == std::string_view::npos;
      if (blank || static_cast<long>(spaces) > block_parent) {
        i = eol + 1;
        continue;
      }
      in_block = false;
    }
    bool token_start = true;  // at the start of a line, after ": ", "- ", "[", ","
    // A block scalar's content is indented deeper than the node that holds it: the key
    // on its line ("- note: |": the column of "note"), or else the last dash ("- |").
    long first_token = -1;
    long last_dash = static_cast<long>(spaces) - 1;
    while (i < eol) {
      char c = text[i];
      if (is_blank(c) || c == '\r') {
        if (i + 1 < eol && text[i + 1] == '#') return true;
        ++i;
        continue;
      }
      bool ends_indicator = i + 1 >= eol || is_blank(text[i + 1]) || text[i + 1] == '\r';
      if (c == ':' && (ends_indicator || flow_depth > 0)) {
        token_start = true;
        ++i;
        continue;
      }
      if (!token_start) {
        if (flow_depth > 0 && (c == ',' || c == ']' || c == '}')) {
          if (c != ',') --flow_depth;
          token_start = true;
        }
        ++i;
        continue;
      }
      if (c == '#') return true;
      if ((c == '-' || c == '?') && ends_indicator) {
        if (first_token < 0) last_dash = static_cast<long>(i - line_begin);
        ++i;
        continue;
      }
      if (c == '[' || c == '{') {
        ++flow_depth;
        ++i;
        continue;
      }
      if (flow_depth > 0 && (c == ',' || c == ']' || c == '}')) {
        if (c != ',') --flow_depth;
        ++i;
        continue;
      }
      if (first_token < 0) first_token = static_cast<long>(i - line_begin);
      if (c == '"' || c == '\'') {
        // The quoted string, across lines if it runs on; '' and \" do not end it.
        std::size_t j = i + 1;
        for (; j < n; ++j) {
          if (c == '"' && text[j] == '\\') {
            ++j;
          } else if (text[j] == c) {
            if (c == '\'' && j + 1 < n && text[j + 1] == '\'') {
              ++j;
              continue;
            }
            break;
          }
        }
        i = j + 1;
        if (i > eol) eol = std::min(text.find('\n', std::min(i, n)), n);
        token_start = false;
        continue;
      }
      if ((c == '|' || c == '>') && flow_depth == 0) {
        // A block scalar's header: indicators, maybe a comment, then its content lines.
        std::size_t j = i + 1;
        while (j < eol && (text[j] == '+' || text[j] == '-' || (text[j] >= '0' && text[j] <= '9')))
          ++j;
        while (j < eol && (is_blank(text[j]) || text[j] == '\r')) ++j;
        if (j < eol && text[j] == '#') return true;
        in_block = true;
        block_parent = first_token == static_cast<long>(i - line_begin) ? last_dash : first_token;
        break;
      }
      token_start = false;  // a plain scalar starts here
      ++i;
    }
    i = eol + 1;
  }
  return false;
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

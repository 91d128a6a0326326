// YAML -> Value through yaml-cpp's event API. Building our own tree instead of
// YAML::Node keeps every position, lets us see duplicate keys (YAML::Node keeps one
// silently) and bound alias expansion, and costs about half as much.
#include "brm/yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <istream>
#include <limits>
#include <streambuf>
#include <string>
#include <unordered_map>
#include <vector>

#include "brm/utf8.hpp"
#include "yaml_block.hpp"

namespace brm {
namespace {

// An istream over memory that does not copy the text.
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

struct Abort {};  // stops the parse once a limit is hit; the finding is already recorded

Mark to_mark(const YAML::Mark& m) {
  if (m.is_null() || m.line < 0) return {};
  return {static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1)};
}

bool is_digits(std::string_view s, bool (*digit)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!digit(c)) return false;
  return true;
}
bool is_dec(char c) { return c >= '0' && c <= '9'; }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_core_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_dec(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_dec(s[i])) ++i, ++frac_digits;
    if (int_digits == 0 && frac_digits == 0) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && is_dec(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

Value integer_or_big(std::string_view digits, int base, bool negative, Mark mark) {
  std::uint64_t u = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (ec == std::errc() && p == digits.data() + digits.size()) {
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (!negative && u <= max) return Value::integer(static_cast<std::int64_t>(u), mark);
    if (negative && u <= max + 1)
      return Value::integer(
          u == max + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(u),
          mark);
  }
  // Too big for int64: keep it as a double rather than wrap around.
  double d = 0;
  for (char c : digits) {
    int v = is_dec(c) ? c - '0' : (c | 0x20) - 'a' + 10;
    d = d * base + v;
  }
  return Value::floating(negative ? -d : d, mark);
}

// An integer literal beyond 64 bits reads as the nearest double (99999999999999999999999
// as 1.0000000000000003e+23): a different number than the one written.
bool is_rounded_integer(std::string_view text, const Value& v) {
  if (v.type() != Value::Type::Float) return false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  bool hex = text.starts_with("0x");
  if (hex || text.starts_with("0o")) text.remove_prefix(2);
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return is_dec(c) || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
  });
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, std::string_view file, Diagnostics* findings,
              const YamlLimits& limits)
      : text_(text), file_(file), findings_(findings), limits_(limits) {}

  Value take() { return std::move(root_); }
  bool failed() const { return failed_; }
  int documents() const { return documents_; }
  Mark second_document() const { return second_document_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents_;
    if (documents_ == 2) second_document_ = to_mark(mark);
  }
  void OnDocumentEnd() override {}

  // yaml-cpp marks an empty value (`it_contact:` and nothing after it) at the token
  // after it, a line further down or past the end of the file: it is placed at its key.
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Mark m = to_mark(mark);
    if (!is_written_null(mark.pos) && !stack_.empty() && stack_.back().value.is_mapping() &&
        stack_.back().have_key)
      m = stack_.back().key_mark;
    add(Value::null(m), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      error(to_mark(mark), "yaml-syntax", "alias to an unknown anchor");
      return;
    }
    count(it->second.count, to_mark(mark));
    Value copy = it->second.value;
    copy.set_mark(to_mark(mark));
    add(std::move(copy), 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Mark m = to_mark(mark);
    if (tag == "?") {
      Value v = resolve_plain_scalar(value, m);
      if (is_rounded_integer(value, v))
        error(m, "number-too-big",
              fmt::format("{} is too big for an integer (at most {}); quote it to keep it as text",
                          value, std::numeric_limits<std::int64_t>::max()));
      add(std::move(v), anchor);
    } else if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      if (tag == "!" && !closes(mark.pos)) error(m, "yaml-syntax", "invalid YAML: unclosed quote");
      add(Value::string(value, m), anchor);
    } else if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
               tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null") {
      Value v = resolve_plain_scalar(value, m);
      // A view of `tag` itself: tag.substr() would be a temporary string.
      std::string_view want = std::string_view(tag).substr(tag.rfind(':') + 1);
      bool fits = (want == "int" && v.type() == Value::Type::Int) ||
                  (want == "float" && v.is_number()) || (want == "bool" && v.is_bool()) ||
                  (want == "null" && v.is_null());
      if (!fits) error(m, "yaml-syntax", fmt::format("'{}' is not a valid !!{}", value, want));
      add(std::move(v), anchor);
    } else {
      error(m, "unsupported-tag", fmt::format("unsupported tag '{}'", tag));
      add(Value::string(value, m), anchor);
    }
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    check_collection_tag(tag, "seq", mark);
    open(Value::sequence(to_mark(mark)), anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    check_collection_tag(tag, "map", mark);
    open(Value::mapping(to_mark(mark)), anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Value value;
    YAML::anchor_t anchor = 0;
    std::size_t first_count = 0;  // values counted when this one opened
    bool have_key = false;        // mappings: a key is waiting for its value
    bool key_ok = false;
    std::string key;
    Mark key_mark;
  };
  struct Anchored {
    Value value;
    std::size_t count = 0;  // values inside it, charged again at every alias
  };

  bool is_written_null(int pos) const {
    if (pos < 0 || static_cast<std::size_t>(pos) >= text_.size()) return false;
    std::string_view at = text_.substr(static_cast<std::size_t>(pos));
    for (std::string_view word : {"~", "null", "Null", "NULL"}) {
      if (!at.starts_with(word)) continue;
      // The word alone, not the start of a key such as null_field on the next line.
      return at.size() == word.size() ||
             std::string_view(" \t\r\n,]}#").find(at[word.size()]) != std::string_view::npos;
    }
    return false;
  }

  // yaml-cpp accepts a quoted scalar that is still open at the end of the file
  // (jbeder/yaml-cpp#819), swallowing the lines after it. A quote at `pos` must close.
  bool closes(int pos) const {
    if (pos < 0 || static_cast<std::size_t>(pos) >= text_.size()) return true;
    char q = text_[static_cast<std::size_t>(pos)];
    if (q != '"' && q != '\'') return true;
    for (std::size_t i = static_cast<std::size_t>(pos) + 1; i < text_.size(); ++i) {
      if (q == '"' && text_[i] == '\\') {
        ++i;
      } else if (text_[i] == q) {
        if (q == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;  // '' is an escaped quote inside single quotes
          continue;
        }
        return true;
      }
    }
    return false;
  }

  void error(Mark m, std::string_view rule, std::string message) {
    failed_ = true;
    findings_->push_back({std::string(file_), m.line, m.column, Severity::Error, std::string(rule),
                          std::move(message)});
  }

  void check_collection_tag(const std::string& tag, std::string_view kind, const YAML::Mark& mark) {
    if (tag.empty() || tag == "?" || tag == "!" || tag == "tag:yaml.org,2002:" + std::string(kind))
      return;
    error(to_mark(mark), "unsupported-tag", fmt::format("unsupported tag '{}'", tag));
  }

  void count(std::size_t n, Mark m) {
    values_ += n;
    if (values_ > limits_.max_values) {
      error(m, "too-large",
            fmt::format("the document expands to more than {} values (alias bomb?)",
                        limits_.max_values));
      throw Abort{};
    }
  }

  void open(Value v, YAML::anchor_t anchor) {
    Mark m = v.mark();
    if (stack_.size() >= limits_.max_depth) {
      error(m, "too-deep", fmt::format("nesting deeper than {} levels", limits_.max_depth));
      throw Abort{};
    }
    count(1, m);
    Frame f;
    f.value = std::move(v);
    f.anchor = anchor;
    f.first_count = values_ - 1;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.anchor != 0) anchors_[f.anchor] = {f.value, values_ - f.first_count};
    place(std::move(f.value));
  }

  void add(Value v, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = {v, 1};
    count(1, v.mark());
    place(std::move(v));
  }

  // Puts a finished value into its parent: a sequence item, a mapping key or a
  // mapping value, or the document root.
  void place(Value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return;
    }
    Frame& top = stack_.back();
    if (top.value.is_sequence()) {
      top.value.push_back(std::move(v));
      return;
    }
    if (!top.have_key) {
      top.have_key = true;
      top.key_mark = v.mark();
      top.key_ok = true;
      if (v.is_string()) {
        top.key = std::move(v.as_string());
      } else if (v.is_sequence() || v.is_mapping()) {
        error(v.mark(), "complex-key", "a key must be a plain name, not a list or a mapping");
        top.key_ok = false;
      } else if (v.is_null()) {
        error(v.mark(), "empty-key", "a key must not be empty or null");
        top.key_ok = false;
      } else {
        top.key = v.to_display();
      }
      return;
    }
    top.have_key = false;
    if (!top.key_ok) return;
    if (const Value* prior = top.value.find(top.key)) {
      (void)prior;
      Mark first{};
      for (const auto& e : top.value.entries())
        if (e.key == top.key) first = e.key_mark;
      error(top.key_mark, "duplicate-key",
            fmt::format("duplicate key '{}' (first at line {})", top.key, first.line));
      return;
    }
    top.value.entries().push_back({std::move(top.key), top.key_mark, std::move(v)});
  }

  std::string_view text_;
  std::string_view file_;
  Diagnostics* findings_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  Value root_;
  std::size_t values_ = 0;
  bool failed_ = false;
  int documents_ = 0;
  Mark second_document_{};
};

// The first character YAML does not allow in a stream (outside c-printable: C0 and C1
// controls other than tab, line ends and NEL, DEL, U+FFFE, U+FFFF), or npos. `s` is
// valid UTF-8. yaml-cpp lets them through, and in record text they would reach terminals
// (`brm customer list`) as escape sequences.
std::size_t find_control(std::string_view s, std::uint32_t* found) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = p[i];
    std::uint32_t cp = 0xFFFFFFFF;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      cp = c;
    else if (c == 0x7F)
      cp = c;
    else if (c == 0xC2 && i + 1 < s.size() && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F &&
             p[i + 1] != 0x85)
      cp = p[i + 1];
    else if (c == 0xEF && i + 2 < s.size() && p[i + 1] == 0xBF &&
             (p[i + 2] == 0xBE || p[i + 2] == 0xBF))
      cp = p[i + 2] == 0xBE ? 0xFFFE : 0xFFFF;
    if (cp != 0xFFFFFFFF) {
      *found = cp;
      return i;
    }
  }
  return std::string_view::npos;
}

// The first line of git's conflict markers (`<<<<<<< ours`, `|||||||`, `=======`,
// `>>>>>>> theirs`, at a line's start) in a file that has an opening or closing one; npos
// when there is none. A lone `=======` line is left to the YAML reader.
std::size_t find_conflict_marker(std::string_view s) {
  auto first = [&](std::string_view marker, bool label) {
    for (std::size_t at = s.find(marker); at != std::string_view::npos;
         at = s.find(marker, at + 1)) {
      if (at > 0 && s[at - 1] != '\n') continue;
      std::size_t end = at + marker.size();
      char next = end < s.size() ? s[end] : '\n';
      if (next == '\n' || next == '\r' || (label && next == ' ')) return at;
    }
    return std::string_view::npos;
  };
  std::size_t open = first("<<<<<<<", true), close = first(">>>>>>>", true);
  if (open == std::string_view::npos && close == std::string_view::npos) return open;
  return std::min({open, close, first("|||||||", true), first("=======", false)});
}

Mark mark_at(std::string_view s, std::size_t offset) {
  Mark m{1, 1};
  for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++m.line;
      m.column = 1;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++m.column;
    }
  }
  return m;
}

// YAML forbids tabs in indentation, but yaml-cpp accepts some of them. A line whose
// leading white space holds a tab is an error unless it lies inside a block scalar
// (`|` or `>`), where everything after the block's indentation is content.
void find_tab_indentation(std::string_view text, std::string_view file, Diagnostics* findings) {
  std::size_t pos = 0;
  std::uint32_t line = 0;
  long block_parent = -1;  // indentation of the line that opened a block scalar
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    ++line;
    std::size_t spaces = 0;
    while (spaces < l.size() && l[spaces] == ' ') ++spaces;
    std::size_t ws = l.find_first_not_of(" \t\r");
    bool blank = ws == std::string_view::npos;
    if (!blank) {
      bool in_block = block_parent >= 0 && static_cast<long>(spaces) > block_parent;
      if (!in_block) {
        block_parent = -1;
        std::size_t tab = l.substr(0, ws).find('\t');
        if (tab != std::string_view::npos) {
          findings->push_back({std::string(file), line, static_cast<std::uint32_t>(tab + 1),
                               Severity::Error, "tab-indent",
                               "tabs are not allowed for indentation"});
          return;  // one is enough; the rest of the file is likely the same
        }
        std::string_view t = l.substr(0, l.find_last_not_of(" \r") + 1);
        std::size_t hash = t.find(" #");
        if (hash != std::string_view::npos) t = t.substr(0, t.find_last_not_of(' ', hash) + 1);
        while (!t.empty() &&
               (t.back() == '-' || t.back() == '+' || (t.back() >= '0' && t.back() <= '9')))
          t.remove_suffix(1);
        if (!t.empty() && (t.back() == '|' || t.back() == '>') &&
            (t.size() == 1 || t[t.size() - 2] == ' '))
          block_parent = static_cast<long>(spaces);
      }
    }
    if (end == text.size()) break;
    pos = end + 1;
  }
}

// "unit: Sales: North" reads as a mapping inside a value, which YAML forbids there
// ("illegal map value"): the fix is quotes, shown on the line as written.
std::string quoting_hint(std::string_view text, const YAML::Exception& e) {
  if (e.msg != YAML::ErrorMsg::MAP_VALUE || e.mark.line < 0) return {};
  std::size_t start = 0;
  for (int l = 0; l < e.mark.line && start != std::string_view::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return {};
  std::string_view line = text.substr(start, text.find('\n', start) - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t colon = line.find(": ");
  if (colon == std::string_view::npos) return {};
  std::string_view key = line.substr(0, colon);
  key.remove_prefix(std::min(key.find_first_not_of(' '), key.size()));
  std::string_view value = line.substr(colon + 2);
  value.remove_prefix(std::min(value.find_first_not_of(' '), value.size()));
  if (value.find(": ") == std::string_view::npos || value.find('"') != std::string_view::npos)
    return {};
  return fmt::format(" (a value with ': ' in it needs quotes: {}: \"{}\")", key, value);
}

}  // namespace

Value resolve_plain_scalar(std::string_view s, Mark mark) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value::null(mark);
  char c = s[0];
  // Most plain scalars are words: skip the number checks for them.
  if (!(is_dec(c) || c == '-' || c == '+' || c == '.' || c == 't' || c == 'T' || c == 'f' ||
        c == 'F'))
    return Value::string(std::string(s), mark);
  if (s == "true" || s == "True" || s == "TRUE") return Value::boolean(true, mark);
  if (s == "false" || s == "False" || s == "FALSE") return Value::boolean(false, mark);
  bool neg = c == '-';
  std::string_view unsigned_part = (c == '-' || c == '+') ? s.substr(1) : s;
  if (is_digits(unsigned_part, is_dec)) return integer_or_big(unsigned_part, 10, neg, mark);
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && is_digits(s.substr(2), is_oct))
    return integer_or_big(s.substr(2), 8, false, mark);
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && is_digits(s.substr(2), is_hex))
    return integer_or_big(s.substr(2), 16, false, mark);
  if (is_core_float(s)) return Value::floating(std::strtod(std::string(s).c_str(), nullptr), mark);
  if (unsigned_part == ".inf" || unsigned_part == ".Inf" || unsigned_part == ".INF")
    return Value::floating(neg ? -HUGE_VAL : HUGE_VAL, mark);
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return Value::floating(std::nan(""), mark);
  return Value::string(std::string(s), mark);
}

bool parse_yaml(std::string_view text, std::string_view file, Value* out, Diagnostics* findings,
                const YamlLimits& limits) {
  auto file_error = [&](Mark m, std::string_view rule, std::string message) {
    findings->push_back({std::string(file), m.line, m.column, Severity::Error, std::string(rule),
                         std::move(message)});
    return false;
  };
  if (text.size() > limits.max_bytes)
    return file_error(
        {}, "too-large",
        fmt::format("file is {} bytes; the limit is {} bytes", text.size(), limits.max_bytes));
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (std::size_t at = find_conflict_marker(text); at != std::string_view::npos)
    return file_error(mark_at(text, at), "merge-conflict",
                      "unresolved merge conflict: git's conflict markers are in the file");
  if (std::size_t bad = find_invalid_utf8(text); bad != std::string_view::npos)
    return file_error(mark_at(text, bad), "invalid-utf8", "file is not valid UTF-8");
  if (std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    return file_error(mark_at(text, nul), "not-text", "file contains a NUL byte; it is not text");
  std::uint32_t control = 0;
  if (std::size_t at = find_control(text, &control); at != std::string_view::npos)
    return file_error(
        mark_at(text, at), "not-text",
        fmt::format("file contains the control character U+{:04X}; it is not text", control));
  std::size_t before = findings->size();
  find_tab_indentation(text, file, findings);
  if (findings->size() != before) return false;

  TreeBuilder builder(text, file, findings, limits);
  try {
    // Most record files are in the subset that scan_block_yaml reads with the same
    // events, many times faster; yaml-cpp reads the rest.
    if (!scan_block_yaml(text, builder)) {
      MemoryBuffer buffer(text);
      std::istream in(&buffer);
      YAML::Parser parser(in);
      if (parser.HandleNextDocument(builder)) parser.HandleNextDocument(builder);
    }
  } catch (const Abort&) {
    return false;
  } catch (const YAML::DeepRecursion& e) {
    return file_error(to_mark(e.mark), "too-deep",
                      fmt::format("nesting deeper than {} levels", limits.max_depth));
  } catch (const YAML::Exception& e) {
    Mark m = to_mark(e.mark);
    return file_error(m, "yaml-syntax",
                      fmt::format("invalid YAML: {}{}", e.msg, quoting_hint(text, e)));
  }
  if (builder.failed()) return false;
  if (builder.documents() == 0) return file_error({}, "empty-file", "file is empty");
  if (builder.documents() > 1)
    return file_error(builder.second_document(), "multiple-documents",
                      "a file holds one document; this is the start of a second one");
  *out = builder.take();
  return true;
}

}  // namespace brm

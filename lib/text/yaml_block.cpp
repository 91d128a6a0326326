// The subset reader: see brm/yaml_block.hpp for what it accepts and why it exists.
//
// It reads line by line. A block node is a sequence when its first line starts with
// "- ", else a mapping of plain keys; a value is a nested block on the following lines,
// a literal block scalar, or one line of scalar or flow collection. Every doubt, and
// every construct whose events or marks this file does not reproduce exactly (escapes,
// anchors, tags, multi-line scalars, tabs, CR, folded scalars, documents markers...),
// makes it decline, and yaml-cpp reads the file instead.
#include "yaml_block.hpp"

#include <fmt/format.h>
#include <yaml-cpp/emitterstyle.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <istream>
#include <streambuf>
#include <vector>

namespace brm {
namespace {

// Deeper than this, yaml-cpp reads the file (and the tree builder reports the depth).
constexpr unsigned kMaxDepth = 60;
// YAML limits an implicit key to 1024 characters; stay clear of the edge.
constexpr std::size_t kMaxKey = 1000;

enum class Kind : std::uint8_t { MapStart, MapEnd, SeqStart, SeqEnd, Plain, Quoted, Null };

struct Event {
  Kind kind;
  bool flow;
  std::uint32_t pos;
  std::uint32_t line;
  std::string_view text;
};

struct Line {
  std::uint32_t start;   // offset of the first byte
  std::uint32_t end;     // offset of the '\n', or of the end of the text
  std::uint32_t indent;  // spaces before the first other byte
  bool blank;            // only spaces, or a comment
};

// '$' for JSON Schema's own keys ($schema, $ref, $defs): not a YAML indicator anywhere.
bool is_key_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '$';
}
bool is_key_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

class Reader {
 public:
  bool read(std::string_view text);

  std::vector<Event> events;
  Event start{};

  YAML::Mark mark(const Event& e) const {
    YAML::Mark m;
    m.pos = static_cast<int>(e.pos);
    m.line = static_cast<int>(e.line);
    // Bytes since the start of the line, as yaml-cpp counts; 0 at the end of the text.
    m.column = e.pos < t_.size() ? static_cast<int>(e.pos - lines_[e.line].start) : 0;
    return m;
  }

 private:
  bool block(unsigned depth);
  bool sequence(std::uint32_t col, unsigned depth);
  bool mapping(std::uint32_t col, std::uint32_t p, unsigned depth);
  bool value_below(std::uint32_t col, unsigned depth, bool sequence_allowed);
  bool literal(std::uint32_t q, std::uint32_t col);
  bool inline_value(std::uint32_t q, std::uint32_t e);
  bool flow_sequence(std::uint32_t q, std::uint32_t e);
  bool flow_mapping(std::uint32_t q, std::uint32_t e);
  bool flow_scalar(std::uint32_t* r, std::uint32_t e, char close);
  bool quoted(std::uint32_t q, std::uint32_t e, std::uint32_t* after);
  bool plain_start(std::uint32_t q, std::uint32_t e) const;
  bool rest_is_empty(std::uint32_t r, std::uint32_t e) const;
  std::uint32_t key_end(std::uint32_t p, std::uint32_t e) const;  // 0 when no key at p
  bool dash_at(std::size_t li) const;
  std::size_t next_significant(std::size_t li) const;
  void push(Kind kind, std::uint32_t pos, std::string_view text = {}, bool flow = false) {
    events.push_back({kind, flow, pos, line_, text});
  }
  // The "empty value" null: yaml-cpp marks it at the next token, or at the end.
  // Declines when that is the end of a text with no final line break, where yaml-cpp's
  // mark depends on what the last line holds.
  bool push_null_before(std::size_t li);

  std::string_view t_;
  std::vector<Line> lines_;
  std::deque<std::string> blocks_;  // literal scalars' text (stable addresses)
  std::size_t li_ = 0;              // current line
  std::uint32_t line_ = 0;          // line of the event being pushed
  std::uint32_t newlines_ = 0;
};

bool Reader::read(std::string_view text) {
  t_ = text;
  events.clear();
  lines_.clear();
  blocks_.clear();
  li_ = 0;
  newlines_ = 0;
  if (text.size() >= 0xFFFFFFF0u) return false;
  // Bytes whose handling by yaml-cpp this reader does not reproduce: tabs, CR, controls,
  // and the Unicode line breaks and byte-order mark that yaml-cpp's scanner knows.
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\n') return false;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85)
      return false;
    if (c == 0xE2 && i + 2 < text.size() && text[i + 1] == '\x80' &&
        (text[i + 2] == '\xA8' || text[i + 2] == '\xA9'))
      return false;
    if (c == 0xEF && i + 2 < text.size() && text[i + 1] == '\xBB' && text[i + 2] == '\xBF')
      return false;
  }
  std::uint32_t pos = 0;
  const auto size = static_cast<std::uint32_t>(text.size());
  while (pos <= size) {
    const void* nl = std::memchr(text.data() + pos, '\n', size - pos);
    std::uint32_t end =
        nl ? static_cast<std::uint32_t>(static_cast<const char*>(nl) - text.data()) : size;
    std::uint32_t i = pos;
    while (i < end && text[i] == ' ') ++i;
    bool blank = i == end || text[i] == '#';
    if (!blank && i == pos) {
      // Document markers and directives start in the first column.
      std::string_view rest = text.substr(pos, end - pos);
      if (rest.starts_with("---") || rest.starts_with("...") || rest[0] == '%') return false;
    }
    lines_.push_back({pos, end, i - pos, blank});
    if (!nl) break;
    ++newlines_;
    pos = end + 1;
  }
  li_ = next_significant(0);
  if (li_ >= lines_.size()) return false;  // empty: yaml-cpp says what it is
  line_ = static_cast<std::uint32_t>(li_);
  start = {Kind::Null, false, lines_[li_].start + lines_[li_].indent, line_, {}};
  if (!block(0)) return false;
  return li_ >= lines_.size();
}

std::size_t Reader::next_significant(std::size_t li) const {
  while (li < lines_.size() && lines_[li].blank) ++li;
  return li;
}

bool Reader::dash_at(std::size_t li) const {
  const Line& l = lines_[li];
  std::uint32_t p = l.start + l.indent;
  return t_[p] == '-' && (p + 1 == l.end || t_[p + 1] == ' ');
}

bool Reader::push_null_before(std::size_t li) {
  if (li < lines_.size()) {
    line_ = static_cast<std::uint32_t>(li);
    push(Kind::Null, lines_[li].start + lines_[li].indent);
    return true;
  }
  if (t_.empty() || t_.back() != '\n') return false;
  line_ = newlines_;
  push(Kind::Null, static_cast<std::uint32_t>(t_.size()));
  return true;
}

std::uint32_t Reader::key_end(std::uint32_t p, std::uint32_t e) const {
  if (p >= e || !is_key_start(static_cast<unsigned char>(t_[p]))) return 0;
  std::uint32_t k = p + 1;
  while (k < e && is_key_char(static_cast<unsigned char>(t_[k]))) ++k;
  if (k >= e || t_[k] != ':' || k - p > kMaxKey) return 0;
  if (k + 1 < e && t_[k + 1] != ' ') return 0;
  return k;
}

bool Reader::block(unsigned depth) {
  const Line& l = lines_[li_];
  std::uint32_t p = l.start + l.indent;
  if (dash_at(li_)) return sequence(l.indent, depth);
  if (key_end(p, l.end)) return mapping(l.indent, p, depth);
  return false;
}

bool Reader::sequence(std::uint32_t col, unsigned depth) {
  if (depth > kMaxDepth) return false;
  line_ = static_cast<std::uint32_t>(li_);
  push(Kind::SeqStart, lines_[li_].start + col);
  for (;;) {
    const Line l = lines_[li_];
    line_ = static_cast<std::uint32_t>(li_);
    std::uint32_t p = l.start + col + 1;
    std::uint32_t q = p;
    while (q < l.end && t_[q] == ' ') ++q;
    if (q == l.end || (t_[q] == '#' && q > p)) {
      if (!value_below(col, depth, /*sequence_allowed=*/false)) return false;
    } else if (t_[q] == '-' && (q + 1 == l.end || t_[q + 1] == ' ')) {
      return false;  // "- - x": a compact nested sequence
    } else if (key_end(q, l.end)) {
      if (!mapping(q - l.start, q, depth + 1)) return false;
    } else {
      if (!inline_value(q, l.end)) return false;
      li_ = next_significant(li_ + 1);
      if (li_ < lines_.size() && lines_[li_].indent > col) return false;
    }
    if (li_ >= lines_.size()) break;
    if (lines_[li_].indent > col) return false;
    if (lines_[li_].indent < col || !dash_at(li_)) break;
  }
  events.push_back({Kind::SeqEnd, false, 0, 0, {}});
  return true;
}

bool Reader::mapping(std::uint32_t col, std::uint32_t p, unsigned depth) {
  if (depth > kMaxDepth) return false;
  line_ = static_cast<std::uint32_t>(li_);
  push(Kind::MapStart, p);
  for (;;) {
    const Line l = lines_[li_];
    line_ = static_cast<std::uint32_t>(li_);
    std::uint32_t k = key_end(p, l.end);
    if (!k) return false;
    push(Kind::Plain, p, t_.substr(p, k - p));
    std::uint32_t q = k + 1;
    while (q < l.end && t_[q] == ' ') ++q;
    if (q == l.end || t_[q] == '#') {  // '#' follows a space here: a comment
      if (!value_below(col, depth, /*sequence_allowed=*/true)) return false;
    } else if (t_[q] == '|') {
      if (!literal(q, col)) return false;
    } else {
      if (!inline_value(q, l.end)) return false;
      li_ = next_significant(li_ + 1);
    }
    if (li_ >= lines_.size()) break;
    if (lines_[li_].indent > col) return false;
    if (lines_[li_].indent < col) break;
    if (dash_at(li_)) return false;
    p = lines_[li_].start + col;
  }
  events.push_back({Kind::MapEnd, false, 0, 0, {}});
  return true;
}

// The value of an item or key whose line ends after its indicator: the block on the
// lines below, indented deeper than `col` (or, under a key, a sequence at `col` itself),
// else null.
bool Reader::value_below(std::uint32_t col, unsigned depth, bool sequence_allowed) {
  std::size_t next = next_significant(li_ + 1);
  bool below = next < lines_.size() && lines_[next].indent > col;
  bool sequence_here =
      sequence_allowed && next < lines_.size() && lines_[next].indent == col && dash_at(next);
  if (!below && !sequence_here) {
    if (!push_null_before(next)) return false;
    li_ = next;
    return true;
  }
  li_ = next;
  return below ? block(depth + 1) : sequence(col, depth + 1);
}

// A literal block scalar, "|" or "|-", as the value of a mapping entry at column `col`.
bool Reader::literal(std::uint32_t q, std::uint32_t col) {
  const Line header = lines_[li_];
  std::uint32_t r = q + 1;
  bool strip = r < header.end && t_[r] == '-';
  if (strip) ++r;
  if (r < header.end && t_[r] != ' ') return false;  // "|+", "|2" and the like
  if (!rest_is_empty(r, header.end)) return false;
  std::size_t j = li_ + 1;
  if (j >= lines_.size()) return false;
  const Line& first = lines_[j];
  if (first.start + first.indent == first.end || first.indent <= col) return false;
  const std::uint32_t m = first.indent;
  std::string& s = blocks_.emplace_back();
  std::size_t pending = 0;  // empty lines not yet known to be inside the scalar
  for (; j < lines_.size(); ++j) {
    const Line& l = lines_[j];
    if (l.start == l.end) {
      ++pending;
      continue;
    }
    if (l.start + l.indent == l.end) return false;  // a line of spaces only
    if (l.indent < m) break;
    if (l.end == t_.size()) return false;  // the last line has no line break
    s.append(pending, '\n');
    pending = 0;
    s.append(t_.substr(l.start + m, l.end - l.start - m));
    s.push_back('\n');
  }
  if (strip) s.pop_back();
  line_ = static_cast<std::uint32_t>(li_);
  push(Kind::Quoted, q, s);
  li_ = next_significant(j);
  return true;
}

bool Reader::rest_is_empty(std::uint32_t r, std::uint32_t e) const {
  std::uint32_t from = r;
  while (r < e && t_[r] == ' ') ++r;
  return r == e || (t_[r] == '#' && r > from);
}

bool Reader::plain_start(std::uint32_t q, std::uint32_t e) const {
  auto c = static_cast<unsigned char>(t_[q]);
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)
    return true;
  if (std::strchr("_./+($~=<^;", c) != nullptr && c != 0) return true;
  return c == '-' && q + 1 < e && t_[q + 1] != ' ';
}

// A one-line quoted scalar at q: no escapes, no doubled single quotes.
bool Reader::quoted(std::uint32_t q, std::uint32_t e, std::uint32_t* after) {
  char mark = t_[q];
  std::uint32_t r = q + 1;
  while (r < e && t_[r] != mark) {
    if (t_[r] == '\\' && mark == '"') return false;
    ++r;
  }
  if (r >= e) return false;
  if (mark == '\'' && r + 1 < e && t_[r + 1] == '\'') return false;
  push(Kind::Quoted, q, t_.substr(q + 1, r - q - 1));
  *after = r + 1;
  return true;
}

bool Reader::inline_value(std::uint32_t q, std::uint32_t e) {
  char c = t_[q];
  if (c == '"' || c == '\'') {
    std::uint32_t after = 0;
    return quoted(q, e, &after) && rest_is_empty(after, e);
  }
  if (c == '[') return flow_sequence(q, e);
  if (c == '{') return flow_mapping(q, e);
  if (!plain_start(q, e)) return false;
  std::uint32_t r = q, last = q;
  for (; r < e; ++r) {
    char ch = t_[r];
    if (ch == ':' && (r + 1 == e || t_[r + 1] == ' ')) return false;
    if (ch == '#' && t_[r - 1] == ' ') break;
    if (ch != ' ') last = r + 1;
  }
  push(Kind::Plain, q, t_.substr(q, last - q));
  return true;
}

// One scalar inside a one-line flow collection; *r moves past it.
bool Reader::flow_scalar(std::uint32_t* r, std::uint32_t e, char close) {
  std::uint32_t q = *r;
  if (q >= e) return false;
  if (t_[q] == '"' || t_[q] == '\'') return quoted(q, e, r);
  if (!plain_start(q, e)) return false;
  std::uint32_t i = q, last = q;
  for (; i < e; ++i) {
    char ch = t_[i];
    if (ch == ',' || ch == close) break;
    // yaml-cpp also stops at a '?' inside a flow scalar (found by fuzz_yaml_block).
    if (std::strchr("[]{}:#\"'?", ch) != nullptr) return false;
    if (ch != ' ') last = i + 1;
  }
  push(Kind::Plain, q, t_.substr(q, last - q));
  *r = i;
  return true;
}

bool Reader::flow_sequence(std::uint32_t q, std::uint32_t e) {
  push(Kind::SeqStart, q, {}, true);
  std::uint32_t r = q + 1;
  while (r < e && t_[r] == ' ') ++r;
  if (r < e && t_[r] == ']') {
    events.push_back({Kind::SeqEnd, true, 0, 0, {}});
    return rest_is_empty(r + 1, e);
  }
  for (;;) {
    if (!flow_scalar(&r, e, ']')) return false;
    while (r < e && t_[r] == ' ') ++r;
    if (r < e && t_[r] == ',') {
      ++r;
      while (r < e && t_[r] == ' ') ++r;
      if (r < e && t_[r] == ']') return false;  // a trailing comma
      continue;
    }
    if (r < e && t_[r] == ']') break;
    return false;
  }
  events.push_back({Kind::SeqEnd, true, 0, 0, {}});
  return rest_is_empty(r + 1, e);
}

bool Reader::flow_mapping(std::uint32_t q, std::uint32_t e) {
  push(Kind::MapStart, q, {}, true);
  std::uint32_t r = q + 1;
  while (r < e && t_[r] == ' ') ++r;
  if (r < e && t_[r] == '}') {
    events.push_back({Kind::MapEnd, true, 0, 0, {}});
    return rest_is_empty(r + 1, e);
  }
  for (;;) {
    std::uint32_t k = key_end(r, e);
    if (!k || k + 1 >= e) return false;  // a key, then ": " and a value
    push(Kind::Plain, r, t_.substr(r, k - r));
    r = k + 1;
    while (r < e && t_[r] == ' ') ++r;
    if (r < e && (t_[r] == ',' || t_[r] == '}')) return false;  // an empty value
    if (!flow_scalar(&r, e, '}')) return false;
    while (r < e && t_[r] == ' ') ++r;
    if (r < e && t_[r] == ',') {
      ++r;
      while (r < e && t_[r] == ' ') ++r;
      if (r < e && t_[r] == '}') return false;
      continue;
    }
    if (r < e && t_[r] == '}') break;
    return false;
  }
  events.push_back({Kind::MapEnd, true, 0, 0, {}});
  return rest_is_empty(r + 1, e);
}

// Writes events as text, for the differential tests.
class Recorder : public YAML::EventHandler {
 public:
  std::string log;
  void OnDocumentStart(const YAML::Mark& m) override { line("document", m); }
  void OnDocumentEnd() override { log += "end document\n"; }
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { line("null", m, "", a); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t a) override { line("alias", m, "", a); }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                const std::string& v) override {
    line("scalar", m, tag, a);
    log += fmt::format("  {:?}\n", v);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                       YAML::EmitterStyle::value style) override {
    line("sequence", m, tag, a, style);
  }
  void OnSequenceEnd() override { log += "end sequence\n"; }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                  YAML::EmitterStyle::value style) override {
    line("mapping", m, tag, a, style);
  }
  void OnMapEnd() override { log += "end mapping\n"; }

 private:
  void line(std::string_view what, const YAML::Mark& m, std::string_view tag = "",
            YAML::anchor_t anchor = 0, int style = 0) {
    log += fmt::format("{} at {}:{}:{} tag {:?} anchor {} style {}\n", what, m.pos, m.line,
                       m.column, tag, anchor, style);
  }
};

class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

}  // namespace

bool scan_block_yaml(std::string_view text, YAML::EventHandler& handler) {
  thread_local Reader reader;
  if (!reader.read(text)) return false;
  static const std::string plain_tag = "?", quoted_tag = "!";
  std::string scratch;
  auto mark = [&](const Event& e) { return reader.mark(e); };
  handler.OnDocumentStart(mark(reader.start));
  for (const Event& e : reader.events) {
    switch (e.kind) {
      case Kind::MapStart:
        handler.OnMapStart(mark(e), plain_tag, 0,
                           e.flow ? YAML::EmitterStyle::Flow : YAML::EmitterStyle::Block);
        break;
      case Kind::MapEnd:
        handler.OnMapEnd();
        break;
      case Kind::SeqStart:
        handler.OnSequenceStart(mark(e), plain_tag, 0,
                                e.flow ? YAML::EmitterStyle::Flow : YAML::EmitterStyle::Block);
        break;
      case Kind::SeqEnd:
        handler.OnSequenceEnd();
        break;
      case Kind::Plain:
        // yaml-cpp reports these plain scalars as nulls, not as scalars.
        if (e.text == "~" || e.text == "null" || e.text == "Null" || e.text == "NULL") {
          handler.OnNull(mark(e), 0);
          break;
        }
        scratch.assign(e.text);
        handler.OnScalar(mark(e), plain_tag, 0, scratch);
        break;
      case Kind::Quoted:
        scratch.assign(e.text);
        handler.OnScalar(mark(e), quoted_tag, 0, scratch);
        break;
      case Kind::Null:
        handler.OnNull(mark(e), 0);
        break;
    }
  }
  handler.OnDocumentEnd();
  return true;
}

std::string yaml_cpp_event_log(std::string_view text) {
  Recorder recorder;
  MemoryBuffer buffer(text);
  std::istream in(&buffer);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(recorder)) {
    }
  } catch (const YAML::Exception&) {
    recorder.log += "error\n";
  }
  return recorder.log;
}

std::string block_yaml_event_log(std::string_view text) {
  Recorder recorder;
  if (!scan_block_yaml(text, recorder)) return "";
  return recorder.log;
}

}  // namespace brm

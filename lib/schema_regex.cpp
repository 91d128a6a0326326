// ECMA-262 patterns on top of std::regex. std::regex's ECMAScript grammar is the 1999
// dialect without Unicode mode, and its classes (\d, \w, \s, .) follow the C++ locale;
// rewriting the pattern first gives JSON Schema's semantics (ASCII \d and \w, Unicode
// \s, `.` excluding line terminators, \u{...}, \p{L}) whatever the locale.
//
// Each pattern is rewritten twice: for UTF-32 text (std::wregex, where a class matches
// one code point) and for ASCII-only text (std::regex on bytes). Most data is ASCII, and
// libstdc++ caches classes for `char` but not for `wchar_t`, which makes the byte form
// several times faster.
#include "brm/schema_regex.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "brm/error.hpp"
#include "brm/schema_unicode.hpp"

namespace brm {
namespace {

using unicode::CodeRange;
using Ranges = std::vector<CodeRange>;

constexpr char32_t kMaxCodePoint = 0x10FFFF;

// std::regex compiles recursively, a level per term and per group: a pattern of 100,000
// letters or 30,000 nested groups overflowed the stack. Patterns in schemas are short.
constexpr std::size_t kMaxPatternLength = 4096;
constexpr std::size_t kMaxGroupDepth = 64;

const Ranges kDigits = {{'0', '9'}};
const Ranges kWordChars = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
const Ranges kSpaces = {{0x09, 0x0D},     {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680},
                        {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F},
                        {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
const Ranges kLineTerminators = {{0x0A, 0x0A}, {0x0D, 0x0D}, {0x2028, 0x2029}};

struct Unsupported {
  std::string why;
};

bool is_hex(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned hex_value(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  return static_cast<unsigned>(c - 'A' + 10);
}

Ranges normalized(Ranges r) {
  std::sort(r.begin(), r.end(), [](const CodeRange& a, const CodeRange& b) { return a.lo < b.lo; });
  Ranges out;
  for (const CodeRange& x : r) {
    if (!out.empty() && x.lo <= out.back().hi + 1) {
      out.back().hi = std::max(out.back().hi, x.hi);
    } else {
      out.push_back(x);
    }
  }
  return out;
}

Ranges complement(const Ranges& r) {
  Ranges out;
  char32_t next = 0;
  for (const CodeRange& x : normalized(r)) {
    if (x.lo > next) out.push_back({next, x.lo - 1});
    next = x.hi + 1;
  }
  if (next <= kMaxCodePoint) out.push_back({next, kMaxCodePoint});
  return out;
}

// A literal character in the rewritten pattern: ASCII punctuation escaped, controls as
// \x, everything else as itself.
template <typename Char>
std::basic_string<Char> literal(char32_t c) {
  using S = std::basic_string<Char>;
  if (c < 0x20 || c == 0x7F) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    return S{Char('\\'), Char('x'), Char(kHex[c >> 4]), Char(kHex[c & 0xF])};
  }
  if (c < 0x80 &&
      std::string_view("^$\\.*+?()[]{}|-/").find(static_cast<char>(c)) != std::string_view::npos) {
    return S{Char('\\'), static_cast<Char>(c)};
  }
  return S(1, static_cast<Char>(c));
}

class Translator {
 public:
  // `syntax_only` accepts what ECMA-262 allows but std::regex cannot run (lookbehind,
  // named groups), rewritten to something of the same shape: for the `regex` format.
  Translator(std::u32string_view p, bool syntax_only) : p_(p), syntax_only_(syntax_only) {}

  void run() {
    groups_.push_back(false);  // the whole pattern
    while (i_ < p_.size()) {
      char32_t c = p_[i_++];
      bool after_group = closed_group_risky_;
      closed_group_risky_ = false;
      if (c == '\\') {
        escape();
      } else if (c == '[') {
        char_class();
      } else if (c == '.') {
        emit_class(kLineTerminators, true);
      } else if (c == '(') {
        group();
      } else if (c < 0x80) {
        wide_ += static_cast<wchar_t>(c);  // syntax: quantifiers, anchors, '|', ')'
        ascii_ += static_cast<char>(c);
        syntax(c, after_group);
      } else {
        emit_literal(c);
      }
    }
  }

  const std::wstring& wide() const noexcept { return wide_; }
  const std::string& ascii() const noexcept { return ascii_; }
  bool has_backreference() const noexcept { return has_backreference_; }
  // A quantified group that itself holds a quantifier or an alternative, like (a+)+ or
  // (a|ab)*: backtracking can take exponential time on such patterns.
  bool has_nested_quantifier() const noexcept { return nested_quantifier_; }

 private:
  // Tracks, per open group, whether it holds a quantifier or '|'.
  void syntax(char32_t c, bool after_risky_group) {
    bool quantifier = c == '*' || c == '+' || c == '?' || c == '{';
    if (quantifier && after_risky_group) nested_quantifier_ = true;
    if (quantifier || c == '|') groups_.back() = true;
    if (c == ')' && groups_.size() > 1) {
      bool risky = groups_.back();
      groups_.pop_back();
      groups_.back() = groups_.back() || risky;
      closed_group_risky_ = risky;
    }
  }

  void emit(std::string_view s) {
    for (char c : s) wide_ += static_cast<wchar_t>(c);
    ascii_ += s;
  }

  void emit_literal(char32_t c) {
    wide_ += literal<wchar_t>(c);
    // No ASCII text contains a non-ASCII character.
    ascii_ += c < 0x80 ? literal<char>(c) : std::string("[^\\x00-\\x7F]");
  }

  void emit_class(const Ranges& members, bool negated) {
    Ranges set = normalized(members);
    if (set.empty()) {
      // ECMAScript's [] never matches and [^] matches anything; std::regex rejects both.
      wide_ += negated ? L"[\\x00-\U0010FFFF]" : L"[^\\x00-\U0010FFFF]";
    } else {
      wide_ += negated ? L"[^" : L"[";
      for (const CodeRange& r : set) {
        wide_ += literal<wchar_t>(r.lo);
        if (r.hi != r.lo) wide_ += L'-' + literal<wchar_t>(r.hi);
      }
      wide_ += L']';
    }
    Ranges ascii;
    for (const CodeRange& r : set) {
      if (r.lo < 0x80) ascii.push_back({r.lo, std::min<char32_t>(r.hi, 0x7F)});
    }
    if (ascii.empty()) {
      ascii_ += negated ? "[\\x00-\\x7F]" : "[^\\x00-\\x7F]";
      return;
    }
    ascii_ += negated ? "[^" : "[";
    for (const CodeRange& r : ascii) {
      ascii_ += literal<char>(r.lo);
      if (r.hi != r.lo) ascii_ += '-' + literal<char>(r.hi);
    }
    ascii_ += ']';
  }

  void group() {
    if (groups_.size() > kMaxGroupDepth)
      throw Unsupported{fmt::format("groups nested deeper than {}", kMaxGroupDepth)};
    std::u32string_view rest = p_.substr(i_);
    if (rest.substr(0, 3) == U"?<=" || rest.substr(0, 3) == U"?<!") {
      if (!syntax_only_) throw Unsupported{"lookbehind (?<= ) is not supported"};
      emit(rest[2] == '=' ? "(?=" : "(?!");
      i_ += 3;
      groups_.push_back(false);
      return;
    }
    groups_.push_back(false);
    if (rest.substr(0, 2) == U"?<") {
      if (!syntax_only_) throw Unsupported{"named groups (?<name> ) are not supported"};
      skip_group_name(2);
      emit("(");
      return;
    }
    for (std::u32string_view prefix : {U"?:", U"?=", U"?!"}) {
      if (rest.substr(0, 2) == prefix) {
        i_ += 2;
        emit(prefix == U"?:" ? "(?:" : (prefix == U"?=" ? "(?=" : "(?!"));
        return;
      }
    }
    emit("(");
  }

  // Skips "<name>" starting `offset` code points ahead.
  void skip_group_name(std::size_t offset) {
    std::size_t close = p_.find('>', i_ + offset);
    if (close == std::u32string_view::npos || close == i_ + offset)
      throw Unsupported{"bad group name"};
    for (std::size_t k = i_ + offset; k < close; ++k) {
      char32_t c = p_[k];
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
                c >= 0x80 || (k > i_ + offset && c >= '0' && c <= '9');
      if (!ok) throw Unsupported{"bad group name"};
    }
    i_ = close + 1;
  }

  // \d \D \w \W \s \S \p{..} \P{..}: the set they stand for, or false for other escapes.
  bool class_escape(char32_t e, Ranges* set) {
    switch (e) {
      case 'd':
        *set = kDigits;
        return true;
      case 'D':
        *set = complement(kDigits);
        return true;
      case 'w':
        *set = kWordChars;
        return true;
      case 'W':
        *set = complement(kWordChars);
        return true;
      case 's':
        *set = kSpaces;
        return true;
      case 'S':
        *set = complement(kSpaces);
        return true;
      case 'p':
      case 'P': {
        Ranges r = property();
        *set = e == 'p' ? r : complement(r);
        return true;
      }
      default:
        return false;
    }
  }

  Ranges property() {
    if (i_ >= p_.size() || p_[i_] != '{') throw Unsupported{"\\p needs a {Property}"};
    std::size_t end = p_.find('}', i_);
    if (end == std::u32string_view::npos) throw Unsupported{"\\p{ is not closed"};
    std::string name;
    for (char32_t c : p_.substr(i_ + 1, end - i_ - 1))
      name += static_cast<char>(c < 0x80 ? c : '?');
    i_ = end + 1;
    if (name.starts_with("General_Category=")) name = name.substr(17);
    if (name.starts_with("gc=")) name = name.substr(3);
    std::span<const CodeRange> table;
    if (name == "L" || name == "Letter") {
      table = unicode::letters();
    } else if (name == "N" || name == "Number") {
      table = unicode::numbers();
    } else if (name == "Nd" || name == "Decimal_Number" || name == "digit") {
      table = unicode::decimal_digits();
    } else if (name == "M" || name == "Mark" || name == "Combining_Mark") {
      table = unicode::marks();
    } else {
      throw Unsupported{fmt::format("the Unicode property \\p{{{}}} is not supported", name)};
    }
    return Ranges(table.begin(), table.end());
  }

  char32_t unicode_escape() {
    // \u{X...} (Unicode mode) or \uXXXX, with a surrogate pair joined into one code point.
    if (i_ < p_.size() && p_[i_] == '{') {
      std::size_t end = p_.find('}', i_);
      if (end == std::u32string_view::npos || end == i_ + 1)
        throw Unsupported{"bad \\u{...} escape"};
      char32_t v = 0;
      for (std::size_t k = i_ + 1; k < end; ++k) {
        if (!is_hex(p_[k]) || v > kMaxCodePoint) throw Unsupported{"bad \\u{...} escape"};
        v = v * 16 + hex_value(p_[k]);
      }
      if (v > kMaxCodePoint) throw Unsupported{"bad \\u{...} escape"};
      i_ = end + 1;
      return v;
    }
    auto hex4 = [&](std::size_t at, char32_t* v) {
      if (at + 4 > p_.size()) return false;
      *v = 0;
      for (std::size_t k = at; k < at + 4; ++k) {
        if (!is_hex(p_[k])) return false;
        *v = *v * 16 + hex_value(p_[k]);
      }
      return true;
    };
    char32_t v = 0;
    if (!hex4(i_, &v)) throw Unsupported{"bad \\u escape"};
    i_ += 4;
    char32_t low = 0;
    if (v >= 0xD800 && v <= 0xDBFF && p_.substr(i_, 2) == U"\\u" && hex4(i_ + 2, &low) &&
        low >= 0xDC00 && low <= 0xDFFF) {
      i_ += 6;
      v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
    }
    return v;
  }

  // A character escape (after the backslash): the code point it stands for.
  char32_t char_escape(char32_t e, bool in_class) {
    switch (e) {
      case 't':
        return 0x09;
      case 'n':
        return 0x0A;
      case 'v':
        return 0x0B;
      case 'f':
        return 0x0C;
      case 'r':
        return 0x0D;
      case 'u':
        return unicode_escape();
      case 'x': {
        if (i_ + 2 > p_.size() || !is_hex(p_[i_]) || !is_hex(p_[i_ + 1]))
          throw Unsupported{"bad \\x escape"};
        char32_t v = hex_value(p_[i_]) * 16 + hex_value(p_[i_ + 1]);
        i_ += 2;
        return v;
      }
      case 'c': {
        if (i_ >= p_.size()) throw Unsupported{"\\c needs a letter"};
        char32_t l = p_[i_];
        if (!((l >= 'a' && l <= 'z') || (l >= 'A' && l <= 'Z')))
          throw Unsupported{"\\c needs a letter"};
        ++i_;
        return l % 32;
      }
      case '0':
        if (i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '9')
          throw Unsupported{"octal escapes are not allowed"};
        return 0;
      default:
        break;
    }
    if (in_class && e == '-') return e;
    if (in_class && e == 'b') return 0x08;
    // Unicode mode allows identity escapes only of syntax characters.
    if (e < 0x80 && std::u32string_view(U"^$\\.*+?()[]{}|/").find(e) != std::u32string_view::npos)
      return e;
    throw Unsupported{
        fmt::format("'\\{}' is not a valid escape", static_cast<char>(e < 0x80 ? e : '?'))};
  }

  void escape() {
    if (i_ >= p_.size()) throw Unsupported{"the pattern ends with a lone backslash"};
    char32_t e = p_[i_++];
    Ranges set;
    if (class_escape(e, &set)) {
      emit_class(set, false);
      return;
    }
    if (e == 'b' || e == 'B') {
      emit(e == 'b' ? "\\b" : "\\B");
      return;
    }
    if (e >= '1' && e <= '9') {
      has_backreference_ = true;
      std::string ref = "\\";
      ref += static_cast<char>(e);
      while (i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '9') ref += static_cast<char>(p_[i_++]);
      emit(ref);
      return;
    }
    if (e == 'k') {
      if (!syntax_only_) throw Unsupported{"named back-references \\k<name> are not supported"};
      if (i_ >= p_.size() || p_[i_] != '<') throw Unsupported{"\\k needs a <name>"};
      skip_group_name(1);
      emit("(?:)");
      return;
    }
    emit_literal(char_escape(e, false));
  }

  // One class member: a character (returned) or a set (put in *set; returns kSet).
  static constexpr char32_t kSet = 0xFFFFFFFF;
  char32_t class_atom(Ranges* set) {
    if (i_ >= p_.size()) throw Unsupported{"[ is not closed"};
    char32_t c = p_[i_++];
    if (c != '\\') return c;
    if (i_ >= p_.size()) throw Unsupported{"[ is not closed"};
    char32_t e = p_[i_++];
    if (class_escape(e, set)) return kSet;
    if (e >= '1' && e <= '9') throw Unsupported{"a back-reference inside [...]"};
    return char_escape(e, true);
  }

  void char_class() {
    bool negated = false;
    if (i_ < p_.size() && p_[i_] == '^') {
      negated = true;
      ++i_;
    }
    Ranges members;
    while (true) {
      if (i_ >= p_.size()) throw Unsupported{"[ is not closed"};
      if (p_[i_] == ']') {
        ++i_;
        break;
      }
      Ranges set;
      char32_t lo = class_atom(&set);
      if (lo == kSet) {
        members.insert(members.end(), set.begin(), set.end());
        continue;
      }
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        ++i_;
        char32_t hi = class_atom(&set);
        if (hi == kSet) throw Unsupported{"a class escape cannot end a range"};
        if (hi < lo) throw Unsupported{"a range out of order in [...]"};
        members.push_back({lo, hi});
      } else {
        members.push_back({lo, lo});
      }
    }
    emit_class(members, negated);
  }

  std::u32string_view p_;
  bool syntax_only_;
  std::size_t i_ = 0;
  bool has_backreference_ = false;
  bool nested_quantifier_ = false;
  bool closed_group_risky_ = false;
  std::vector<bool> groups_;
  std::wstring wide_;
  std::string ascii_;
};

struct Compiled {
  std::regex ascii;
  std::wregex wide;
  std::wregex linear;
  bool has_linear = false;
  bool linear_only = false;
};

Compiled compile_ecma(std::string_view pattern, bool syntax_only) {
  std::u32string code_points = unicode::decode_utf8(pattern);
  if (code_points.size() > kMaxPatternLength)
    fail(ExitCode::DataErrors,
         fmt::format("invalid regular expression: it is longer than {} characters",
                     kMaxPatternLength));
  Translator translator(code_points, syntax_only);
  try {
    translator.run();
  } catch (const Unsupported& u) {
    fail(ExitCode::DataErrors, fmt::format("invalid regular expression '{}': {}", pattern, u.why));
  }
  try {
    Compiled c;
    c.wide = std::wregex(translator.wide(), std::regex::ECMAScript);
    if (syntax_only) return c;
    c.ascii = std::regex(translator.ascii(), std::regex::ECMAScript);
#ifdef __GLIBCXX__
    // libstdc++'s Thompson-NFA executor: slower on short text, but its stack does not
    // grow with the text, and its time is polynomial where backtracking's can be
    // exponential, as with (a+)+$ against "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!". It cannot
    // do back-references.
    if (!translator.has_backreference()) {
      constexpr auto kLinear = std::regex::ECMAScript | std::regex_constants::__polynomial;
      c.linear = std::wregex(translator.wide(), kLinear);
      c.has_linear = true;
      if (translator.has_nested_quantifier()) {
        c.ascii = std::regex(translator.ascii(), kLinear);
        c.linear_only = true;
      }
    }
#endif
    return c;
  } catch (const std::regex_error& e) {
    fail(ExitCode::DataErrors,
         fmt::format("invalid regular expression '{}': {}", pattern, e.what()));
  }
}

}  // namespace

// Most patterns in schemas are a row of classes with quantifiers, anchored:
// '^[a-z0-9][a-z0-9-]{0,63}$', '^[^\r\n]*\S[^\r\n]*$'. For those, a set-of-positions
// matcher (Thompson's construction, without the graph) runs in one pass over the text
// with no allocation, where std::regex's backtracking was 18% of a cold brm check.
struct EcmaRegex::Simple {
  struct Atom {
    std::uint64_t ascii[2] = {0, 0};  // code points below 128
    Ranges ranges;                    // all of them, for the rest
    bool matches(char32_t c) const {
      if (c < 128) return (ascii[c >> 6] >> (c & 63)) & 1u;
      auto it = std::upper_bound(ranges.begin(), ranges.end(), c,
                                 [](char32_t v, const CodeRange& r) { return v < r.lo; });
      return it != ranges.begin() && c <= (it - 1)->hi;
    }
  };
  enum class Repeat : std::uint8_t { Once, Optional, Star };
  struct Slot {
    std::uint16_t atom;
    Repeat repeat;
  };
  std::vector<Atom> atoms;
  std::vector<Slot> slots;  // each atom's quantifier unrolled: a{2,4} is a a a? a?
  bool anchored_start = false;
  bool anchored_end = false;

  // The matcher keeps the set of positions in the slots as the bits of one word: bit k
  // means "matched everything before slot k"; bit slots.size() means "matched".
  __extension__ using Bits = unsigned __int128;
  static constexpr std::size_t kMaxSlots = 126;  // the accept bit and `upto` fit in 127
  Bits ascii_slots[128] = {};     // per ASCII character: the slots it can fill
  std::vector<Bits> atom_slots;   // per atom: its slots
  Bits star = 0;                  // slots that repeat in place
  Bits accept = 0;
  struct Run {                    // slots that may match nothing, one after another
    Bits body;                    // their bits
    Bits upto;                    // every bit up to the position just after them
  };
  std::vector<Run> runs;

  void prepare() {
    atom_slots.assign(atoms.size(), 0);
    for (std::size_t k = 0; k < slots.size(); ++k) {
      atom_slots[slots[k].atom] |= Bits{1} << k;
      if (slots[k].repeat == Repeat::Star) star |= Bits{1} << k;
    }
    for (std::size_t a = 0; a < atoms.size(); ++a)
      for (char32_t c = 0; c < 128; ++c)
        if (atoms[a].matches(c)) ascii_slots[c] |= atom_slots[a];
    accept = Bits{1} << slots.size();
    for (std::size_t k = 0; k < slots.size();) {
      if (slots[k].repeat == Repeat::Once) {
        ++k;
        continue;
      }
      std::size_t e = k;
      Bits body = 0;
      while (e < slots.size() && slots[e].repeat != Repeat::Once) body |= Bits{1} << e++;
      runs.push_back({body, (Bits{1} << (e + 1)) - 1});  // e + 1 <= 127: kMaxSlots
      k = e;
    }
  }

  // Adds the positions reached by skipping slots that may match nothing.
  Bits close(Bits x) const {
    for (const Run& r : runs) {
      Bits y = x & r.body;
      if (y) x |= r.upto & ~((y & (~y + 1)) - 1);
    }
    return x;
  }

  // nullptr when the pattern has anything else: groups, alternatives, assertions,
  // back-references, \u escapes, lazy quantifiers, non-ASCII characters.
  static std::unique_ptr<Simple> compile(std::string_view p) {
    auto out = std::make_unique<Simple>();
    std::size_t i = 0;
    if (i < p.size() && p[i] == '^') out->anchored_start = true, ++i;
    while (i < p.size()) {
      char c = p[i];
      if (c == '$' && i + 1 == p.size()) {
        out->anchored_end = true;
        break;
      }
      Ranges r;
      if (c == '[') {
        if (!char_class(p, &i, &r)) return nullptr;
      } else if (c == '\\') {
        if (!escape(p, &i, &r, false)) return nullptr;
      } else if (c == '.') {
        r = complement(kLineTerminators);
        ++i;
      } else if (static_cast<unsigned char>(c) >= 0x80 || c < 0x20 ||
                 std::string_view("^$|?*+()[]{}").find(c) != std::string_view::npos) {
        return nullptr;
      } else {
        r = {{static_cast<char32_t>(c), static_cast<char32_t>(c)}};
        ++i;
      }
      std::uint32_t min = 1, max = 1;
      if (!quantifier(p, &i, &min, &max)) return nullptr;
      Atom a;
      a.ranges = normalized(std::move(r));
      for (const CodeRange& x : a.ranges)
        for (char32_t ch = x.lo; ch <= x.hi && ch < 128; ++ch) a.ascii[ch >> 6] |= std::uint64_t{1} << (ch & 63);
      auto index = static_cast<std::uint16_t>(out->atoms.size());
      out->atoms.push_back(std::move(a));
      constexpr std::uint32_t kUnbounded = 0xFFFFFFFF;
      if (min > kMaxSlots || (max != kUnbounded && max > kMaxSlots)) return nullptr;
      for (std::uint32_t k = 0; k < min; ++k) out->slots.push_back({index, Repeat::Once});
      if (max == kUnbounded)
        out->slots.push_back({index, Repeat::Star});
      else
        for (std::uint32_t k = min; k < max; ++k) out->slots.push_back({index, Repeat::Optional});
      if (out->slots.size() > kMaxSlots) return nullptr;
    }
    out->prepare();
    return out;
  }

  // \d \D \w \W \s \S, control escapes, and escaped ASCII punctuation.
  static bool escape(std::string_view p, std::size_t* i, Ranges* r, bool in_class) {
    if (*i + 1 >= p.size()) return false;
    char e = p[*i + 1];
    *i += 2;
    auto one = [&](char32_t c) { r->push_back({c, c}); };
    auto add = [&](const Ranges& x) { r->insert(r->end(), x.begin(), x.end()); };
    switch (e) {
      case 'd': add(kDigits); return true;
      case 'D': add(complement(kDigits)); return true;
      case 'w': add(kWordChars); return true;
      case 'W': add(complement(kWordChars)); return true;
      case 's': add(kSpaces); return true;
      case 'S': add(complement(kSpaces)); return true;
      case 'n': one('\n'); return true;
      case 'r': one('\r'); return true;
      case 't': one('\t'); return true;
      case 'f': one('\f'); return true;
      case 'v': one('\v'); return true;
      default: break;
    }
    if (in_class && e == '-') {
      one('-');
      return true;
    }
    // In Unicode mode only syntax characters and '/' may be escaped.
    if (std::string_view("^$\\.*+?()[]{}|/").find(e) == std::string_view::npos) return false;
    one(static_cast<char32_t>(static_cast<unsigned char>(e)));
    return true;
  }

  static bool char_class(std::string_view p, std::size_t* i, Ranges* r) {
    std::size_t k = *i + 1;
    bool negate = k < p.size() && p[k] == '^';
    if (negate) ++k;
    Ranges set;
    bool first = true;
    while (k < p.size()) {
      if (p[k] == ']') {
        if (first) return false;  // "[]" matches nothing in ECMA: leave it to std::regex
        break;
      }
      first = false;
      // One class atom: a character (maybe the start of a range) or a class escape.
      auto single = [&](char32_t* out) -> int {  // 1: a character, 0: a class, -1: not ours
        char c = p[k];
        if (static_cast<unsigned char>(c) >= 0x80 || c < 0x20) return -1;
        if (c == '\\') {
          Ranges tmp;
          std::size_t at = k;
          if (!escape(p, &at, &tmp, true)) return -1;
          k = at;
          if (tmp.size() == 1 && tmp[0].lo == tmp[0].hi) {  // not a class like \d
            *out = tmp[0].lo;
            return 1;
          }
          set.insert(set.end(), tmp.begin(), tmp.end());
          return 0;
        }
        if (c == '[') return -1;  // nested or POSIX-like classes: not ours
        ++k;
        *out = static_cast<char32_t>(c);
        return 1;
      };
      char32_t lo = 0;
      int kind = single(&lo);
      if (kind < 0) return false;
      if (kind == 0) continue;
      if (k + 1 < p.size() && p[k] == '-' && p[k + 1] != ']') {
        ++k;
        char32_t hi = 0;
        int kind_hi = single(&hi);
        if (kind_hi != 1 || hi < lo) return false;
        set.push_back({lo, hi});
      } else {
        set.push_back({lo, lo});
      }
    }
    if (k >= p.size()) return false;
    *i = k + 1;
    *r = negate ? complement(set) : normalized(std::move(set));
    return true;
  }

  static bool quantifier(std::string_view p, std::size_t* i, std::uint32_t* min, std::uint32_t* max) {
    constexpr std::uint32_t kUnbounded = 0xFFFFFFFF;
    if (*i >= p.size()) return true;
    char q = p[*i];
    if (q == '*') *min = 0, *max = kUnbounded, ++*i;
    else if (q == '+') *min = 1, *max = kUnbounded, ++*i;
    else if (q == '?') *min = 0, *max = 1, ++*i;
    else if (q == '{') {
      std::size_t k = *i + 1;
      auto number = [&](std::uint32_t* out) {
        std::size_t from = k;
        std::uint32_t v = 0;
        while (k < p.size() && p[k] >= '0' && p[k] <= '9' && k - from < 6) v = v * 10 + static_cast<std::uint32_t>(p[k++] - '0');
        *out = v;
        return k > from && k - from < 6;
      };
      if (!number(min)) return false;
      if (k < p.size() && p[k] == '}') {
        *max = *min;
      } else if (k < p.size() && p[k] == ',') {
        ++k;
        if (k < p.size() && p[k] == '}') *max = kUnbounded;
        else if (!number(max) || *max < *min) return false;
      } else {
        return false;
      }
      if (k >= p.size() || p[k] != '}') return false;
      *i = k + 1;
    } else {
      return true;
    }
    // A lazy quantifier or a quantifier on a quantifier: leave it to std::regex.
    return !(*i < p.size() && (p[*i] == '?' || p[*i] == '*' || p[*i] == '+' || p[*i] == '{'));
  }

  // 1: a match, 0: none, -1: the text is not UTF-8 (std::regex decides).
  int search(std::string_view text) const {
    Bits now = close(1);
    if ((now & accept) && !anchored_end) return 1;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    while (i < text.size()) {
      char32_t c = s[i];
      Bits fits;
      if (c < 0x80) {
        fits = ascii_slots[c];
        ++i;
      } else {
        std::size_t len;
        if ((c & 0xE0) == 0xC0) len = 2, c &= 0x1F;
        else if ((c & 0xF0) == 0xE0) len = 3, c &= 0x0F;
        else if ((c & 0xF8) == 0xF0) len = 4, c &= 0x07;
        else return -1;
        if (i + len > text.size()) return -1;
        for (std::size_t k = 1; k < len; ++k) {
          if ((s[i + k] & 0xC0) != 0x80) return -1;
          c = (c << 6) | (s[i + k] & 0x3Fu);
        }
        i += len;
        fits = 0;
        for (std::size_t a = 0; a < atoms.size(); ++a)
          if (atoms[a].matches(c)) fits |= atom_slots[a];
      }
      Bits moved = now & fits;
      Bits next = ((moved & ~star) << 1) | (moved & star);
      if (!anchored_start) next |= 1;
      if (!next) return 0;
      now = close(next);
      if ((now & accept) && !anchored_end) return 1;
    }
    return (now & accept) ? 1 : 0;
  }
};

EcmaRegex::EcmaRegex(std::string_view pattern) : EcmaRegex(pattern, Engine::Any) {}

EcmaRegex::EcmaRegex(std::string_view pattern, Engine engine) : source_(pattern) {
  Compiled c = compile_ecma(pattern, false);  // also the syntax check
  ascii_ = std::move(c.ascii);
  wide_ = std::move(c.wide);
  linear_ = std::move(c.linear);
  has_linear_ = c.has_linear;
  linear_only_ = c.linear_only;
  if (engine == Engine::Any) simple_ = Simple::compile(pattern);
}

EcmaRegex::~EcmaRegex() = default;
EcmaRegex::EcmaRegex(EcmaRegex&&) noexcept = default;
EcmaRegex& EcmaRegex::operator=(EcmaRegex&&) noexcept = default;

bool EcmaRegex::search(std::string_view text) const {
  if (simple_) {
    int found = simple_->search(text);
    if (found >= 0) return found == 1;
  }
  bool ascii = std::all_of(text.begin(), text.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii && text.size() <= kMaxBacktrackingLength) {
    return std::regex_search(text.data(), text.data() + text.size(), ascii_);
  }
  std::wstring wide = unicode::decode_utf8_wide(text);
  if (wide.size() <= kMaxBacktrackingLength && !linear_only_) {
    return std::regex_search(wide, wide_);
  }
  if (has_linear_) return std::regex_search(wide, linear_);
  return false;
}

bool is_ecma_regex(std::string_view pattern, std::string* why) {
  try {
    compile_ecma(pattern, true);
    return true;
  } catch (const Error& e) {
    if (why != nullptr) *why = e.what();
    return false;
  }
}

}  // namespace brm

// ECMA-262 patterns (Unicode mode) run by PCRE2. A short pass over the pattern checks it
// against ECMA-262's grammar, so that PCRE-only syntax ((?i), \A, a++, [[:alpha:]]) is an
// error as in JavaScript, and rewrites the few places where PCRE2 reads the same text
// differently: `.`, \s, \v, empty classes, \p{Long_Name}, \N back-references. PCRE2 runs
// without PCRE2_UCP so that \d, \w and \b stay ASCII as ECMA-262 says; \p{...} is
// Unicode in UTF mode regardless. docs/decisions.md lists what remains different.
#include "schema_regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "brm/error.hpp"
#include "brm/utf8.hpp"
#include "schema_unicode.hpp"

namespace brm {
namespace {

// Schemas' patterns are short; a long one costs compile time and memory for nothing.
constexpr std::size_t kMaxPatternLength = 4096;
constexpr std::size_t kMaxGroupDepth = 64;
// A hostile pattern stops here (Match::TooCostly) instead of running for hours; an
// ordinary pattern over text of a few hundred KiB stays well below.
constexpr std::uint32_t kMatchLimit = 2'000'000;
constexpr std::uint32_t kDepthLimit = 2'000'000;
constexpr std::uint32_t kHeapLimitKiB = 64 * 1024;
constexpr std::size_t kJitStackMax = 16 * 1024 * 1024;  // reserved, used as needed

struct Unsupported {
  std::string why;
};

using unicode::CodeRange;
// ECMA-262's WhiteSpace and LineTerminator: \s. PCRE2's \s is ASCII without UCP.
constexpr CodeRange kSpaces[] = {
    {0x09, 0x0D},     {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
    {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};

// ECMA-262's long General_Category names; PCRE2 10.42 knows only the short ones.
constexpr std::pair<std::string_view, std::string_view> kCategories[] = {
    {"Cased_Letter", "L&"},
    {"LC", "L&"},
    {"Close_Punctuation", "Pe"},
    {"Connector_Punctuation", "Pc"},
    {"Control", "Cc"},
    {"cntrl", "Cc"},
    {"Currency_Symbol", "Sc"},
    {"Dash_Punctuation", "Pd"},
    {"Decimal_Number", "Nd"},
    {"digit", "Nd"},
    {"Enclosing_Mark", "Me"},
    {"Final_Punctuation", "Pf"},
    {"Format", "Cf"},
    {"Initial_Punctuation", "Pi"},
    {"Letter", "L"},
    {"Letter_Number", "Nl"},
    {"Line_Separator", "Zl"},
    {"Lowercase_Letter", "Ll"},
    {"Mark", "M"},
    {"Combining_Mark", "M"},
    {"Math_Symbol", "Sm"},
    {"Modifier_Letter", "Lm"},
    {"Modifier_Symbol", "Sk"},
    {"Nonspacing_Mark", "Mn"},
    {"Number", "N"},
    {"Open_Punctuation", "Ps"},
    {"Other", "C"},
    {"Other_Letter", "Lo"},
    {"Other_Number", "No"},
    {"Other_Punctuation", "Po"},
    {"Other_Symbol", "So"},
    {"Paragraph_Separator", "Zp"},
    {"Private_Use", "Co"},
    {"Punctuation", "P"},
    {"punct", "P"},
    {"Separator", "Z"},
    {"Space_Separator", "Zs"},
    {"Spacing_Mark", "Mc"},
    {"Surrogate", "Cs"},
    {"Symbol", "S"},
    {"Titlecase_Letter", "Lt"},
    {"Unassigned", "Cn"},
    {"Uppercase_Letter", "Lu"}};

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
unsigned hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  return static_cast<unsigned>((c | 0x20) - 'a' + 10);
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string code_point(char32_t c) { return fmt::format("\\u{{{:X}}}", static_cast<unsigned>(c)); }

// Class members for `ranges`, or for everything else when `negated`.
std::string class_members(std::span<const CodeRange> ranges, bool negated) {
  std::vector<CodeRange> set(ranges.begin(), ranges.end());
  if (negated) {
    std::vector<CodeRange> rest;
    char32_t next = 0;
    for (const CodeRange& r : set) {
      if (r.lo > next) rest.push_back({next, r.lo - 1});
      next = r.hi + 1;
    }
    rest.push_back({next, 0x10FFFF});
    set = std::move(rest);
  }
  std::string out;
  for (const CodeRange& r : set) {
    out += code_point(r.lo);
    if (r.hi != r.lo) {
      out += '-';
      out += code_point(r.hi);
    }
  }
  return out;
}

// Checks one pattern against ECMA-262's grammar (Unicode mode) and writes it for PCRE2
// with PCRE2_ALT_BSUX, under which \uXXXX, \u{...} and \xHH mean what they mean in ECMA.
class Translator {
 public:
  explicit Translator(std::string_view p) : p_(p) {}

  std::string run() {
    while (i_ < p_.size()) term(p_[i_++]);
    if (!lookaround_.empty()) throw Unsupported{"missing )"};
    return std::move(out_);
  }

 private:
  void term(char c) {
    switch (c) {
      case '\\':
        return atom_escape();
      case '[':
        return atom(char_class());
      case '.':
        return atom("[^\\n\\r\\u{2028}\\u{2029}]");
      case '(':
        return open_group();
      case ')':
        return close_group();
      case '|':
      case '^':
      case '$':
        return assertion(std::string(1, c));
      case '*':
      case '+':
      case '?':
        return quantifier(std::string(1, c));
      case '{':
        return quantifier(braces());
      case '}':
      case ']':
        throw Unsupported{fmt::format("a lone '{}' (escape it as \\{})", c, c)};
      default:
        return atom(std::string(1, c));  // UTF-8 bytes pass through
    }
  }

  void atom(std::string_view text) {
    out_ += text;
    repeatable_ = true;
  }
  void assertion(std::string_view text) {
    out_ += text;
    repeatable_ = false;
  }

  void quantifier(std::string text) {
    // ECMA forbids quantifying an assertion and a quantifier (PCRE's possessive a++).
    if (!repeatable_) throw Unsupported{"nothing to repeat"};
    if (i_ < p_.size() && p_[i_] == '?') text += p_[i_++];  // lazy
    assertion(text);
  }

  // {n}, {n,} or {n,m}; in Unicode mode a '{' is nothing else.
  std::string braces() {
    std::size_t k = i_;
    auto digits = [&] {
      std::size_t from = k;
      while (k < p_.size() && is_digit(p_[k])) ++k;
      return k > from;
    };
    bool ok = digits();
    if (ok && k < p_.size() && p_[k] == ',') {
      ++k;
      digits();
    }
    if (!ok || k >= p_.size() || p_[k] != '}') throw Unsupported{"a lone '{' (escape it as \\{)"};
    std::string text(p_.substr(i_ - 1, k + 2 - i_));
    i_ = k + 1;
    return text;
  }

  void open_group() {
    if (lookaround_.size() >= kMaxGroupDepth)
      throw Unsupported{fmt::format("groups nested deeper than {}", kMaxGroupDepth)};
    std::string_view rest = p_.substr(i_);
    bool look = rest.starts_with("?=") || rest.starts_with("?!") || rest.starts_with("?<=") ||
                rest.starts_with("?<!");
    std::size_t skip = 0;
    if (look) {
      skip = rest[1] == '<' ? 3 : 2;
    } else if (rest.starts_with("?:")) {
      skip = 2;
    } else if (rest.starts_with("?<")) {
      skip = 2 + group_name(i_ + 2).size() + 1;
    } else if (rest.starts_with("?")) {
      throw Unsupported{"'(?' must start (?:, (?=, (?!, (?<=, (?<! or (?<name>"};
    }
    out_ += '(';
    out_ += rest.substr(0, skip);
    i_ += skip;
    lookaround_.push_back(look);
    repeatable_ = false;
  }

  void close_group() {
    if (lookaround_.empty()) throw Unsupported{"unmatched )"};
    out_ += ')';
    repeatable_ = !lookaround_.back();  // ECMA does not quantify a lookaround
    lookaround_.pop_back();
  }

  // The name of <name> starting at `at` (just after '<'): ECMA identifier characters.
  std::string_view group_name(std::size_t at) const {
    std::size_t close = p_.find('>', at);
    if (close == std::string_view::npos || close == at) throw Unsupported{"bad group name"};
    for (std::size_t k = at; k < close; ++k) {
      char c = p_[k];
      bool ok = is_letter(c) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80 ||
                (k > at && is_digit(c));
      if (!ok) throw Unsupported{"bad group name"};
    }
    return p_.substr(at, close - at);
  }

  void atom_escape() {
    if (i_ >= p_.size()) throw Unsupported{"the pattern ends with a lone backslash"};
    char e = p_[i_++];
    if (e == 'b' || e == 'B') return assertion(std::string{'\\', e});
    if (e >= '1' && e <= '9') {
      std::size_t from = i_ - 1;
      while (i_ < p_.size() && is_digit(p_[i_])) ++i_;
      // \g{N}: PCRE2 would read \12 as an octal escape when there are fewer groups.
      return atom(fmt::format("\\g{{{}}}", p_.substr(from, i_ - from)));
    }
    if (e == 'k') {
      if (i_ >= p_.size() || p_[i_] != '<') throw Unsupported{"\\k needs a <name>"};
      std::string_view name = group_name(i_ + 1);
      i_ += name.size() + 2;
      return atom(fmt::format("\\k<{}>", name));
    }
    if (std::string set = class_escape(e); !set.empty()) return atom(fmt::format("[{}]", set));
    atom(char_escape(e, false));
  }

  // \d \D \w \W \s \S \p{..} \P{..} as class members; "" for other escapes.
  std::string class_escape(char e) {
    switch (e) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return std::string{'\\', e};
      case 's':
      case 'S':
        return class_members(kSpaces, e == 'S');
      case 'p':
      case 'P':
        return property(e);
      default:
        return "";
    }
  }

  std::string property(char e) {
    std::size_t end = p_.find('}', i_);
    if (i_ >= p_.size() || p_[i_] != '{' || end == std::string_view::npos)
      throw Unsupported{fmt::format("\\{} needs a {{Property}}", e)};
    std::string_view name = p_.substr(i_ + 1, end - i_ - 1);
    i_ = end + 1;
    std::string_view key;
    if (std::size_t eq = name.find('='); eq != std::string_view::npos) {
      key = name.substr(0, eq);
      name = name.substr(eq + 1);
      if (key != "General_Category" && key != "gc" && key != "Script" && key != "sc" &&
          key != "Script_Extensions" && key != "scx")
        throw Unsupported{fmt::format("the Unicode property '{}' is not supported", key)};
    }
    std::string value(name);
    if (key.empty() || key == "General_Category" || key == "gc") {
      for (const auto& [long_name, short_name] : kCategories)
        if (name == long_name) value = short_name;
    } else {
      value = fmt::format("{}={}", key, name);  // PCRE2 knows scripts by ECMA's names
    }
    return fmt::format("\\{}{{{}}}", e, value);
  }

  // A character escape (after the backslash) written for PCRE2.
  std::string char_escape(char e, bool in_class) {
    switch (e) {
      case 't':
      case 'n':
      case 'f':
      case 'r':
        return std::string{'\\', e};
      case 'v':
        return "\\x0B";  // PCRE2's \v is any vertical space
      case 'c':
        if (i_ >= p_.size() || !is_letter(p_[i_])) throw Unsupported{"\\c needs a letter"};
        return std::string{'\\', 'c', p_[i_++]};
      case '0':
        if (i_ < p_.size() && is_digit(p_[i_])) throw Unsupported{"octal escapes are not allowed"};
        return "\\x00";
      case 'x':
        if (i_ + 2 > p_.size() || !is_hex(p_[i_]) || !is_hex(p_[i_ + 1]))
          throw Unsupported{"bad \\x escape"};
        i_ += 2;
        return fmt::format("\\x{}", p_.substr(i_ - 2, 2));
      case 'u':
        return code_point(unicode_escape());
      default:
        break;
    }
    if (in_class && e == '-') return "\\-";
    if (in_class && e == 'b') return "\\x08";
    // Unicode mode allows identity escapes only of syntax characters.
    if (std::string_view("^$\\.*+?()[]{}|/").find(e) != std::string_view::npos)
      return std::string{'\\', e};
    throw Unsupported{fmt::format("'\\{}' is not a valid escape",
                                  static_cast<unsigned char>(e) < 0x80 ? e : '?')};
  }

  // \u{X...} or \uXXXX, a surrogate pair joined into one code point as ECMA does.
  char32_t unicode_escape() {
    if (i_ < p_.size() && p_[i_] == '{') {
      std::size_t end = p_.find('}', i_);
      char32_t v = 0;
      bool ok = end != std::string_view::npos && end > i_ + 1;
      for (std::size_t k = i_ + 1; ok && k < end; ++k) {
        ok = is_hex(p_[k]) && v <= 0x10FFFF;
        v = v * 16 + hex_value(p_[k]);
      }
      if (!ok || v > 0x10FFFF) throw Unsupported{"bad \\u{...} escape"};
      i_ = end + 1;
      return v;
    }
    auto hex4 = [&](std::size_t at, char32_t* v) {
      if (at + 4 > p_.size() || !std::all_of(p_.begin() + at, p_.begin() + at + 4, is_hex))
        return false;
      *v = 0;
      for (std::size_t k = at; k < at + 4; ++k) *v = *v * 16 + hex_value(p_[k]);
      return true;
    };
    char32_t v = 0, low = 0;
    if (!hex4(i_, &v)) throw Unsupported{"bad \\u escape"};
    i_ += 4;
    if (v >= 0xD800 && v <= 0xDBFF && p_.substr(i_, 2) == "\\u" && hex4(i_ + 2, &low) &&
        low >= 0xDC00 && low <= 0xDFFF) {
      i_ += 6;
      v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
    }
    return v;
  }

  // After '['. ECMA's [] matches nothing and [^] anything; PCRE2 reads both differently.
  std::string char_class() {
    bool negated = i_ < p_.size() && p_[i_] == '^';
    if (negated) ++i_;
    if (i_ < p_.size() && p_[i_] == ']') {
      ++i_;
      return negated ? "[\\x00-\\u{10FFFF}]" : "[^\\x00-\\u{10FFFF}]";
    }
    std::string out = negated ? "[^" : "[";
    bool first = true, dash = false;  // dash: a '-' that makes a range just came
    while (true) {
      if (i_ >= p_.size()) throw Unsupported{"[ is not closed"};
      char c = p_[i_++];
      if (c == ']') return out + "]";
      if (c == '[') {
        out += "\\[";  // a literal in ECMA; PCRE2 would read [:alpha:]
      } else if (c != '\\') {
        out += c;
      } else {
        out += class_atom_escape(dash);
      }
      dash = c == '-' && !first;
      first = false;
    }
  }

  std::string class_atom_escape(bool after_dash) {
    if (i_ >= p_.size()) throw Unsupported{"[ is not closed"};
    char e = p_[i_++];
    if (e >= '1' && e <= '9') throw Unsupported{"a back-reference inside [...]"};
    if (e == 'B' || e == 'k') throw Unsupported{fmt::format("'\\{}' inside [...]", e)};
    std::string set = class_escape(e);
    if (set.empty()) return char_escape(e, true);
    bool dash_next = i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']';
    if (after_dash || dash_next) throw Unsupported{"a class escape cannot end a range"};
    return set;
  }

  std::string_view p_;
  std::size_t i_ = 0;
  std::string out_;
  bool repeatable_ = false;       // whether a quantifier may follow
  std::vector<bool> lookaround_;  // per open group
};

std::string pcre_message(int code) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(code, buffer, sizeof buffer);
  return reinterpret_cast<const char*>(buffer);
}

struct CodeDeleter {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
using CodePtr = std::unique_ptr<pcre2_code, CodeDeleter>;

// The pattern compiled, or nullptr with *error (a PCRE2 error code, or 0 for a
// grammar error) and *why set.
CodePtr compile_ecma(std::string_view pattern, int* error, std::string* why) {
  *error = 0;
  if (code_point_count(pattern) > kMaxPatternLength) {
    *why = fmt::format("it is longer than {} characters", kMaxPatternLength);
    return nullptr;
  }
  std::string translated;
  try {
    translated = Translator(pattern).run();
  } catch (const Unsupported& u) {
    *why = u.why;
    return nullptr;
  }
  std::unique_ptr<pcre2_compile_context, void (*)(pcre2_compile_context*)> context(
      pcre2_compile_context_create(nullptr), pcre2_compile_context_free);
  pcre2_set_compile_extra_options(context.get(),
                                  PCRE2_EXTRA_ALT_BSUX | PCRE2_EXTRA_ALLOW_SURROGATE_ESCAPES);
  constexpr std::uint32_t kOptions = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY |
                                     PCRE2_MATCH_UNSET_BACKREF | PCRE2_NEVER_BACKSLASH_C;
  PCRE2_SIZE offset = 0;
  CodePtr code(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                             kOptions, error, &offset, context.get()));
  if (code == nullptr) *why = pcre_message(*error);
  return code;
}

// What one thread needs to match: PCRE2's match data and JIT stack may not be shared.
struct MatchState {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_jit_stack* stack = pcre2_jit_stack_create(32 * 1024, kJitStackMax, nullptr);

  MatchState() {
    pcre2_set_match_limit(context, kMatchLimit);
    pcre2_set_depth_limit(context, kDepthLimit);
    pcre2_set_heap_limit(context, kHeapLimitKiB);
    if (stack != nullptr) pcre2_jit_stack_assign(context, nullptr, stack);
  }
  ~MatchState() {
    pcre2_jit_stack_free(stack);
    pcre2_match_context_free(context);
    pcre2_match_data_free(data);
  }
  MatchState(const MatchState&) = delete;
  MatchState& operator=(const MatchState&) = delete;
};

}  // namespace

struct EcmaRegex::Code {
  CodePtr code;
};

EcmaRegex::EcmaRegex(std::string_view pattern) : source_(pattern) {
  int error = 0;
  std::string why;
  CodePtr code = compile_ecma(pattern, &error, &why);
  if (code == nullptr)
    fail(ExitCode::DataErrors, fmt::format("invalid regular expression '{}': {}", pattern, why));
  pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE);  // without a JIT, the interpreter runs
  code_ = std::make_unique<Code>(Code{std::move(code)});
}

EcmaRegex::~EcmaRegex() = default;
EcmaRegex::EcmaRegex(EcmaRegex&&) noexcept = default;
EcmaRegex& EcmaRegex::operator=(EcmaRegex&&) noexcept = default;

EcmaRegex::Match EcmaRegex::match(std::string_view text) const {
  thread_local MatchState state;
  auto run = [&](std::string_view t) {
    return pcre2_match(code_->code.get(), reinterpret_cast<PCRE2_SPTR>(t.data()), t.size(), 0, 0,
                       state.data, state.context);
  };
  int rc = run(text);
  if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) {
    // Not UTF-8: match as if each bad sequence were U+FFFD, as minLength counts it.
    std::string repaired;
    for (char32_t c : decode_utf8(text)) {
      bool scalar = c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF);
      append_utf8(repaired, scalar ? c : 0xFFFD);
    }
    rc = run(repaired);
  }
  if (rc >= 0) return Match::Yes;  // 0: a match with more groups than the match data holds
  if (rc == PCRE2_ERROR_NOMATCH) return Match::No;
  return Match::TooCostly;  // a match, depth, heap or JIT stack limit
}

bool is_ecma_regex(std::string_view pattern, std::string* why) {
  int error = 0;
  std::string message;
  if (compile_ecma(pattern, &error, &message) != nullptr) return true;
  // ECMA-262 allows any lookbehind; PCRE2 10.42 only those of bounded length.
  if (error == PCRE2_ERROR_LOOKBEHIND_NOT_FIXED_LENGTH ||
      error == PCRE2_ERROR_LOOKBEHIND_TOO_COMPLICATED)
    return true;
  if (why != nullptr) *why = fmt::format("invalid regular expression '{}': {}", pattern, message);
  return false;
}

}  // namespace brm

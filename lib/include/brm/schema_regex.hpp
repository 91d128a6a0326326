// Regular expressions for `pattern` and `patternProperties`: ECMA-262 (Unicode mode)
// translated to std::regex, over UTF-32 so that `.` and classes match code points.
#pragma once

#include <regex>
#include <string>
#include <memory>
#include <string_view>

namespace brm {

class EcmaRegex {
 public:
  // Throws brm::Error (DataErrors) when `pattern` is not ECMA-262 or needs a feature that
  // std::regex lacks (lookbehind, named groups, most \p{...} properties).
  explicit EcmaRegex(std::string_view pattern);
  // Tests compare the two engines: Engine::StdRegex never takes the class matcher.
  enum class Engine { Any, StdRegex };
  EcmaRegex(std::string_view pattern, Engine engine);
  ~EcmaRegex();
  EcmaRegex(EcmaRegex&&) noexcept;
  EcmaRegex& operator=(EcmaRegex&&) noexcept;

  // Anywhere in `text`, as JSON Schema's `pattern` asks (not a full match). std::regex's
  // backtracking recurses per character (up to ~1 KiB of stack each), so text longer than
  // kMaxBacktrackingLength code points goes to a linear-stack matcher instead, as does
  // all text for patterns where backtracking can take exponential time, like (a+)+. A
  // pattern with back-references has no such matcher: longer text does not match it.
  bool search(std::string_view text) const;
  const std::string& source() const noexcept { return source_; }

  static constexpr std::size_t kMaxBacktrackingLength = 256;
  // Whether search() runs the class matcher (a pattern of classes and quantifiers only).
  bool is_simple() const noexcept { return simple_ != nullptr; }

 private:
  std::string source_;
  std::regex ascii_;    // short ASCII text, the common case: no conversion, cached classes
  std::wregex wide_;    // short text with other characters
  std::wregex linear_;  // long text
  bool has_linear_ = false;
  bool linear_only_ = false;  // nested quantifiers: never backtrack
  struct Simple;
  std::unique_ptr<Simple> simple_;  // set when the pattern is only classes and quantifiers
};

// For the `regex` format: whether `pattern` compiles; *why says what is wrong.
bool is_ecma_regex(std::string_view pattern, std::string* why);

}  // namespace brm

// Regular expressions for `pattern` and `patternProperties`: ECMA-262 (Unicode mode),
// checked against ECMA-262's grammar and run by PCRE2 (docs/decisions.md says where the
// two differ and what brm does about it).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace brm {

class EcmaRegex {
 public:
  // Throws brm::Error (DataErrors) when `pattern` is not ECMA-262 or needs what PCRE2
  // lacks (a lookbehind of variable length).
  explicit EcmaRegex(std::string_view pattern);
  ~EcmaRegex();
  EcmaRegex(EcmaRegex&&) noexcept;
  EcmaRegex& operator=(EcmaRegex&&) noexcept;

  // Anywhere in `text`, as JSON Schema's `pattern` asks (not a full match). TooCostly:
  // PCRE2's match limits stopped it (a pattern like (a+)+$ on long text), which callers
  // report as a finding. Safe to call from several threads at once.
  enum class Match { No, Yes, TooCostly };
  Match match(std::string_view text) const;
  bool search(std::string_view text) const { return match(text) == Match::Yes; }
  const std::string& source() const noexcept { return source_; }

 private:
  std::string source_;
  struct Code;
  std::unique_ptr<Code> code_;
};

// For the `regex` format: whether `pattern` is ECMA-262; *why says what is wrong.
bool is_ecma_regex(std::string_view pattern, std::string* why);

}  // namespace brm

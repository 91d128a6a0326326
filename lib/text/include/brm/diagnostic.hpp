// Findings in the data. They are values, never exceptions, so that `brm check`
// reports every one of them in one run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace brm {

enum class Severity : std::uint8_t { Note, Warning, Error };

std::string_view severity_name(Severity s) noexcept;  // "note", "warning", "error"

struct Diagnostic {
  std::string file;          // relative to the repository root, '/' separated
  std::uint32_t line = 0;    // 1-based; 0 when the finding is about the whole file
  std::uint32_t column = 0;  // 1-based; 0 when unknown
  Severity severity = Severity::Error;
  std::string rule;     // stable id, e.g. "unknown-field"
  std::string message;  // lowercase start, no final full stop
};

using Diagnostics = std::vector<Diagnostic>;

// By file, line, column, then severity (errors first), rule and message: a stable order.
void sort_diagnostics(Diagnostics& ds);

std::size_t count_severity(const Diagnostics& ds, Severity s) noexcept;

// `file:line:col: error: message [rule]` (line and column left out when 0).
std::string format_text(const Diagnostic& d);
// `::error file=F,line=L,col=C::message [rule]` with GitHub's escaping.
std::string format_github(const Diagnostic& d);
// {"findings":[{file,line,column,severity,rule,message}...],"errors":N,"warnings":N,"notes":N}
std::string format_json(const Diagnostics& ds, std::size_t files_checked);

// The closest candidate by edit distance, or empty when none is close enough
// (ninja's "did you mean").
std::string_view closest_match(std::string_view word,
                               const std::vector<std::string_view>& candidates);

}  // namespace brm

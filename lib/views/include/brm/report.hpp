// brm report: the published report (the measures, survey results, complaints,
// agreements) or the pack for the next meeting with one customer, as Markdown or as one
// self-contained HTML file with inline SVG charts.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "brm/date.hpp"
#include "brm/measure.hpp"
#include "brm/repository.hpp"

namespace brm {

enum class ReportFormat { Markdown, Html };

struct ReportOptions {
  Date as_of;                 // the day the report describes
  std::optional<Date> since;  // the period's first day; default: the year up to as_of
  std::string account;        // empty: the whole organisation; else that customer's meeting pack
  // Record files left out for errors, unreadable ones included (the model only knows the
  // ones it kept); the footer says so.
  std::size_t left_out = 0;
  // The figures at each point of the trend charts (report_trend_days(as_of)); empty: the
  // report computes them from the records by their own dates. `--history` fills them
  // from the git history instead, and says so.
  std::vector<Measures> trend;
  bool trend_from_history = false;
};

// Only valid records count, as in the measures. Record text is escaped for the format:
// HTML character references (SVG labels and attributes included), Markdown backslashes.
// The HTML has no scripts and loads nothing; a Content-Security-Policy says so too.
std::string render_report(const Repository& repo, const ReportOptions& options,
                          ReportFormat format);

}  // namespace brm

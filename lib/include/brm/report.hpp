// brm report: the published report (the measures, survey results, complaints,
// agreements) or the pack for the next meeting with one customer, as Markdown or as one
// self-contained HTML file with inline SVG charts.
#pragma once

#include <cstddef>
#include <string>

#include "brm/date.hpp"
#include "brm/repository.hpp"

namespace brm {

enum class ReportFormat { Markdown, Html };

struct ReportOptions {
  Date as_of;           // the day the report describes; the period is the year up to it
  std::string account;  // empty: the whole organisation; else that customer's meeting pack
  // Record files left out for errors, unreadable ones included (the model only knows the
  // ones it kept); the footer says so.
  std::size_t left_out = 0;
};

// Only valid records count, as in the measures. Record text is escaped for the format:
// HTML character references (SVG labels and attributes included), Markdown backslashes.
// The HTML has no scripts and loads nothing; a Content-Security-Policy says so too.
std::string render_report(const Repository& repo, const ReportOptions& options,
                          ReportFormat format);

}  // namespace brm

// brm report: the published report, or the pack for the next meeting with a customer.
#include "brm/report.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "brm/agenda.hpp"
#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/history.hpp"
#include "brm/trend.hpp"
#include "cli.hpp"
#include "progress.hpp"

namespace brm::cli {
namespace {

struct ReportFlags {
  std::string customer;
  std::string format;  // empty: from -o's extension, else markdown
  std::string output;
  std::string as_of;
  std::string since;
  bool history = false;
};

ReportFormat format_of(const ReportFlags& o) {
  if (o.format == "html") return ReportFormat::Html;
  if (o.format == "markdown") return ReportFormat::Markdown;
  std::string ext = std::filesystem::path(o.output).extension().string();
  return ext == ".html" || ext == ".htm" ? ReportFormat::Html : ReportFormat::Markdown;
}

std::optional<Date> date_flag(std::string_view flag, const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = Date::parse(text);
  if (!d)
    throw Error(ExitCode::Usage, fmt::format("{} '{}' is not a date (YYYY-MM-DD)", flag, text));
  return d;
}

// The trend charts' figures as the git history held them at each point.
std::vector<Measures> history_trend(Context& ctx, Date as_of) {
  TrendOptions t;
  t.to = as_of;
  t.ends = report_trend_days(as_of);
  Trend trend = compute_trend(ctx.root(), t);
  std::vector<Measures> out;
  for (TrendRow& row : trend.rows) out.push_back(std::move(row.measures));
  return out;
}

void run_report(Context& ctx, const ReportFlags& o) {
  ReportOptions options;
  options.as_of = date_flag("--as-of", o.as_of).value_or(today());
  options.since = date_flag("--since", o.since);
  if (options.since && *options.since > options.as_of)
    throw Error(ExitCode::Usage, fmt::format("--since {} is after the day reported, {}",
                                             options.since->str(), options.as_of.str()));
  Diagnostics findings;  // brm check shows them; here they only leave records out
  Repository repo = load_worktree_with_progress(ctx, &findings);
  if (!o.customer.empty()) options.account = account_for(repo, o.customer);
  options.left_out = records_left_out(repo.record_files, repo);
  if (options.left_out > 0)
    std::fprintf(stderr, "brm: warning: %zu record%s with errors left out; run 'brm check'\n",
                 options.left_out, options.left_out == 1 ? "" : "s");

  if (o.history) {
    options.trend = history_trend(ctx, options.as_of);
    options.trend_from_history = true;
  }
  std::string text = render_report(repo, options, format_of(o));
  if (o.output.empty() || o.output == "-") {
    std::fputs(text.c_str(), stdout);
    return;
  }
  // The user's file, written where asked (relative to -C like every path argument),
  // atomically so that a report open in a browser is never half written.
  write_file_atomic(ctx.start_dir() / o.output, text);
}

}  // namespace

void setup_report(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ReportFlags>();
  auto* cmd = app.add_subcommand(
      "report", "The published report, or the pack for a meeting with one customer");
  cmd->add_option("--customer", o->customer, "The pack for the next meeting with this customer")
      ->option_text("ID");
  cmd->add_option("--format", o->format,
                  "Output: markdown or html (default: html for -o *.html, else markdown)")
      ->check(CLI::IsMember({"markdown", "html"}));
  cmd->add_option("-o,--output", o->output, "Write to FILE instead of standard output")
      ->option_text("FILE");
  cmd->add_option("--as-of", o->as_of, "The day the report describes (default: today)")
      ->option_text("DATE");
  cmd->add_option("--since", o->since,
                  "First day of the period (default: one year before --as-of, plus one day)")
      ->option_text("DATE");
  cmd->add_flag("--history", o->history,
                "Trend charts from the git history rather than the records' own dates");
  cmd->footer(
      "The HTML is one self-contained file: inline CSS and SVG charts, no scripts, nothing\n"
      "loaded from elsewhere; it prints on A4. Record text is escaped in every format.");
  cmd->callback([&ctx, o] { run_report(ctx, *o); });
}

}  // namespace brm::cli

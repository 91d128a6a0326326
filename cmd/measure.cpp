// brm measure: the process measurements of MEASURES.md, now, at a git revision, or as a
// trend by the records' own dates or over the repository's history.
#include "brm/measure.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "brm/error.hpp"
#include "brm/git.hpp"
#include "brm/history.hpp"
#include "brm/record_cache.hpp"
#include "brm/repository.hpp"
#include "brm/trend.hpp"
#include "cli.hpp"
#include "progress.hpp"

namespace brm::cli {
namespace {

struct MeasureOptions {
  std::string as_of;
  std::string since;
  std::string at;
  std::string trend;
  std::string from;
  std::string to;
  std::string format = "text";
  bool history = false;
};

std::optional<Date> date_flag(std::string_view flag, const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (auto d = Date::parse(text)) return d;
  throw Error(
      ExitCode::Usage,
      fmt::format("invalid date '{}' for {}: expected YYYY-MM-DD, a day that exists", text, flag));
}

void warn_left_out(std::size_t n, const std::string& at) {
  if (n == 0) return;
  std::string check = at.empty() ? "brm check" : fmt::format("brm check --at {}", at);
  std::fprintf(stderr, "brm: warning: %zu record%s with errors %s left out; run '%s'\n", n,
               n == 1 ? "" : "s", n == 1 ? "was" : "were", check.c_str());
}

void print_measures(const Measures& m, const std::string& format, const Settings& settings) {
  std::string out = format == "json"       ? measures_to_json(m)
                    : format == "csv"      ? measures_to_csv(m)
                    : format == "markdown" ? measures_to_markdown(m, settings.organisation)
                                           : measures_to_text(m, settings.organisation);
  std::fputs(out.c_str(), stdout);
}

// The records the figures are computed from: the work tree, or a revision's files.
struct Measured {
  Repository repo;
  std::size_t left_out = 0;
  std::optional<CommitInfo> commit;  // with --at
};

Measured load_measured(Context& ctx, const std::string& at) {
  Measured out;
  if (!at.empty()) {
    Revision rev = load_revision(ctx.root(), at);
    out.repo = std::move(rev.repo);
    out.left_out = rev.left_out;
    out.commit = std::move(rev.commit);
    return out;
  }
  // Findings are brm check's business; only the fields the figures read are loaded.
  LoadOptions load;
  Progress progress(ctx, "loading");
  load.progress = progress.callback();
  out.repo = load_worktree_fields(ctx.root(), measured_fields(), load);
  progress.finish();
  out.left_out = records_left_out(out.repo.record_files, out.repo);
  return out;
}

void print_trend(const Trend& trend, const std::string& format) {
  std::string out = format == "json"       ? trend_to_json(trend)
                    : format == "csv"      ? trend_to_csv(trend)
                    : format == "markdown" ? trend_to_markdown(trend)
                                           : trend_to_text(trend);
  std::fputs(out.c_str(), stdout);
}

void run_trend(Context& ctx, const MeasureOptions& o, std::optional<Date> as_of) {
  if (!o.since.empty())
    throw Error(ExitCode::Usage,
                "--since does not combine with --trend: each period covers the year up to its end");
  TrendOptions t;
  t.step = o.trend == "quarterly" ? TrendStep::Quarterly : TrendStep::Monthly;
  t.from = date_flag("--from", o.from);
  std::optional<Date> to = date_flag("--to", o.to);
  if (to && as_of && *to != *as_of)
    throw Error(ExitCode::Usage, "--to and --as-of disagree: a trend ends at one day");
  t.to = to ? *to : as_of ? *as_of : today();
  if (t.from && *t.from > t.to)
    throw Error(ExitCode::Usage, fmt::format("--from {} is after the end of the trend, {}",
                                             t.from->str(), t.to.str()));

  if (!o.history) {
    // By the records' own dates: one load, the figures at each period end.
    Measured measured = load_measured(ctx, o.at);
    Trend trend = compute_date_trend(measured.repo, trend_ends(t.step, t.from, t.to));
    print_trend(trend, o.format);
    std::fflush(stdout);
    warn_left_out(measured.left_out, o.at);
    keep_until_exit(std::move(measured.repo));
    return;
  }
  if (!o.at.empty()) t.rev = o.at;
  Trend trend = compute_trend(ctx.root(), t);
  print_trend(trend, o.format);

  // One warning for the whole trend, naming the newest commit that had errors.
  for (auto it = trend.rows.rbegin(); it != trend.rows.rend(); ++it) {
    if (it->measures.left_out == 0) continue;
    std::fflush(stdout);
    warn_left_out(it->measures.left_out, it->commit.id.substr(0, 7));
    break;
  }
}

void run_measure(Context& ctx, const MeasureOptions& o) {
  std::optional<Date> as_of = date_flag("--as-of", o.as_of);
  std::optional<Date> since = date_flag("--since", o.since);
  if (o.trend.empty() && (!o.from.empty() || !o.to.empty()))
    throw Error(ExitCode::Usage, "--from and --to need --trend monthly or --trend quarterly");
  if (!o.trend.empty()) return run_trend(ctx, o, as_of);

  if (o.history)
    throw Error(ExitCode::Usage, "--history needs --trend monthly or --trend quarterly");
  Measured measured = load_measured(ctx, o.at);
  // A revision describes the day it was committed, unless told otherwise.
  if (!as_of && measured.commit) as_of = date_of_unix_time(measured.commit->time);
  Repository& repo = measured.repo;
  std::size_t left_out = measured.left_out;
  if (!as_of) as_of = today();
  if (since && *since > *as_of)
    throw Error(ExitCode::Usage, fmt::format("--since {} is after the day measured, {}",
                                             since->str(), as_of->str()));

  Measures m = compute_measures(repo, *as_of, since);
  m.left_out = left_out;
  print_measures(m, o.format, repo.settings);
  std::fflush(stdout);
  warn_left_out(left_out, o.at);
  keep_until_exit(std::move(repo));
}

}  // namespace

void setup_measure(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<MeasureOptions>();
  auto* cmd = app.add_subcommand("measure", "The measurements of the process, now or in the past");
  cmd->add_option("--as-of", o->as_of, "The day the figures describe (default: today)")
      ->option_text("DATE");
  cmd->add_option("--since", o->since,
                  "Start of the period (default: one year before --as-of, plus one day)")
      ->option_text("DATE");
  cmd->add_option("--at", o->at,
                  "Read the records of a git revision, without a checkout; --as-of defaults to "
                  "its commit day")
      ->option_text("REV");
  cmd->add_option("--trend", o->trend,
                  "One row per month or quarter end, by the records' own dates")
      ->check(CLI::IsMember({"monthly", "quarterly"}))
      ->option_text("STEP");
  cmd->add_option("--from", o->from,
                  "First day of the trend (default: twelve periods back; with --history, the "
                  "first commit's month)")
      ->option_text("DATE");
  cmd->add_option("--to", o->to, "Last day of the trend (default: --as-of or today)")
      ->option_text("DATE");
  cmd->add_flag("--history", o->history,
                "With --trend: the figures as the git history knew them at each period end");
  cmd->add_option("--format", o->format, "Output: text, json, csv or markdown")
      ->check(CLI::IsMember({"text", "json", "csv", "markdown"}));
  cmd->footer(
      "The figures are defined in MEASURES.md and in man brm-measure. Records with errors are\n"
      "left out (a warning says how many); run 'brm check' to see them.");
  cmd->callback([&ctx, o] { run_measure(ctx, *o); });
}

}  // namespace brm::cli

// History walks through libgit2 (never the git program): the first-parent line of a
// revision, and the figures along it. A trend loads each distinct commit once and
// parses each distinct blob once, so three years of months cost little more than one
// measure: between two month ends only the files that changed are parsed again.
#include "brm/history.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "brm/csv.hpp"
#include "brm/json.hpp"
#include "brm/parse_cache.hpp"
#include "brm/table.hpp"
#include "git_handle.hpp"

namespace brm {

std::vector<CommitInfo> first_parent_history(const std::filesystem::path& brm_root,
                                             std::string_view rev) {
  gitx::Repo repo;
  gitx::open(repo, brm_root);
  gitx::Commit start;
  gitx::peel_commit(start, repo.get(), rev);
  gitx::Revwalk walk;
  gitx::check(git_revwalk_new(walk.out(), repo.get()), "cannot walk the history");
  gitx::check(git_revwalk_simplify_first_parent(walk.get()), "cannot walk the history");
  gitx::check(git_revwalk_push(walk.get(), git_commit_id(start.get())), "cannot walk the history");

  std::vector<CommitInfo> out;
  git_oid oid;
  while (git_revwalk_next(&oid, walk.get()) == 0) {
    gitx::Commit c;
    gitx::check(git_commit_lookup(c.out(), repo.get(), &oid), "cannot read a commit");
    CommitInfo info;
    info.id = gitx::oid_string(&oid);
    info.time = static_cast<std::int64_t>(git_commit_time(c.get()));
    if (const char* s = git_commit_summary(c.get())) info.summary = s;
    if (const git_signature* a = git_commit_author(c.get()); a && a->name) info.author = a->name;
    out.push_back(std::move(info));
  }
  return out;
}

const CommitInfo* commit_on(const std::vector<CommitInfo>& history, Date day) {
  std::int64_t end_of_day = (day.days() + 1) * 86400;  // exclusive
  for (const CommitInfo& c : history)
    if (c.time < end_of_day) return &c;
  return nullptr;
}

std::size_t count_record_files(const Snapshot& snap) {
  std::size_t n = 0;
  for (const SourceFile& f : snap.files) {
    std::size_t slash = f.path.find('/');
    if (slash == std::string::npos) continue;
    std::string_view folder = std::string_view(f.path).substr(0, slash);
    const Kind* k = find_kind(folder);
    if (k && k->folder == folder) ++n;
  }
  return n;
}

std::size_t records_left_out(std::size_t record_files, const Repository& repo) {
  std::size_t valid = 0;
  for (const auto& records : repo.records)
    for (const Record& r : records)
      if (r.valid) ++valid;
  return record_files > valid ? record_files - valid : 0;
}

Revision load_revision(const std::filesystem::path& brm_root, std::string_view rev,
                       ParseCache* cache) {
  Revision out;
  out.commit = git_resolve(brm_root, rev);
  // By the full id, so that a branch moving meanwhile cannot mix two commits.
  Snapshot snap = read_git_tree(brm_root, out.commit.id);
  std::size_t record_files = count_record_files(snap);
  Diagnostics findings;  // `brm check --at` is where they are shown
  LoadOptions options;
  options.cache = cache;
  out.repo = load_repository(std::move(snap), &findings, options);
  out.left_out = records_left_out(record_files, out.repo);
  return out;
}

std::vector<Date> period_ends(TrendStep step, Date from, Date to) {
  std::vector<Date> out;
  int months = step == TrendStep::Monthly ? 1 : 3;
  // The first period end at or after `from`: its month's end, moved on to a quarter end.
  Date e = Date{from.year, from.month, 1}.end_of_month();
  if (step == TrendStep::Quarterly)
    while (e.month % 3 != 0) e = Date{e.year, e.month + 1, 1}.end_of_month();
  for (; e <= to;) {
    if (e >= from) out.push_back(e);
    int m = e.month + months;
    int y = e.year + (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    e = Date{y, m, 1}.end_of_month();
  }
  return out;
}

Trend compute_trend(const std::filesystem::path& brm_root, const TrendOptions& options) {
  Trend trend;
  std::vector<CommitInfo> history = first_parent_history(brm_root, options.rev);
  if (history.empty()) return trend;
  Date first = date_of_unix_time(history.back().time);
  Date from = options.from.value_or(Date{first.year, first.month, 1});

  ParseCache cache;
  std::optional<Revision> loaded;
  for (Date end : period_ends(options.step, from, options.to)) {
    const CommitInfo* commit = commit_on(history, end);
    if (!commit) continue;
    // Period ends ascend, so periods that share a commit are neighbours.
    if (!loaded || loaded->commit.id != commit->id) {
      loaded = load_revision(brm_root, commit->id, &cache);
      ++trend.commits_loaded;
    }
    TrendRow row;
    row.period_end = end;
    row.commit = loaded->commit;
    row.measures = compute_measures(loaded->repo, end);
    row.measures.left_out = loaded->left_out;
    trend.rows.push_back(std::move(row));
  }
  trend.files_reused = cache.hits();
  trend.files_parsed = cache.misses();
  return trend;
}

// ---- Output ----

namespace {

std::string short_id(const std::string& id) { return id.substr(0, 7); }

std::string number(std::int64_t n) { return fmt::format("{}", n); }

// Full precision for machines: CSV and JSON carry the same numbers.
std::string exact(const std::optional<double>& d) { return d ? fmt::format("{}", *d) : ""; }

std::vector<std::string> table_header() {
  return {"as of",    "commit", "customer contacts", "purchaser contacts", "written agreements",
          "responses", "mean",  "csat",              "received",           "open",
          "closed",   "median days"};
}

std::vector<std::string> table_row(const TrendRow& r) {
  const Measures& m = r.measures;
  return {m.as_of.str(),
          short_id(r.commit.id),
          format_percent(m.customers.with_contact, m.customers.total),
          format_percent(m.purchasers.with_contact, m.purchasers.total),
          format_percent(m.with_written_agreement, m.agreements_total),
          number(m.responses),
          format_mean(m.mean),
          format_percent(m.satisfied, m.responses),
          number(m.complaints_received),
          number(m.complaints_open),
          number(m.complaints_closed),
          m.median_days_to_close ? fmt::format("{}", *m.median_days_to_close) : "-"};
}

}  // namespace

std::string trend_to_text(const Trend& trend, std::size_t width) {
  if (trend.rows.empty()) return "no commits in the range\n";
  TextTable table(table_header());
  for (const TrendRow& r : trend.rows) table.add_row(table_row(r));
  return table.render(width);
}

std::string trend_to_markdown(const Trend& trend) {
  std::vector<std::string> header = table_header();
  std::string out = "|";
  std::string rule = "|";
  for (std::size_t i = 0; i < header.size(); ++i) {
    out += " " + header[i] + " |";
    rule += i < 2 ? "---|" : "--:|";
  }
  out += "\n" + rule + "\n";
  for (const TrendRow& r : trend.rows) {
    out += "|";
    for (const std::string& cell : table_row(r)) out += " " + cell + " |";
    out += "\n";
  }
  return out;
}

std::string trend_to_json(const Trend& trend) {
  Value rows = Value::sequence();
  for (const TrendRow& r : trend.rows) rows.push_back(measures_to_value(r.measures, false));
  return to_json(rows, 2) + "\n";
}

std::string trend_to_csv(const Trend& trend) {
  std::string out = csv_line({"as_of", "since", "commit", "customers_total",
                              "customers_with_contact", "purchasers_total",
                              "purchasers_with_contact", "agreements_total",
                              "with_written_agreement", "responses", "mean", "satisfied", "csat",
                              "complaints_received", "complaints_open", "complaints_closed",
                              "median_days_to_close"});
  for (const TrendRow& r : trend.rows) {
    const Measures& m = r.measures;
    out += csv_line({m.as_of.str(), m.since.str(), r.commit.id, number(m.customers.total),
                     number(m.customers.with_contact), number(m.purchasers.total),
                     number(m.purchasers.with_contact), number(m.agreements_total),
                     number(m.with_written_agreement), number(m.responses), exact(m.mean),
                     number(m.satisfied), exact(m.csat), number(m.complaints_received),
                     number(m.complaints_open), number(m.complaints_closed),
                     exact(m.median_days_to_close)});
  }
  return out;
}

}  // namespace brm

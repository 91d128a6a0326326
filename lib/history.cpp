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
#include "brm/record_cache.hpp"
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

const Kind* record_file_kind(std::string_view path, std::string* id) {
  std::size_t slash = path.find('/');
  if (slash == std::string_view::npos || path.find('/', slash + 1) != std::string_view::npos)
    return nullptr;
  std::string_view folder = path.substr(0, slash), name = path.substr(slash + 1);
  const Kind* k = find_kind(folder);
  if (!k || k->folder != folder || name.empty() || name[0] == '.' || name.size() <= 5 ||
      name.substr(name.size() - 5) != ".yaml")
    return nullptr;
  *id = std::string(name.substr(0, name.size() - 5));
  return k;
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
  options.rules = false;
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

namespace {

// The repository at one commit after another, kept up to date by the tree diff between
// consecutive commits: a step costs what changed, not the whole tree. Changed files go
// through load_repository like any other (with brm.yaml and the schemas beside them), so
// each record is exactly what a full load of that commit would hold; when the schemas
// themselves change, the step is a full load.
class HistoryLoader {
 public:
  // Records hold only `fields`: a trend reads a few fields, along all of its history.
  HistoryLoader(const std::filesystem::path& brm_root, const FieldSelection& fields)
      : root_(brm_root), fields_(fields), cached_(brm_root, fields) {
    gitx::open(repo_, brm_root);
    prefix_ = gitx::prefix_of(repo_.get(), brm_root);
  }

  const Revision& load(const CommitInfo& commit) {
    if (current_ && current_->commit.id == commit.id) return *current_;
    gitx::Tree tree;
    commit_tree(commit.id, tree);
    if (!current_ || !step(commit, tree)) {
      current_ = full_load(commit);
      ++full_loads_;
    }
    tree_ = std::move(tree);
    current_->left_out = records_left_out(count_tree_records(tree_.get()), current_->repo);
    return *current_;
  }

  std::size_t full_loads() const { return full_loads_; }
  std::size_t steps() const { return steps_; }

 private:
  // load_revision, with the files the work tree's cache knows taken from it.
  Revision full_load(const CommitInfo& commit) {
    Revision out;
    out.commit = git_resolve(root_, commit.id);
    Snapshot snap = read_git_tree(root_, out.commit.id);
    std::size_t record_files = count_record_files(snap);
    out.repo = load(std::move(snap));
    out.left_out = records_left_out(record_files, out.repo);
    return out;
  }

  // load_repository without the rules (the findings are `brm check --at`'s business), its
  // records limited to fields_.
  Repository load(Snapshot snap) {
    ParseCache cache;
    cached_.fill(snap, &cache);
    cache.set_single_use(true);
    cache.set_lookup_only(true);
    LoadOptions options;
    options.rules = false;
    if (cache.size() > 0) options.cache = &cache;
    Diagnostics findings;
    Repository repo = load_repository(std::move(snap), &findings, options);
    keep_fields(&repo, fields_);
    return repo;
  }

  void commit_tree(const std::string& id, gitx::Tree& tree) {
    git_oid oid;
    gitx::check(git_oid_fromstr(&oid, id.c_str()), "bad commit id");
    gitx::Commit c;
    gitx::check(git_commit_lookup(c.out(), repo_.get(), &oid), "cannot read a commit");
    gitx::check(git_commit_tree(tree.out(), c.get()), "cannot read the commit's tree");
  }

  // The blob at `path` (relative to the brm root) in `tree`, as read_git_tree reads it.
  bool read_file(git_tree* tree, const std::string& path, SourceFile* out) {
    gitx::TreeEntry e;
    std::string full = prefix_ + path;
    if (git_tree_entry_bypath(e.out(), tree, full.c_str()) < 0) return false;
    git_filemode_t mode = git_tree_entry_filemode(e.get());
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return false;
    gitx::Blob blob;
    gitx::check(git_blob_lookup(blob.out(), repo_.get(), git_tree_entry_id(e.get())),
                fmt::format("cannot read '{}'", path));
    out->path = path;
    out->content.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                        static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    out->blob_id = gitx::oid_string(git_tree_entry_id(e.get()));
    return true;
  }

  bool read_blob(const git_diff_file& file, const std::string& path, SourceFile* out) {
    if (file.mode != GIT_FILEMODE_BLOB && file.mode != GIT_FILEMODE_BLOB_EXECUTABLE) return false;
    gitx::Blob blob;
    gitx::check(git_blob_lookup(blob.out(), repo_.get(), &file.id),
                fmt::format("cannot read '{}'", path));
    out->path = path;
    out->content.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                        static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    out->blob_id = gitx::oid_string(&file.id);
    return true;
  }

  // Record files in the kinds' folders of `tree`, counted as read_git_tree would read them.
  std::size_t count_tree_records(git_tree* tree) {
    std::size_t n = 0;
    for (const Kind& k : kinds()) {
      gitx::TreeEntry e;
      std::string path = prefix_ + std::string(k.folder);
      if (git_tree_entry_bypath(e.out(), tree, path.c_str()) < 0) continue;
      if (git_tree_entry_type(e.get()) != GIT_OBJECT_TREE) continue;
      gitx::Tree sub;
      gitx::check(git_tree_lookup(sub.out(), repo_.get(), git_tree_entry_id(e.get())),
                  "cannot read a tree");
      for (std::size_t i = 0, count = git_tree_entrycount(sub.get()); i < count; ++i) {
        const git_tree_entry* f = git_tree_entry_byindex(sub.get(), i);
        std::string name = git_tree_entry_name(f);
        git_filemode_t mode = git_tree_entry_filemode(f);
        bool yaml = name.size() > 5 && name.compare(name.size() - 5, 5, ".yaml") == 0;
        if (name[0] != '.' && yaml &&
            (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE))
          ++n;
      }
    }
    return n;
  }

  // Moves current_ to `commit` by the changes since tree_; false when only a full load
  // will do (the repository's own schemas changed).
  bool step(const CommitInfo& commit, const gitx::Tree& tree) {
    gitx::Diff diff;
    gitx::check(git_diff_tree_to_tree(diff.out(), repo_.get(), tree_.get(), tree.get(), nullptr),
                "cannot compare two commits");
    using Key = std::pair<KindId, std::string>;
    std::vector<Key> gone;  // changed or removed: their old records go
    std::vector<SourceFile> changed_files;
    for (std::size_t i = 0, n = git_diff_num_deltas(diff.get()); i < n; ++i) {
      const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
      for (int side = 0; side < 2; ++side) {
        bool is_new = side == 1;
        const char* p = is_new ? d->new_file.path : d->old_file.path;
        std::string_view full = p ? p : "";
        if (full.substr(0, prefix_.size()) != prefix_) continue;
        std::string path(full.substr(prefix_.size()));
        if (path.rfind("schema/", 0) == 0) return false;
        std::string id;
        const Kind* k = record_file_kind(path, &id);
        if (!k) continue;
        gone.emplace_back(k->id, id);
        if (is_new && d->status != GIT_DELTA_DELETED) {
          // By the blob id the diff names: a lookup by path would parse the kind's folder,
          // a tree of thousands of entries, once per file.
          SourceFile f;
          if (read_blob(d->new_file, path, &f)) changed_files.push_back(std::move(f));
        }
      }
    }
    // brm.yaml and the schemas come along so that the changed files are read and
    // validated as in a full load; their findings are `brm check --at`'s business.
    Snapshot base;
    SourceFile settings;
    if (!read_file(tree.get(), "brm.yaml", &settings)) return false;
    base.files.push_back(std::move(settings));
    add_schemas(tree.get(), &base);

    // Without the rules, which are what would need the whole repository.
    Snapshot snap = std::move(base);
    for (SourceFile& f : changed_files) snap.files.push_back(std::move(f));
    Repository changed = load(std::move(snap));

    Repository& repo = current_->repo;
    repo.settings = changed.settings;
    std::sort(gone.begin(), gone.end());
    for (const Kind& k : kinds()) {
      std::vector<Record>& records = repo.of(k.id);
      std::vector<Record>& fresh = changed.of(k.id);
      if (fresh.empty() && std::none_of(gone.begin(), gone.end(),
                                        [&](const Key& g) { return g.first == k.id; }))
        continue;
      std::erase_if(records, [&](const Record& r) {
        return std::binary_search(gone.begin(), gone.end(), Key{k.id, r.id});
      });
      std::size_t kept = records.size();
      for (Record& r : fresh) records.push_back(std::move(r));
      auto by_id = [](const Record& a, const Record& b) { return a.id < b.id; };
      std::inplace_merge(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(kept),
                         records.end(), by_id);
    }
    repo.invalid = 0;
    for (const auto& records : repo.records)
      for (const Record& r : records)
        if (!r.valid) ++repo.invalid;
    current_->commit = commit;
    ++steps_;
    return true;
  }

  void add_schemas(git_tree* tree, Snapshot* snap) {
    gitx::TreeEntry e;
    std::string path = prefix_ + "schema";
    if (git_tree_entry_bypath(e.out(), tree, path.c_str()) < 0) return;
    if (git_tree_entry_type(e.get()) != GIT_OBJECT_TREE) return;
    gitx::Tree sub;
    gitx::check(git_tree_lookup(sub.out(), repo_.get(), git_tree_entry_id(e.get())),
                "cannot read the schema folder");
    for (std::size_t i = 0, n = git_tree_entrycount(sub.get()); i < n; ++i) {
      std::string name = git_tree_entry_name(git_tree_entry_byindex(sub.get(), i));
      if (name.empty() || name[0] == '.' || name.size() <= 5 ||
          name.compare(name.size() - 5, 5, ".yaml") != 0)
        continue;
      SourceFile f;
      if (read_file(tree, "schema/" + name, &f)) snap->files.push_back(std::move(f));
    }
  }

  std::filesystem::path root_;
  const FieldSelection& fields_;
  CachedRecords cached_;
  gitx::Repo repo_;
  std::string prefix_;
  std::optional<Revision> current_;
  gitx::Tree tree_;
  std::size_t full_loads_ = 0;
  std::size_t steps_ = 0;
};

}  // namespace

Trend compute_trend(const std::filesystem::path& brm_root, const TrendOptions& options) {
  Trend trend;
  std::vector<CommitInfo> history = first_parent_history(brm_root, options.rev);
  if (history.empty()) return trend;
  Date first = date_of_unix_time(history.back().time);
  Date from = options.from.value_or(Date{first.year, first.month, 1});

  HistoryLoader loader(brm_root, measured_fields());
  for (Date end : period_ends(options.step, from, options.to)) {
    const CommitInfo* commit = commit_on(history, end);
    if (!commit) continue;
    const Revision& rev = loader.load(*commit);
    TrendRow row;
    row.period_end = end;
    row.commit = rev.commit;
    row.measures = compute_measures(rev.repo, end);
    row.measures.left_out = rev.left_out;
    trend.rows.push_back(std::move(row));
  }
  trend.full_loads = loader.full_loads();
  trend.steps = loader.steps();
  return trend;
}

// ---- Output ----

namespace {

std::string number(std::int64_t n) { return fmt::format("{}", n); }

// Full precision for machines: CSV and JSON carry the same numbers.
std::string exact(const std::optional<double>& d) { return d ? fmt::format("{}", *d) : ""; }

// Short headers keep a row within 80 columns; the legend under the table spells them out.
std::vector<std::string> table_header() {
  return {"as of", "cust", "purch", "agreed", "resp", "mean",
          "csat",  "recv", "open",  "closed", "median"};
}

constexpr std::string_view legend =
    "cust, purch: customers and purchasers with a contact in IT; agreed: customers with a\n"
    "written agreement; resp, mean, csat: survey responses in the year to each date, their\n"
    "mean score and the share satisfied; recv, closed: complaints received and closed in\n"
    "that year; open: complaints open on the date; median: days to close\n";

std::vector<std::string> table_row(const TrendRow& r) {
  const Measures& m = r.measures;
  return {m.as_of.str(),
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

std::string trend_to_text(const Trend& trend) {
  if (trend.rows.empty()) return "no period of the range ends after the first commit\n";
  TextTable table(table_header());
  for (const TrendRow& r : trend.rows) table.add_row(table_row(r));
  // No width: the dates are the one column of text, and a shortened date says nothing.
  return table.render() + "\n" + std::string(legend);
}

std::string trend_to_markdown(const Trend& trend) {
  if (trend.rows.empty()) return "No period of the range ends after the first commit.\n";
  std::vector<std::string> header = table_header();
  std::string out = "|";
  std::string rule = "|";
  for (std::size_t i = 0; i < header.size(); ++i) {
    out += " " + header[i] + " |";
    rule += i == 0 ? "---|" : "--:|";
  }
  out += "\n" + rule + "\n";
  for (const TrendRow& r : trend.rows) {
    out += "|";
    for (const std::string& cell : table_row(r)) out += " " + cell + " |";
    out += "\n";
  }
  return out + "\n" + std::string(legend);
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

// History walks through libgit2 (never the git program): the first-parent line of a
// revision, and the figures along it. A trend loads each distinct commit once and
// parses each distinct blob once, so three years of months cost little more than one
// measure: between two month ends only the files that changed are parsed again.
#include "brm/history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "brm/csv.hpp"
#include "brm/git_handle.hpp"
#include "brm/git_shallow.hpp"
#include "brm/json.hpp"
#include "brm/parse_cache.hpp"
#include "brm/record_cache.hpp"
#include "brm/table.hpp"

namespace brm {

namespace {

// Whether `commit`'s tree holds brm.yaml at `settings` (its path from the git root).
bool holds_settings(const git_commit* commit, const std::string& settings) {
  gitx::Tree tree;
  gitx::check(git_commit_tree(tree.out(), commit), "cannot read the commit's tree");
  gitx::TreeEntry e;
  return git_tree_entry_bypath(e.out(), tree.get(), settings.c_str()) == 0 &&
         git_tree_entry_type(e.get()) == GIT_OBJECT_BLOB;
}

}  // namespace

// Commit by commit along the first parents, not with a revwalk: libgit2 1.5 knows no
// shallow clones, and its revwalk fails at a boundary, which must not pass for the end.
FirstParentHistory first_parent_history(const std::filesystem::path& brm_root,
                                        std::string_view rev) {
  gitx::Repo repo;
  gitx::open(repo, brm_root);
  std::string settings = gitx::prefix_of(repo.get(), brm_root) + "brm.yaml";
  gitx::ShallowCommits shallow(repo.get());
  gitx::Commit at;
  gitx::peel_commit(at, repo.get(), rev);
  FirstParentHistory out;
  while (holds_settings(at.get(), settings)) {
    out.commits.push_back(gitx::commit_info(at.get()));
    if (shallow.contains(*git_commit_id(at.get()))) {
      out.shallow = true;
      break;
    }
    if (git_commit_parentcount(at.get()) == 0) break;
    gitx::Commit parent;
    gitx::check(git_commit_parent(parent.out(), at.get(), 0),
                fmt::format("cannot read the first parent of {}",
                            gitx::describe_commit(out.commits.back().id, out.commits.back().time)));
    at = std::move(parent);
  }
  return out;
}

void warn_shallow_boundary(const CommitInfo& boundary) {
  std::fflush(stdout);
  std::fprintf(stderr, "brm: warning: %s\n",
               gitx::shallow_boundary_warning(boundary.id, boundary.time).c_str());
}

const CommitInfo* commit_on(const std::vector<CommitInfo>& history, Date day) {
  std::int64_t end_of_day = (day.days() + 1) * 86400;  // exclusive
  for (const CommitInfo& c : history)
    if (c.time < end_of_day) return &c;
  return nullptr;
}

const Kind* record_file_kind(std::string_view path, std::string* id) {
  std::string_view name;
  const Kind* k = kind_of_record_path(path, &name);
  if (!k || name.empty() || name[0] == '.') return nullptr;  // read_git_tree skips hidden files
  *id = std::string(name);
  return k;
}

std::size_t count_record_files(const Snapshot& snap) {
  std::size_t n = 0;
  for (const SourceFile& f : snap.files)
    if (kind_of_record_path(f.path)) ++n;
  // A record file stored through a filter is one too, left out for its finding: a step of
  // a trend, which counts a folder's files, counts it as well.
  for (const Diagnostic& d : snap.findings)
    if (d.rule == "filtered-file" && kind_of_record_path(d.file)) ++n;
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
    Folders folders = read_folders(tree.get());
    if (!current_ || !step(commit, tree.get(), &folders)) {
      current_ = full_load(commit);
      ++full_loads_;
    }
    folders_ = std::move(folders);
    std::size_t record_files = 0;
    for (std::size_t n : folders_.counts) record_files += n;
    current_->left_out = records_left_out(record_files, current_->repo);
    return *current_;
  }

  std::size_t full_loads() const { return full_loads_; }
  std::size_t steps() const { return steps_; }

 private:
  // load_revision, with the files the work tree's cache knows taken from it.
  Revision full_load(const CommitInfo& commit) {
    Revision out;
    out.commit = git_resolve(root_, commit.id);
    Snapshot snap = read_git_tree(root_, out.commit.id, false);  // texts read in load()
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
    // A record file that came without its text (a full load) and that the cache does not
    // know is read now: most of a commit's files are usually in the work tree's cache.
    std::string schemas = ParseCache::schemas_key(snap.files);
    for (SourceFile& f : snap.files) {
      git_oid id;
      if (!f.content.empty() || f.blob_id.empty() || cache.find(schemas, f) ||
          git_oid_fromstr(&id, f.blob_id.c_str()) != 0)
        continue;
      read_blob(&id, &f);
    }
    cache.set_single_use(true);
    cache.set_lookup_only(true);
    LoadOptions options;
    options.rules = false;
    options.keep = &fields_;
    if (cache.size() > 0) options.cache = &cache;
    Diagnostics findings;
    return load_repository(std::move(snap), &findings, options);
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

  void read_blob(const git_oid* id, SourceFile* out) {
    gitx::Blob blob;
    gitx::check(git_blob_lookup(blob.out(), repo_.get(), id),
                fmt::format("cannot read '{}'", out->path));
    out->content.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                        static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    out->blob_id = gitx::oid_string(id);
  }

  // The folders of one commit that a step compares: each kind's tree, kept from one step to
  // the next so that a version of a folder is read from git once, and the schema folder's id.
  struct Folders {
    std::array<gitx::Tree, kind_count> trees;      // null: no such folder
    std::array<std::size_t, kind_count> counts{};  // record files, as read_git_tree reads them
    std::optional<git_oid> schema;
  };

  static bool is_blob(git_filemode_t mode) {
    return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
  }

  // `<id>.yaml`, not hidden: the names read_git_tree takes as record files.
  static bool record_name(std::string_view name) {
    return name.size() > 5 && name[0] != '.' && name.substr(name.size() - 5) == ".yaml";
  }

  std::optional<git_oid> folder_id(git_tree* root, std::string_view folder) {
    gitx::TreeEntry e;
    std::string path = prefix_ + std::string(folder);
    if (git_tree_entry_bypath(e.out(), root, path.c_str()) < 0) return std::nullopt;
    if (git_tree_entry_type(e.get()) != GIT_OBJECT_TREE) return std::nullopt;
    return *git_tree_entry_id(e.get());
  }

  // The folders of the commit whose tree is `root`; a folder that did not change since the
  // current commit is taken over, not read again.
  Folders read_folders(git_tree* root) {
    Folders out;
    out.schema = folder_id(root, "schema");
    for (const Kind& k : kinds()) {
      auto i = static_cast<std::size_t>(k.id);
      std::optional<git_oid> id = folder_id(root, k.folder);
      if (!id) continue;
      const gitx::Tree& old = folders_.trees[i];
      if (old.get() && git_oid_equal(git_tree_id(old.get()), &*id)) {
        gitx::check(git_tree_dup(out.trees[i].out(), old.get()), "cannot read a tree");
        out.counts[i] = folders_.counts[i];
        continue;
      }
      gitx::check(git_tree_lookup(out.trees[i].out(), repo_.get(), &*id),
                  fmt::format("cannot read '{}'", k.folder));
      for (std::size_t e = 0, n = git_tree_entrycount(out.trees[i].get()); e < n; ++e) {
        const git_tree_entry* f = git_tree_entry_byindex(out.trees[i].get(), e);
        if (is_blob(git_tree_entry_filemode(f)) && record_name(git_tree_entry_name(f)))
          ++out.counts[i];
      }
    }
    return out;
  }

  using Gone = std::array<std::vector<std::string>, kind_count>;  // ids per kind

  // Moves current_ to `commit` (whose folders are `next`) by what changed in the kinds'
  // folders since folders_; false when only a full load will do (the repository's own
  // schemas changed).
  bool step(const CommitInfo& commit, git_tree* root, const Folders* next) {
    auto same = [](const std::optional<git_oid>& a, const std::optional<git_oid>& b) {
      return a.has_value() == b.has_value() && (!a || git_oid_equal(&*a, &*b));
    };
    if (!same(folders_.schema, next->schema)) return false;

    Gone gone;  // changed or removed: old records go
    std::vector<SourceFile> changed_files;
    for (const Kind& k : kinds()) {
      auto i = static_cast<std::size_t>(k.id);
      diff_folder(k, folders_.trees[i].get(), next->trees[i].get(), &gone[i], &changed_files);
    }
    std::optional<Repository> changed = load_changed(root, std::move(changed_files));
    if (!changed) return false;

    Repository& repo = current_->repo;
    repo.settings = changed->settings;
    for (const Kind& k : kinds())
      replace_records(&repo.of(k.id), &changed->of(k.id), &gone[static_cast<std::size_t>(k.id)]);
    repo.invalid = 0;
    for (const auto& records : repo.records)
      for (const Record& r : records)
        if (!r.valid) ++repo.invalid;
    current_->commit = commit;
    ++steps_;
    return true;
  }

  // What changed in kind `k`'s folder from `before` to `after`: the ids of the records that go
  // into `gone`, the files of those that come into `changed_files`. The trees are compared
  // entry by entry, both being in git's order: what git_diff_tree_to_tree would find, without
  // reading any tree twice.
  void diff_folder(const Kind& k, git_tree* before, git_tree* after, std::vector<std::string>* gone,
                   std::vector<SourceFile>* changed_files) {
    if (before == after ||
        (before && after && git_oid_equal(git_tree_id(before), git_tree_id(after))))
      return;
    auto removed = [&](const git_tree_entry* e) {
      std::string_view name = git_tree_entry_name(e);
      if (git_tree_entry_type(e) != GIT_OBJECT_TREE && record_name(name))
        gone->emplace_back(name.substr(0, name.size() - 5));
    };
    auto added = [&](const git_tree_entry* e) {
      std::string_view name = git_tree_entry_name(e);
      if (!is_blob(git_tree_entry_filemode(e)) || !record_name(name)) return;
      gone->emplace_back(name.substr(0, name.size() - 5));
      SourceFile f;
      f.path = fmt::format("{}/{}", k.folder, name);
      read_blob(git_tree_entry_id(e), &f);
      changed_files->push_back(std::move(f));
    };
    gitx::merge_tree_entries(
        before, after, [&](const git_tree_entry* ea, const git_tree_entry* eb) {
          if (!eb) {
            removed(ea);
          } else if (!ea) {
            added(eb);
          } else if (!git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) ||
                     git_tree_entry_filemode(ea) != git_tree_entry_filemode(eb)) {
            removed(ea);
            added(eb);
          }
        });
  }

  // The changed files loaded as a repository of their own; nullopt when the commit has no
  // brm.yaml (only a full load will do).
  std::optional<Repository> load_changed(git_tree* root, std::vector<SourceFile> changed_files) {
    // brm.yaml and the schemas come along so that the changed files are read and
    // validated as in a full load; their findings are `brm check --at`'s business.
    Snapshot base;
    SourceFile settings;
    if (!read_file(root, "brm.yaml", &settings)) return std::nullopt;
    base.files.push_back(std::move(settings));
    add_schemas(root, &base);

    // Without the rules, which are what would need the whole repository.
    Snapshot snap = std::move(base);
    for (SourceFile& f : changed_files) snap.files.push_back(std::move(f));
    return load(std::move(snap));
  }

  // Drops from `records` those whose ids are in `gone` and merges in `fresh`, keeping id order.
  static void replace_records(std::vector<Record>* records, std::vector<Record>* fresh,
                              std::vector<std::string>* gone) {
    if (fresh->empty() && gone->empty()) return;
    // Both in id order: one pass drops the records that went.
    std::sort(gone->begin(), gone->end());
    auto next_gone = gone->cbegin();
    std::size_t kept = 0;
    for (Record& r : *records) {
      while (next_gone != gone->cend() && *next_gone < r.id) ++next_gone;
      if (next_gone != gone->cend() && *next_gone == r.id) continue;
      if (&r != &(*records)[kept]) (*records)[kept] = std::move(r);
      ++kept;
    }
    records->erase(records->begin() + static_cast<std::ptrdiff_t>(kept), records->end());
    for (Record& r : *fresh) records->push_back(std::move(r));
    auto by_id = [](const Record& x, const Record& y) { return x.id < y.id; };
    std::inplace_merge(records->begin(), records->begin() + static_cast<std::ptrdiff_t>(kept),
                       records->end(), by_id);
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
  Folders folders_;  // current_'s
  std::size_t full_loads_ = 0;
  std::size_t steps_ = 0;
};

}  // namespace

Trend compute_trend(const std::filesystem::path& brm_root, const TrendOptions& options) {
  Trend trend;
  FirstParentHistory walk = first_parent_history(brm_root, options.rev);
  const std::vector<CommitInfo>& history = walk.commits;
  if (history.empty()) return trend;
  Date first = date_of_unix_time(history.back().time);
  Date from = options.from.value_or(Date{first.year, first.month, 1});
  // The range reaches back to the boundary's day or before: what the clone lacks is missing.
  if (walk.shallow && from <= first) {
    trend.shallow_boundary = history.back();
    warn_shallow_boundary(history.back());
  }

  HistoryLoader loader(brm_root, measured_fields());
  std::vector<Date> ends =
      options.ends.empty() ? period_ends(options.step, from, options.to) : options.ends;
  for (Date end : ends) {
    const CommitInfo* commit = commit_on(history, end);
    if (!commit) continue;
    const Revision& rev = loader.load(*commit);
    TrendRow row;
    row.period_end = end;
    row.commit = rev.commit;
    row.measures = compute_measures(rev.repo, end, std::nullopt, MeasureDetail::Figures);
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
  return {"as of", "cust", "purch", "agreed", "resp",  "mean",
          "csat",  "recv", "open",  "closed", "median"};
}

constexpr std::string_view legend =
    "cust, purch: customers and purchasers with a contact in IT; agreed: customers with a\n"
    "written agreement; resp, mean, csat: survey responses in the year to each date, their\n"
    "mean score and the share satisfied; recv, closed: complaints received and closed in\n"
    "that year; open: complaints open on the date; median: days to close\n";

std::string empty_range(const Trend& trend, bool sentence) {
  return fmt::format("{}o period of the range ends {}", sentence ? 'N' : 'n',
                     trend.by_commit ? "after the first commit" : "in it");
}

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
  if (trend.rows.empty()) return fmt::format("{}\n", empty_range(trend, false));
  TextTable table(table_header());
  for (const TrendRow& r : trend.rows) table.add_row(table_row(r));
  // No width: the dates are the one column of text, and a shortened date says nothing.
  return table.render() + "\n" + std::string(legend);
}

std::string trend_to_markdown(const Trend& trend) {
  if (trend.rows.empty()) return fmt::format("{}.\n", empty_range(trend, true));
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
  return to_json(versioned(std::move(rows), "periods"), 2) + "\n";
}

std::string trend_to_csv(const Trend& trend) {
  // A trend by the records' own dates comes from no commit: no column for one.
  auto cells = [&](std::vector<std::string> row) {
    if (!trend.by_commit) row.erase(row.begin() + 2);
    return csv_line(row);
  };
  std::string out = cells({"as_of", "since", "commit", "customers_total", "customers_with_contact",
                           "purchasers_total", "purchasers_with_contact", "agreements_total",
                           "with_written_agreement", "responses", "mean", "satisfied", "csat",
                           "complaints_received", "complaints_open", "complaints_closed",
                           "median_days_to_close"});
  for (const TrendRow& r : trend.rows) {
    const Measures& m = r.measures;
    out += cells({m.as_of.str(), m.since.str(), r.commit.id, number(m.customers.total),
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

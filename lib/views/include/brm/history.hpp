// The repository through its git history, read with libgit2: the first-parent commits
// of a revision, the figures as they were at any commit, and trends over months or
// quarters (MEASURES.md, "History").
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brm/date.hpp"
#include "brm/git.hpp"
#include "brm/measure.hpp"
#include "brm/repository.hpp"

namespace brm {

// The first-parent history of `rev` as brm reads it, newest first, with committer times:
// down to the oldest commit of the run that holds brm.yaml (at the brm root's path), and
// in a shallow clone down to its boundary (the boundary included, as git log shows it).
// A commit that cannot be read is an Error(Git), never the end of the history.
struct FirstParentHistory {
  std::vector<CommitInfo> commits;
  bool shallow = false;  // the walk stopped at a shallow clone's boundary: commits.back()
};
FirstParentHistory first_parent_history(const std::filesystem::path& brm_root,
                                        std::string_view rev = "HEAD");

// On standard error: the history stops at `boundary`, and `git fetch --unshallow`.
void warn_shallow_boundary(const CommitInfo& boundary);

// The commit whose files describe the end of `day`: walking back from the newest commit
// of `history` (newest first), the first whose committer time is at or before the end of
// the day in UTC. nullptr when every commit is later: the day is before the history.
const CommitInfo* commit_on(const std::vector<CommitInfo>& history, Date day);

// A repository as it was at one commit, read from git objects (the work tree untouched).
struct Revision {
  CommitInfo commit;
  Repository repo;
  std::size_t left_out = 0;  // record files not counted for errors (unparsable or invalid)
};
Revision load_revision(const std::filesystem::path& brm_root, std::string_view rev,
                       ParseCache* cache = nullptr);

// The kind and id of a record file's path as read_git_tree takes one: `<folder>/<id>.yaml`,
// not hidden, not in a subfolder. nullptr for any other path.
const Kind* record_file_kind(std::string_view path, std::string* id);

// How many of a snapshot's record files the repository loaded from it does not count:
// unparsable ones are missing from it, invalid ones are kept but marked.
std::size_t count_record_files(const Snapshot& snap);
std::size_t records_left_out(std::size_t record_files, const Repository& repo);

enum class TrendStep { Monthly, Quarterly };

// The month or quarter ends E with from <= E <= to, in order.
std::vector<Date> period_ends(TrendStep step, Date from, Date to);

struct TrendRow {
  Date period_end;
  CommitInfo commit;  // the commit the figures come from
  Measures measures;  // as_of = period_end
};

struct TrendOptions {
  TrendStep step = TrendStep::Monthly;
  std::optional<Date> from;  // default: the first day of the first commit's month
  Date to;                   // the caller's --to, --as-of or today
  std::string rev = "HEAD";
  std::vector<Date> ends;  // when given, these days instead of the period ends from..to
};

struct Trend {
  std::vector<TrendRow> rows;  // periods before the first commit with brm.yaml are left out
  bool by_commit = true;       // from the git history; false: by the records' own dates
  // How the walk went, for the benchmark: loads of a whole tree, steps by a tree diff.
  std::size_t full_loads = 0;
  std::size_t steps = 0;
  // Set when the range reaches back to a shallow clone's boundary (a warning said so).
  std::optional<CommitInfo> shallow_boundary;
};

// The figures at each period end, each from the commit commit_on() picks. The first
// commit is loaded whole; each later one by the tree diff from the one before, parsing
// only the files that changed, so a walk costs one load plus what changed. Files the work
// tree's record cache knows (same path and blob) are taken from it, not parsed.
Trend compute_trend(const std::filesystem::path& brm_root, const TrendOptions& options);

// One row per period. JSON is an array of the objects of MEASURES.md without by_account;
// CSV and the tables flatten them, with the commit each row comes from.
std::string trend_to_text(const Trend& trend);
std::string trend_to_markdown(const Trend& trend);
std::string trend_to_json(const Trend& trend);
std::string trend_to_csv(const Trend& trend);

}  // namespace brm

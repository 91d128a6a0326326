// Shallow clones, which libgit2 1.5 does not know: git lists in $GIT_DIR/shallow the
// commits whose parents the clone lacks, and treats them as roots. brm reads that file
// itself, so that a history walk stops there instead of failing on a missing parent, and a
// revision past it is named as such; and revisions peeled to their commits, named so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "brm/git2_lazy.hpp"
#include "brm/git_handle.hpp"

namespace brm::gitx {

// The commits of $GIT_DIR/shallow (the common folder's, for a linked worktree): one
// object id a line, as git writes it. Empty for a full clone.
class ShallowCommits {
 public:
  explicit ShallowCommits(git_repository* repo);
  bool empty() const { return ids_.empty(); }
  // true for a commit the clone holds without its parents: a boundary of its history.
  bool contains(const git_oid& id) const;

 private:
  std::vector<git_oid> ids_;  // sorted
};

// "commit 1a2b3c4 (2026-05-10)": how messages name a commit, by its id and committer time.
std::string describe_commit(std::string_view id, std::int64_t time);

// The warning a history walk gives when it stopped at a boundary, with the hint.
std::string shallow_boundary_warning(std::string_view id, std::int64_t time);

// Throws Error(Git) for a revision that git_revparse_single could not resolve: in a
// shallow clone, a revision such as HEAD~5 that walks past a boundary is named as such,
// with the hint `git fetch --unshallow`; otherwise libgit2's own message.
[[noreturn]] void fail_revision(git_repository* repo, std::string_view rev);

// The commit `rev` names (a commit id, tag, branch, HEAD~3). In a shallow clone, a
// revision past the clone's history says so.
inline void peel_commit(Commit& commit, git_repository* repo, std::string_view rev) {
  Object obj;
  std::string r(rev);
  if (git_revparse_single(obj.out(), repo, r.c_str()) < 0) fail_revision(repo, rev);
  Object peeled;
  check(git_object_peel(peeled.out(), obj.get(), GIT_OBJECT_COMMIT),
        fmt::format("'{}' does not name a commit", rev));
  commit.p = reinterpret_cast<git_commit*>(peeled.p);
  peeled.p = nullptr;
}

}  // namespace brm::gitx

// libgit2 handles owned by RAII for the history walks (history.cpp, log.cpp), so that an
// error thrown halfway never leaks. Private to lib/.
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "brm/commit_info.hpp"
#include "brm/error.hpp"
#include "brm/git2_lazy.hpp"

namespace brm::gitx {

// How a handle of each libgit2 type is let go: its git_TYPE_free.
template <class T>
void release(T* p);
#define BRM_GIT_RELEASE(type)           \
  template <>                           \
  inline void release<type>(type * p) { \
    type##_free(p);                     \
  }
BRM_GIT_RELEASE(git_repository)
BRM_GIT_RELEASE(git_commit)
BRM_GIT_RELEASE(git_tree)
BRM_GIT_RELEASE(git_object)
BRM_GIT_RELEASE(git_revwalk)
BRM_GIT_RELEASE(git_diff)
BRM_GIT_RELEASE(git_blob)
BRM_GIT_RELEASE(git_tree_entry)
BRM_GIT_RELEASE(git_index)
BRM_GIT_RELEASE(git_reference)
BRM_GIT_RELEASE(git_filter_list)
BRM_GIT_RELEASE(git_treebuilder)
BRM_GIT_RELEASE(git_signature)
BRM_GIT_RELEASE(git_config)
BRM_GIT_RELEASE(git_config_iterator)
BRM_GIT_RELEASE(git_odb)
#undef BRM_GIT_RELEASE

template <class T>
struct Handle {
  T* p = nullptr;
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : p(o.p) { o.p = nullptr; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      if (p) release(p);
      p = o.p;
      o.p = nullptr;
    }
    return *this;
  }
  ~Handle() {
    if (p) release(p);
  }
  T** out() { return &p; }
  T* get() const { return p; }
};

using Repo = Handle<git_repository>;
using Commit = Handle<git_commit>;
using Tree = Handle<git_tree>;
using Object = Handle<git_object>;
using Revwalk = Handle<git_revwalk>;
using Diff = Handle<git_diff>;
using Blob = Handle<git_blob>;
using TreeEntry = Handle<git_tree_entry>;
using Config = Handle<git_config>;
using Index = Handle<git_index>;

[[noreturn]] inline void fail(std::string_view what) {
  const git_error* e = git_error_last();
  throw Error(ExitCode::Git,
              fmt::format("{}: {}", what, e && e->message ? e->message : "unknown git error"));
}

inline void check(int rc, std::string_view what) {
  if (rc < 0) fail(what);
}

// libgit2, once per process. Objects read back are not hashed again to check their ids:
// git itself leaves that to `git fsck`, and it was a fifth of a trend's time. The object
// cache and the pack windows are kept small (the defaults are 256 MiB and 8 GiB): a
// history walk reads each object about once and keeps the trees it needs itself, and
// mapped pack pages count in its peak memory (the 126k-record trend: 174 -> 138 MiB, for
// 8% more time).
inline void init() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(16) << 20);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, std::size_t{8} << 20);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, std::size_t{4} << 20);
    // Ownership is checked by discover(), as git checks it (git_open.cpp).
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
  });
}

// The repository that holds `start`, found as the git command finds it (GIT_DIR,
// GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CEILING_DIRECTORIES, ..., worktrees). False when there
// is none; Error(Git) where git would refuse to work (safe.directory). git_open.cpp.
bool discover(Repo& repo, const std::filesystem::path& start);

// The git folder of the repository that holds `start`, found as discover() finds it but
// without opening it (that costs more than a cached brm check): GIT_DIR, else the nearest
// `.git` folder or the folder a `.git` file names. Empty when there is none, and where git
// would refuse to work (ownership, safe.directory), *refused then true, so that brm writes
// nothing there.
std::filesystem::path find_git_dir(const std::filesystem::path& start, bool* refused);

inline void open(Repo& repo, const std::filesystem::path& path) {
  if (!discover(repo, path))
    throw Error(ExitCode::Git, fmt::format("'{}' is not in a git repository: could not find "
                                           "repository from '{}'",
                                           path.string(), path.string()));
}

// The brm root relative to the git work tree: '' or 'sub/dir/'.
inline std::string prefix_of(git_repository* repo, const std::filesystem::path& brm_root) {
  const char* workdir = git_repository_workdir(repo);
  if (!workdir) throw Error(ExitCode::Git, "the git repository has no work tree");
  std::error_code ec;
  std::filesystem::path wd = std::filesystem::weakly_canonical(workdir, ec);
  std::filesystem::path root = std::filesystem::weakly_canonical(brm_root, ec);
  std::filesystem::path rel = root.lexically_relative(wd);
  if (rel.empty() || rel == ".") return "";
  if (*rel.begin() == "..")
    throw Error(ExitCode::Git,
                fmt::format("the brm repository '{}' is outside git's work tree '{}'",
                            root.string(), wd.string()));
  return rel.generic_string() + "/";
}

inline std::string oid_string(const git_oid* oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, oid);
  return buf;
}

// What brm shows of a commit: its id, committer time, subject and author.
inline CommitInfo commit_info(const git_commit* c) {
  CommitInfo info;
  info.id = oid_string(git_commit_id(c));
  info.time = static_cast<std::int64_t>(git_commit_time(c));
  if (const char* s = git_commit_summary(const_cast<git_commit*>(c))) info.summary = s;
  if (const git_signature* a = git_commit_author(c); a && a->name) info.author = a->name;
  return info;
}

// The entries of two trees side by side in git's order, each name once: `visit(before,
// after)` with null for the side that lacks it (either tree may be null). A name that is a
// tree on one side and not on the other comes as two calls, as git pairs them.
template <class Visit>
void merge_tree_entries(git_tree* before, git_tree* after, Visit visit) {
  std::size_t a = 0, na = before ? git_tree_entrycount(before) : 0;
  std::size_t b = 0, nb = after ? git_tree_entrycount(after) : 0;
  while (a < na || b < nb) {
    const git_tree_entry* ea = a < na ? git_tree_entry_byindex(before, a) : nullptr;
    const git_tree_entry* eb = b < nb ? git_tree_entry_byindex(after, b) : nullptr;
    int order = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
    if (order < 0)
      visit(ea, nullptr), ++a;
    else if (order > 0)
      visit(nullptr, eb), ++b;
    else
      visit(ea, eb), ++a, ++b;
  }
}

}  // namespace brm::gitx

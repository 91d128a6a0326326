// Finding the git repository the way the git command finds it. libgit2 1.5 reads GIT_DIR and
// its friends only under a flag that refuses GIT_WORK_TREE, and its ownership check differs
// from git's (no SUDO_UID, and it checks an explicit GIT_DIR, which git does not), so brm
// reads the variables and checks safe.directory itself, as git 2.39's setup.c does.
#include <fmt/format.h>
#include <git2/sys/repository.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <vector>

#include "brm/git_handle.hpp"

namespace fs = std::filesystem;

namespace brm::gitx {
namespace {

using ConfigIterator = Handle<git_config_iterator>;
using Odb = Handle<git_odb>;

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

fs::path absolute_path(const char* p) { return fs::absolute(p).lexically_normal(); }

std::string without_slash(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// git's is_path_owned_by_current_uid: root acting through sudo owns what SUDO_UID owns.
bool owned_by_current_user(const std::string& path) {
  struct stat st {};
  if (::lstat(without_slash(path).c_str(), &st) != 0) return false;
  uid_t me = ::geteuid();
  if (me == 0)
    if (const char* sudo = env("SUDO_UID")) {
      char* end = nullptr;
      unsigned long id = std::strtoul(sudo, &end, 10);
      if (end && !*end) me = static_cast<uid_t>(id);
    }
  return st.st_uid == me;
}

fs::path real_path(const std::string& p) {
  std::error_code ec;
  fs::path r = fs::canonical(p, ec);
  return ec ? fs::path(p).lexically_normal() : r;
}

// One safe.directory value against the repository's path, as git reads it: '*' is every
// path, an empty value forgets the earlier ones, 'DIR/*' is every path under DIR.
void apply_safe_directory(const char* value, const fs::path& repo_path, bool* safe) {
  std::string v = value ? value : "";
  if (v.empty()) {
    *safe = false;
    return;
  }
  if (v == "*") {
    *safe = true;
    return;
  }
  git_buf expanded = GIT_BUF_INIT;
  if (git_config_parse_path(&expanded, v.c_str()) == 0) v = expanded.ptr;
  git_buf_dispose(&expanded);
  if (v.size() >= 2 && v.compare(v.size() - 2, 2, "/*") == 0) {
    std::string prefix = real_path(v.substr(0, v.size() - 2)).string() + "/";
    if (repo_path.string().rfind(prefix, 0) == 0) *safe = true;
  } else if (real_path(v) == repo_path) {
    *safe = true;
  }
}

// safe.directory is read from the system and global files only, as git does: a
// repository cannot vouch for itself.
bool listed_safe(const fs::path& repo_path) {
  Config all;
  if (git_config_open_default(all.out()) < 0) return false;
  bool safe = false;
  for (git_config_level_t level :
       {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL}) {
    Config one;
    if (git_config_open_level(one.out(), all.get(), level) < 0) continue;
    ConfigIterator it;
    if (git_config_multivar_iterator_new(it.out(), one.get(), "safe.directory", nullptr) < 0)
      continue;
    git_config_entry* entry = nullptr;
    while (git_config_next(&entry, it.get()) == 0)
      apply_safe_directory(entry->value, repo_path, &safe);
  }
  git_error_clear();
  return safe;
}

// The paths git's ensure_valid_ownership looks at: the work tree, its .git file if it is
// one, and the git folder.
std::vector<std::string> ownership_paths(const char* workdir, const std::string& git_dir) {
  std::vector<std::string> paths;
  if (workdir) {
    paths.emplace_back(workdir);
    std::string gitfile = without_slash(workdir) + "/.git";
    struct stat st {};
    if (::lstat(gitfile.c_str(), &st) == 0 && S_ISREG(st.st_mode)) paths.push_back(gitfile);
  }
  paths.push_back(git_dir);
  return paths;
}

// git's ensure_valid_ownership: true when git works in the repository of `paths`.
bool ownership_ok(const std::vector<std::string>& paths) {
  bool owned = true;
  for (const std::string& p : paths) owned = owned && owned_by_current_user(p);
  if (owned) return true;
  init();  // safe.directory is read through libgit2's configuration
  return listed_safe(real_path(without_slash(paths.front())));
}

// git's ensure_valid_ownership, for a repository found by searching (not for GIT_DIR).
void require_safe_ownership(git_repository* repo) {
  std::vector<std::string> paths =
      ownership_paths(git_repository_workdir(repo), git_repository_path(repo));
  if (ownership_ok(paths)) return;
  std::string where = without_slash(paths.front());
  throw Error(ExitCode::Git,
              fmt::format("detected dubious ownership in repository at '{}': it belongs to "
                          "another user, and git refuses to work in it\n"
                          "hint: if you trust it: git config --global --add safe.directory {}",
                          where, where));
}

// What libgit2's GIT_REPOSITORY_OPEN_FROM_ENV would do after the open.
void apply_environment(git_repository* repo) {
  if (const char* index_file = env("GIT_INDEX_FILE")) {
    Index index;
    check(git_index_open(index.out(), absolute_path(index_file).c_str()),
          fmt::format("cannot open GIT_INDEX_FILE '{}'", index_file));
    git_repository_set_index(repo, index.get());
  }
  if (const char* ns = env("GIT_NAMESPACE"))
    check(git_repository_set_namespace(repo, ns), "GIT_NAMESPACE");
  const char* objects = env("GIT_OBJECT_DIRECTORY");
  const char* alternates = env("GIT_ALTERNATE_OBJECT_DIRECTORIES");
  if (!objects && !alternates) return;
  Odb odb;
  if (objects) {
    check(git_odb_open(odb.out(), absolute_path(objects).c_str()),
          fmt::format("cannot open GIT_OBJECT_DIRECTORY '{}'", objects));
    git_repository_set_odb(repo, odb.get());
  } else {
    check(git_repository_odb(odb.out(), repo), "cannot open the object database");
  }
  std::string list = alternates ? alternates : "";
  for (std::size_t at = 0; at <= list.size();) {
    std::size_t end = std::min(list.find(':', at), list.size());
    if (end > at) git_odb_add_disk_alternate(odb.get(), list.substr(at, end - at).c_str());
    at = end + 1;
  }
}

// GIT_DIR set: no search and, as in git, no ownership check. The work tree is GIT_WORK_TREE,
// else core.worktree (libgit2 reads it), else the current folder unless the repository is bare.
bool open_explicit(Repo& repo, const char* git_dir) {
  int rc = git_repository_open_ext(repo.out(), absolute_path(git_dir).c_str(),
                                   GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_NO_DOTGIT,
                                   nullptr);
  if (rc < 0) fail(fmt::format("GIT_DIR '{}' is not a git repository", git_dir));
  Config config;
  git_buf worktree = GIT_BUF_INIT;
  bool configured = git_repository_config_snapshot(config.out(), repo.get()) == 0 &&
                    git_config_get_string_buf(&worktree, config.get(), "core.worktree") == 0;
  git_buf_dispose(&worktree);
  git_error_clear();
  if (!configured && !git_repository_is_bare(repo.get()))
    check(git_repository_set_workdir(repo.get(), fs::current_path().c_str(), 0),
          "cannot use the current folder as the work tree");
  return true;
}

bool open_discovered(Repo& repo, const fs::path& start) {
  unsigned flags = env("GIT_DISCOVERY_ACROSS_FILESYSTEM") ? GIT_REPOSITORY_OPEN_CROSS_FS : 0;
  // The search starts at the nearest folder that exists (brm init makes the rest).
  fs::path from = fs::absolute(start).lexically_normal();
  std::error_code ec;
  while (!from.empty() && from != from.root_path() && !fs::is_directory(from, ec))
    from = from.parent_path();
  int rc = git_repository_open_ext(repo.out(), from.c_str(), flags, env("GIT_CEILING_DIRECTORIES"));
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return false;
  }
  if (rc < 0) fail(fmt::format("cannot open the git repository holding '{}'", start.string()));
  require_safe_ownership(repo.get());
  return true;
}

// The git folder a `.git` file in `dir` names (worktrees, submodules); empty when it names none.
fs::path git_dir_of_file(const fs::path& dot_git, const fs::path& dir) {
  std::ifstream in(dot_git);
  std::string line;
  std::getline(in, line);
  if (line.rfind("gitdir: ", 0) != 0) return {};
  fs::path target = line.substr(8);
  return (target.is_absolute() ? target : dir / target).lexically_normal();
}

}  // namespace

fs::path find_git_dir(const fs::path& start, bool* refused) {
  *refused = env("GIT_COMMON_DIR") != nullptr;  // discover() refuses it
  if (*refused) return {};
  if (const char* git_dir = env("GIT_DIR")) return absolute_path(git_dir);  // no check, as git
  std::error_code ec;
  for (fs::path d = fs::absolute(start, ec).lexically_normal(); !ec; d = d.parent_path()) {
    fs::path dot_git = d / ".git";
    std::error_code missing;  // set when there is no .git here
    auto st = fs::symlink_status(dot_git, missing);
    fs::path found = fs::is_directory(st)      ? dot_git
                     : fs::is_regular_file(st) ? git_dir_of_file(dot_git, d)
                                               : fs::path();
    if (found.empty()) {
      if (d == d.parent_path()) break;
      continue;
    }
    *refused = !ownership_ok(ownership_paths((d.string() + "/").c_str(), found.string() + "/"));
    return *refused ? fs::path() : found;
  }
  return {};
}

bool discover(Repo& repo, const fs::path& start) {
  init();
  if (env("GIT_COMMON_DIR"))
    throw Error(ExitCode::Git,
                "GIT_COMMON_DIR is set, and brm (libgit2 1.5) cannot honour it\n"
                "hint: unset GIT_COMMON_DIR; brm finds a worktree's common folder itself");
  const char* git_dir = env("GIT_DIR");
  if (!(git_dir ? open_explicit(repo, git_dir) : open_discovered(repo, start))) return false;
  if (const char* work_tree = env("GIT_WORK_TREE")) {
    // libgit2 1.5 leaks its path buffer when the work tree is already the one asked for, so
    // it is only set when it differs (both sides resolved, as libgit2 resolves them).
    auto resolved = [](const fs::path& p) {
      std::error_code ec;
      fs::path r = fs::weakly_canonical(p, ec);
      return ec ? std::string() : r.string().erase(r.string().find_last_not_of('/') + 1);
    };
    std::string wanted = resolved(absolute_path(work_tree));
    const char* current = git_repository_workdir(repo.get());
    if (wanted.empty() || !current || resolved(current) != wanted)
      check(git_repository_set_workdir(repo.get(), absolute_path(work_tree).c_str(), 0),
            fmt::format("cannot use GIT_WORK_TREE '{}'", work_tree));
  }
  apply_environment(repo.get());
  return true;
}

}  // namespace brm::gitx

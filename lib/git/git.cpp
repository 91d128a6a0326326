// libgit2 behind brm's small git API. Handles are owned by RAII wrappers (git_handle.hpp)
// so that an error thrown halfway never leaks or leaves a lock behind.
#include "brm/git.hpp"

#include <fmt/format.h>
#include <sha1.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

#include "brm/error.hpp"
#include "brm/git2_lazy.hpp"
#include "brm/git_handle.hpp"
#include "brm/git_shallow.hpp"
#include "git_filters.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

using namespace gitx;

void open_repo(Repo& repo, const fs::path& path) { gitx::open(repo, path); }

}  // namespace

std::optional<std::string> git_work_tree_prefix(const fs::path& brm_root) {
  gitx::init();
  Repo repo;
  // discover() as every other command opens it: GIT_DIR, GIT_WORK_TREE, safe.directory.
  if (!discover(repo, brm_root)) return std::nullopt;
  if (!git_repository_workdir(repo.get())) return std::nullopt;
  std::string prefix = prefix_of(repo.get(), brm_root);
  if (prefix.rfind("../", 0) == 0) return std::nullopt;  // GIT_WORK_TREE elsewhere
  return prefix;
}

// git's id of a blob: the SHA-1 of "blob <size>\0" and the content (git hash-object).
// libmd's SHA-1, not libgit2's: the record cache hashes brm.yaml and racy files on every
// run, and libgit2 is loaded only when a command works with git (git2_lazy.hpp). libmd is
// in the process anyway (libedit's libbsd links it).
ObjectId blob_object_id_of(std::string_view content) {
  std::string header = fmt::format("blob {}", content.size());
  // The header with its terminating NUL.
  return sha1_of({std::string_view(header.c_str(), header.size() + 1), content});
}

ObjectId sha1_of(std::initializer_list<std::string_view> parts) {
  static_assert(SHA1_DIGEST_LENGTH == std::tuple_size_v<ObjectId>);
  SHA1_CTX ctx;
  SHA1Init(&ctx);
  for (std::string_view part : parts)
    SHA1Update(&ctx, reinterpret_cast<const std::uint8_t*>(part.data()), part.size());
  ObjectId out;
  SHA1Final(out.data(), &ctx);
  return out;
}

std::string blob_id_of(std::string_view content) { return to_hex(blob_object_id_of(content)); }

std::string to_hex(const ObjectId& id) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(id.size() * 2, '0');
  for (std::size_t i = 0; i < id.size(); ++i) {
    out[2 * i] = digits[id[i] >> 4];
    out[2 * i + 1] = digits[id[i] & 15];
  }
  return out;
}

std::optional<ObjectId> object_id_from_hex(std::string_view hex) {
  ObjectId out;
  if (hex.size() != out.size() * 2) return std::nullopt;
  auto nibble = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

void git_init(const fs::path& dir) {
  gitx::init();
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags = GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  Repo repo;
  check(git_repository_init_ext(repo.out(), dir.c_str(), &opts), "git init failed");
}

CommitInfo git_resolve(const fs::path& brm_root, std::string_view rev) {
  Repo repo;
  open_repo(repo, brm_root);
  Commit commit;
  peel_commit(commit, repo.get(), rev);
  return commit_info(commit.get());
}

// Adds the blob of `e` (at `rel` in the brm folder) to `snap`: its text, or when not `text`
// only its id; a file stored through a filter is a finding instead.
static void add_blob(Snapshot* snap, git_repository* repo, FilteredPaths* filtered,
                     const std::string& prefix, const git_tree_entry* e, std::string rel,
                     bool text = true) {
  // What a clean filter stored (git-crypt's ciphertext, an LFS pointer) is not the file:
  // one finding, not a heap of YAML errors.
  if (std::string filter = filtered->filter_of(prefix + rel); !filter.empty()) {
    snap->findings.push_back({std::move(rel), 0, 0, Severity::Error, "filtered-file",
                              fmt::format("stored through the filter '{}': brm cannot read it "
                                          "from git, only its work tree copy",
                                          filter)});
    return;
  }
  if (!text) {
    SourceFile f;
    f.path = std::move(rel);
    f.blob_id = oid_string(git_tree_entry_id(e));
    snap->files.push_back(std::move(f));
    return;
  }
  Blob blob;
  check(git_blob_lookup(blob.out(), repo, git_tree_entry_id(e)),
        fmt::format("cannot read '{}'", rel));
  SourceFile f;
  f.path = std::move(rel);
  auto size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
  f.content.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())), size);
  f.blob_id = oid_string(git_tree_entry_id(e));
  snap->files.push_back(std::move(f));
}

Snapshot read_git_folders(const fs::path& brm_root, std::string_view rev,
                          std::span<const std::string_view> folder_names, bool record_texts) {
  Repo repo;
  open_repo(repo, brm_root);
  std::string prefix = prefix_of(repo.get(), brm_root);
  Commit commit;
  peel_commit(commit, repo.get(), rev);
  Tree tree;
  check(git_commit_tree(tree.out(), commit.get()), "cannot read the commit's tree");

  std::vector<std::string> folders(folder_names.begin(), folder_names.end());
  std::vector<std::string> read_in = {prefix};  // where read_blob reads, for the filters
  for (const std::string& folder : folders) read_in.push_back(prefix + folder + "/");
  FilteredPaths filtered(repo.get(), commit.get(), read_in);

  Snapshot snap;
  auto read_blob = [&](const git_tree_entry* e, std::string rel, bool text = true) {
    add_blob(&snap, repo.get(), &filtered, prefix, e, std::move(rel), text);
  };

  TreeEntry settings;
  std::string settings_path = prefix + "brm.yaml";
  if (git_tree_entry_bypath(settings.out(), tree.get(), settings_path.c_str()) == 0)
    read_blob(settings.get(), "brm.yaml");
  else
    throw Error(ExitCode::NotARepository, fmt::format("revision '{}' has no brm.yaml in '{}'", rev,
                                                      prefix.empty() ? "." : prefix));

  for (const std::string& folder : folders) {
    TreeEntry entry;
    std::string path = prefix + folder;
    if (git_tree_entry_bypath(entry.out(), tree.get(), path.c_str()) < 0) continue;
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) continue;
    Tree sub;
    check(git_tree_lookup(sub.out(), repo.get(), git_tree_entry_id(entry.get())),
          fmt::format("cannot read '{}'", folder));
    bool is_schema = folder == "schema";
    for (std::size_t i = 0, n = git_tree_entrycount(sub.get()); i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(sub.get(), i);
      std::string name = git_tree_entry_name(e);
      std::string rel = folder + "/" + name;
      if (name.empty() || name[0] == '.') continue;
      git_filemode_t mode = git_tree_entry_filemode(e);
      bool yaml = name.size() > 5 && name.compare(name.size() - 5, 5, ".yaml") == 0;
      if (mode == GIT_FILEMODE_LINK) {
        snap.findings.push_back({rel, 0, 0, Severity::Error, "symlink",
                                 "the file is a symbolic link; brm does not follow links"});
      } else if (mode == GIT_FILEMODE_TREE || !yaml) {
        if (!is_schema)
          snap.findings.push_back({rel, 0, 0, Severity::Warning, "stray-file",
                                   mode == GIT_FILEMODE_TREE
                                       ? "folders inside a kind's folder are ignored"
                                       : "ignored: not a .yaml file"});
      } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
        read_blob(e, rel, is_schema || record_texts);
      }
    }
  }
  return snap;
}

}  // namespace brm

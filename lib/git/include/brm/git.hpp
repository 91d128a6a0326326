// Every git operation brm makes, through libgit2 (brm never runs the git program).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "brm/commit_info.hpp"
#include "brm/snapshot.hpp"

namespace brm {

// The git repository that holds `path`, if any, found as git finds it (GIT_DIR, ...).
// Error(Git) where git would refuse to work there (safe.directory).
bool in_git_repository(const std::filesystem::path& path);

// The brm root relative to the root of the git work tree that holds it: "" or "sub/dir/";
// nullopt outside git (or in a bare repository).
std::optional<std::string> git_work_tree_prefix(const std::filesystem::path& brm_root);

// The git blob id of `content`, what `git hash-object` prints; computed, not stored.
std::string blob_id_of(std::string_view content);

// The same id as its 20 bytes, for keeping many (a third of the memory of the text).
using ObjectId = std::array<unsigned char, 20>;
ObjectId blob_object_id_of(std::string_view content);
// The SHA-1 of `parts` one after the other (libmd's, as for blob ids): also the checksum
// that ends git's index file.
ObjectId sha1_of(std::initializer_list<std::string_view> parts);
std::string to_hex(const ObjectId& id);
// The id that 40 lowercase hex digits spell; nullopt for any other text. Written by hand,
// not with git_oid_fromstrn: libgit2 reports a bad text through its error state, which
// needs libgit2 set up, and a warm brm check never sets it up.
std::optional<ObjectId> object_id_from_hex(std::string_view hex);

// `git init` at `dir`.
void git_init(const std::filesystem::path& dir);

// A git repository opened once for a write (a Transaction, brm init), and the commit made
// the way `git add PATHS && git commit -m MESSAGE -- PATHS` would make it, or refused with
// Error(Git) naming the setting. Paths are relative to the brm root, '/' separated.
class GitWriter {
 public:
  // The repository holding `brm_root` (in_git_repository()); nullptr when there is none.
  static std::unique_ptr<GitWriter> open(const std::filesystem::path& brm_root);
  ~GitWriter();
  GitWriter(const GitWriter&) = delete;
  GitWriter& operator=(const GitWriter&) = delete;

  // This work tree's git folder (.git, or .git/worktrees/NAME).
  std::filesystem::path git_dir() const;

  // Starts reading git's index on another thread, for a commit that is likely to come: in a
  // large repository the read takes tens of milliseconds, which then pass while the caller
  // loads its records. The calls below take the index when they first need it; a failed
  // read is done again then, to report it where it always was.
  void read_index_ahead();

  // What can be refused before a file is written: a `filter=` attribute on a path (always);
  // and when committing: the index lock, a path git ignores (unless `force`), who commits,
  // how commits are signed.
  void check_before_write(const std::vector<std::string>& writes, bool commit, bool force);

  // The text to write for `path` from canonical `lf_text`: with the line endings of the
  // file it replaces (`existing`), or for a new file those git's checkout would give it.
  std::string worktree_text(const std::string& path, std::string lf_text,
                            const std::string* existing) const;

  // Commits exactly `paths` as they are in the work tree (deleted ones are removed) on top
  // of HEAD, running the hooks and signing as git would; the real index follows for those
  // paths only. False, with no commit, when the tree would be HEAD's. Error(Git) otherwise.
  bool commit(const std::vector<std::string>& paths, const std::string& message);

  // Whether a commit runs hooks (pre-commit, prepare-commit-msg, commit-msg, post-commit):
  // programs of the user's that may read or change the work tree while it goes on.
  bool runs_hooks() const;

  struct Impl;

 private:
  explicit GitWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Before `git init` in a new place: who would commit and how, from the user's global
// configuration, so that a brm init that would fail fails before it writes anything.
void check_commit_setup_without_repository();

// GitWriter::open + check_before_write + commit, for one commit of files already written.
void git_commit_paths(const std::filesystem::path& brm_root, const std::vector<std::string>& paths,
                      const std::string& message);

// The commit a revision names.
CommitInfo git_resolve(const std::filesystem::path& brm_root, std::string_view rev);

// A brm repository's files as they are in revision `rev`, read from git objects (no
// checkout): brm.yaml, and the .yaml files of `folders` (the kinds' folders and "schema",
// whose other files are not stray); read_git_tree in repository.hpp names the folders.
// Blob ids are filled in so that callers can cache by content. Without `record_texts`,
// files outside schema/ come with their blob ids and no text, for a caller that has most
// of them parsed already and reads the others itself (a history walk).
Snapshot read_git_folders(const std::filesystem::path& brm_root, std::string_view rev,
                          std::span<const std::string_view> folders, bool record_texts);

}  // namespace brm

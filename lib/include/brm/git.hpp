// Every git operation brm makes, through libgit2 (brm never runs the git program).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brm/repository.hpp"

namespace brm {

// The git repository that holds `path`, if any (searching upwards like git).
bool in_git_repository(const std::filesystem::path& path);

// The brm root relative to the root of the git work tree that holds it: "" or "sub/dir/";
// nullopt outside git (or in a bare repository).
std::optional<std::string> git_work_tree_prefix(const std::filesystem::path& brm_root);

// The git blob id of `content`, what `git hash-object` prints; computed, not stored.
std::string blob_id_of(std::string_view content);

// The same id as its 20 bytes, for keeping many (a third of the memory of the text).
using ObjectId = std::array<unsigned char, 20>;
ObjectId blob_object_id_of(std::string_view content);
std::string to_hex(const ObjectId& id);
// The id that 40 lowercase hex digits spell; nullopt for any other text. Written by hand,
// not with git_oid_fromstrn: libgit2 reports a bad text through its error state, which
// needs libgit2 set up, and a warm brm check never sets it up.
std::optional<ObjectId> object_id_from_hex(std::string_view hex);

// `git init` at `dir`.
void git_init(const std::filesystem::path& dir);

// Commits exactly `paths` (relative to the brm root, '/' separated; deleted files are
// removed from the index) with `message`, on top of HEAD. Whatever else the user has
// staged stays staged and out of the commit. Author and committer come from the git
// configuration (user.name, user.email). Throws Error(Git) on failure.
void git_commit_paths(const std::filesystem::path& brm_root, const std::vector<std::string>& paths,
                      const std::string& message);

// The commit a revision names: its id and committer time (seconds since the epoch, UTC).
struct CommitInfo {
  std::string id;
  std::int64_t time = 0;
  std::string summary;
  std::string author;
};
CommitInfo git_resolve(const std::filesystem::path& brm_root, std::string_view rev);

// The repository's files as they are in revision `rev`, read from git objects (no
// checkout). Blob ids are filled in so that callers can cache by content. Without
// `record_texts`, record files come with their blob ids and no text, for a caller that has
// most of them parsed already and reads the others itself (a history walk).
Snapshot read_git_tree(const std::filesystem::path& brm_root, std::string_view rev,
                       bool record_texts = true);

}  // namespace brm

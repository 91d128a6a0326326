// Files as brm reads them, from the work tree or from a git tree: their path, text and
// stamp, and the findings of the listing that found them.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "brm/diagnostic.hpp"

namespace brm {

// What identifies a file's version without reading it (as git's index does). The change
// time catches what the others miss: a file rewritten in place to the same size with its
// modification time set back; no program can set it back.
struct FileStamp {
  std::int64_t mtime_ns = 0;
  std::uint64_t size = 0;
  std::uint64_t inode = 0;
  std::int64_t ctime_ns = 0;
  std::uint64_t device = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// The stamp of what `st` describes; of the file at `path` (not following a link), nullopt
// when it cannot be stat'ed.
FileStamp stamp_of(const struct ::stat& st);
std::optional<FileStamp> stamp_of_file(const std::filesystem::path& path);

// One file as found in the work tree or in a git tree.
struct SourceFile {
  std::string path;  // relative to the root, '/' separated
  std::string content;
  std::string blob_id;  // the git object id when read from git; empty from the work tree
  FileStamp stamp{};    // from the work tree (read_worktree); zero from git
};

// What a listing found: brm.yaml, the record files, the repository's own schemas, and
// findings about files that were passed over (links, stray files, unreadable files).
struct Snapshot {
  std::vector<SourceFile> files;
  Diagnostics findings;
  // Record files left out of `files` (Reuse::leave_out): the caller that stood in for them
  // loads them itself; load_repository knows only `files`.
  std::size_t left_out = 0;
  // Temporary files of writers killed halfway (`.NAME.HEX.brm-tmp`, files.cpp) that the
  // listing came across in the folders it lists, relative to the root. The loader skips
  // them (hidden files); a writer holding the lock removes them.
  std::vector<std::string> leftovers;
};

}  // namespace brm

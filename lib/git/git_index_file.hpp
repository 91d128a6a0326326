// git's index file (.git/index) as bytes, for the commit of a write. libgit2 reads every
// entry into objects of its own (some 40 ms and megabytes of fresh memory for 26,000
// files) and writes them all back to change one. This reads the file once, finds entries
// by binary search, and writes it back with the changed entries in place, byte for byte
// what libgit2's git_index_add_bypath and git_index_write make of it (the unit test holds
// the two to the same bytes).
//
// Only the plain case is handled: versions 2 and 3, no conflicts, the optional extensions
// that libgit2 drops dropped and TREE and REUC kept. read() says nullopt for anything else
// (version 4, a split or sparse index, index.skipHash, a bad checksum), and the caller
// then uses libgit2, which handles or refuses it. Private to lib/git.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brm/git.hpp"

namespace brm::gitx {

// The TREE extension (git's cache-tree): for each folder, pre-order, its name, how many
// entries it covers (-1 when invalid), its subfolders, and its tree id when valid.
struct CachedTree {
  std::string name;
  long entries = -1;
  ObjectId id{};
  std::vector<CachedTree> children;
};

class IndexFile {
 public:
  // The index at `path`; a missing file is an empty index, as in git. nullopt when the file
  // is not one this handles, or cannot be read.
  static std::optional<IndexFile> read(const std::string& path);

  // The index in `bytes`, as read() takes a file (for the fuzzer and the tests); no entry
  // counts as racily clean. And the bytes write() would write, without writing them.
  static std::optional<IndexFile> from_bytes(std::string bytes);
  // `body` with the SHA-1 that ends an index file (for the fuzzer, whose bytes have none).
  static std::string with_checksum(std::string body);
  std::string bytes() const;

  const std::string& path() const { return path_; }

  // Whether `name` has an entry (git tracks it).
  bool tracked(std::string_view name) const;
  // The mode of `name`'s entry (0100644, 0100755, ...); nullopt when it has none.
  std::optional<std::uint32_t> mode_of(std::string_view name) const;
  // The entries of .gitattributes files, in any folder: what libgit2 reads attributes from
  // when a work tree lacks the file.
  struct Entry {
    std::string name;
    std::uint32_t mode = 0;
    ObjectId id{};
  };
  std::vector<Entry> attribute_files() const;

  // Whether put(name) keeps to what this handles: `name` would not replace a folder of
  // entries or sit below an entry's file, and its entry, if any, is a plain file's without
  // extended flags (intent-to-add, skip-worktree).
  bool can_put(std::string_view name) const;
  // Sets `name`'s entry as `git add` does: the stat data of the file (lstat), its blob id
  // and mode; the cached trees on its path become invalid.
  void put(const std::string& name, const struct ::stat& st, const ObjectId& id,
           std::uint32_t mode);

  // Writes the index with the entries put, under index.lock, as git does: "" when done, or
  // why not. An index changed on disk since it was read is read again, and the entries put
  // again. Entries that git could not tell from a later change by their stat data ("racily
  // clean", changed within the index's own timestamp) are hashed from `work_tree` and
  // smudged when they differ, as git and libgit2 do.
  std::string write(const std::string& work_tree);
  // write() in two steps, as git holds index.lock over a commit: prepare() takes the lock
  // and writes the new index into it; finish() puts it in the index's place; abandon(), or
  // this object's end, removes it.
  std::string prepare(const std::string& work_tree);
  std::string finish();
  void abandon();

 private:
  struct Put {
    struct ::stat st;
    ObjectId id;
    std::uint32_t mode;
  };
  struct Stamp {
    bool exists = false;
    std::int64_t mtime_sec = 0, mtime_nsec = 0, size = 0;
    std::uint64_t ino = 0;
    bool operator==(const Stamp&) const = default;
  };
  static Stamp stamp_of(const struct ::stat& st);

  std::string path_;
  std::string data_;  // the whole file, checksum included
  std::uint32_t version_ = 2;
  Stamp stamp_;
  std::vector<std::uint32_t> entries_;  // where each entry starts
  std::size_t entries_end_ = 12;
  std::optional<CachedTree> tree_;
  std::optional<std::string> reuc_;  // the REUC extension's data, copied as it is
  std::map<std::string, Put, std::less<>> puts_;
  struct HeldLock {  // index.lock, removed unless it was renamed
    std::string path;
    ~HeldLock();
  };
  std::unique_ptr<HeldLock> lock_;

  static std::optional<IndexFile> parse(const std::string& path, std::string data, Stamp stamp);
  bool parse_entries(std::size_t body_size);
  bool parse_extensions(std::size_t body_size);
  std::string_view name_at(std::size_t i) const;
  std::size_t lower_bound(std::string_view name) const;
  std::optional<std::size_t> find_read(std::string_view name) const;  // read, not put
  bool racily_changed(std::size_t i, const std::string& work_tree) const;
  std::string render(const std::string& work_tree) const;
};

}  // namespace brm::gitx

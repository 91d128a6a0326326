// Parsed records kept between runs, so that a repeated `brm check` on a repository that
// did not change reads one cache file instead of parsing thousands of YAML files.
// The cache lives in the git folder (.git/brm/records.cache) or, outside git, in the
// user's cache folder; never in the work tree. A file is taken from the cache only when
// its size, inode, device, modification and change times match, as in git's index, and it
// was not modified within two seconds of the cache being written (git's "racy" rule);
// otherwise it is read and matched by content, and once it is past those two seconds the
// cache takes its stamp (git's refresh), so that the next run need not read it. A cache
// written by another brm binary, for other schemas, or damaged is ignored: each entry and
// the index carry a checksum, and a damaged entry costs a parse of its file.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "brm/repository.hpp"

namespace brm {

// Loads the work tree at `root` like load_repository(read_worktree(root)), through the
// cache; writes the cache back when it learnt something. BRM_CACHE=off disables it.
Repository load_worktree(const std::filesystem::path& root, Diagnostics* findings,
                         LoadOptions options = {});

// What a write's load (load_for_write) takes and hands back besides the repository.
struct WriteLoad {
  // The fields the write reads of the records, with those the rules read; whole when null.
  // A record limited to some fields is not fit to be written back.
  const FieldSelection* fields = nullptr;
  // Given: the fields to decode instead of `fields` when the cache's findings hold for the
  // work tree, as they do on a write that follows another brm command. The records then
  // hold only these (the others are ids alone), and `narrowed` says so: the write's
  // validation decodes the few records its rules need (Transaction::validate).
  const FieldSelection* narrow = nullptr;
  bool narrowed = false;
  // With `narrowed`: the findings of the files themselves (parsing, schemas, the listing),
  // which the findings handed back hold besides the rules'.
  Diagnostics base;
  // The files besides the records (brm.yaml, the repository's own schemas) as they were
  // read, so that the change is validated with the same schemas without listing again.
  std::vector<SourceFile> others;
  // Killed writers' temporary files in the listed folders (Snapshot::leftovers).
  std::vector<std::string> leftovers;
  // Given: called once the work tree is listed, from the loading thread. The listing keeps
  // every core busy with stat; what comes after it runs on one.
  std::function<void()> after_listing;
  // Names the cache file whose findings are those of the loaded repository (0: none), so
  // that note_written can keep them up to date instead of throwing them away.
  std::uint64_t generation = 0;
};
Repository load_for_write(const std::filesystem::path& root, Diagnostics* findings,
                          WriteLoad* load);

class RecordSchemas;

// What a write tells the cache: each record file written (path relative to the root, the
// text written; nullopt: removed; whether a file was there before), and, when known, the
// rules' findings (all of them, every severity) on the repository as it is after the write
// and the day they were computed for: every file the write staged must be among `files`.
struct WrittenFile {
  std::string path;
  std::optional<std::string> text;
  bool existed = false;
  // The document the rules read for the file: their findings hold for the file only when
  // its text parses to just this, positions included.
  const Value* doc = nullptr;
  // The file's stamp, taken as it was written; nullopt: note_written takes it itself.
  std::optional<FileStamp> stamp;
};
struct WriteNote {
  std::vector<WrittenFile> files;
  std::uint64_t generation = 0;        // WriteLoad::generation of the write's load
  const Diagnostics* rules = nullptr;  // null: unknown
  Date day;
};

// After a write: the cache learns the record files written, parsed and validated with
// `schemas`, so that the next run takes them from it instead of parsing them and writing
// the whole cache again. When the cache is still the file the write's load left, with the
// findings of the repository before the write, and the write gave the rules' findings,
// the kept findings become those after the write (each written file's own replaced, the
// rules' given): the next run computes none. Otherwise they are computed again by the
// next run. Does nothing when there is no usable cache; a failure to write costs only speed.
void note_written(const std::filesystem::path& root, const WriteNote& note,
                  const RecordSchemas& schemas);

// For callers that need only the findings (brm check): when no file, schema or setting
// changed since the last run on the same day, that run's findings come straight from the
// cache and no record is loaded. Returns the number of files checked.
std::size_t check_worktree(const std::filesystem::path& root, Diagnostics* findings,
                           LoadOptions options = {});

// load_worktree for a caller that reads only `fields` of the records and no findings
// (brm measure). When no record file changed, the records come straight from the cache
// and the rest of each document is not even decoded. Every document holds just the
// selected fields however it was loaded, so a field missing from the selection shows up
// on every run, not only on a warm one.
Repository load_worktree_fields(const std::filesystem::path& root, const FieldSelection& fields,
                                LoadOptions options = {});

// load_worktree_fields with the findings as load_worktree gives them (brm KIND show and
// list): the last run's when nothing changed since, so that no record is validated again.
// Then only the records of `subset` are decoded, each entry of a kind read in part
// checked and searched for the ids its records would hold; otherwise every record is
// loaded whole.
Repository load_worktree_fields(const std::filesystem::path& root, const FieldSelection& fields,
                                const RecordSubset& subset, Diagnostics* findings);

class ParseCache;

// The cache of the work tree, as a source of parsed records for a walk through git history:
// a blob of the history that the work tree also had when the cache was written (same path,
// same content, same schemas, same brm) is taken from it instead of being parsed again.
// Its records come limited to `fields` and without their findings: for callers that
// keep only those fields and throw the findings away (brm measure --trend).
class CachedRecords {
 public:
  CachedRecords(const std::filesystem::path& root, const FieldSelection& fields);
  ~CachedRecords();
  CachedRecords(const CachedRecords&) = delete;
  CachedRecords& operator=(const CachedRecords&) = delete;

  // Puts into *cache, under the snapshot's schemas, each record file of `snap` (read from
  // git, so with blob ids) that the work tree's cache holds.
  void fill(const Snapshot& snap, ParseCache* cache) const;

 private:
  struct Disk;
  std::unique_ptr<Disk> disk_;  // null when there is no usable cache
  const FieldSelection& fields_;
};

// Where the cache of `root` lives.
std::filesystem::path record_cache_path(const std::filesystem::path& root);

}  // namespace brm

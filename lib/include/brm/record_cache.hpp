// Parsed records kept between runs, so that a repeated `brm check` on a repository that
// did not change reads one cache file instead of parsing thousands of YAML files.
// The cache lives in the git folder (.git/brm/records.cache) or, outside git, in the
// user's cache folder; never in the work tree. A file is taken from the cache only when
// its size, inode, device, modification and change times match, as in git's index, and it
// was not modified within two seconds of the cache being written (git's "racy" rule);
// otherwise it is read and matched by content. A cache written by another brm binary,
// for other schemas, or damaged is ignored: each entry and the index carry a checksum,
// and a damaged entry costs a parse of its file.
#pragma once

#include <filesystem>
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

// load_worktree for a write: also hands back the files besides the records (brm.yaml, the
// repository's own schemas) as they were read, so that the change is validated with the
// same schemas without listing the work tree again.
Repository load_worktree(const std::filesystem::path& root, Diagnostics* findings,
                         std::vector<SourceFile>* others);

class RecordSchemas;

// After a write: the cache learns the record files written (path relative to the root ->
// the text written; nullopt: removed), parsed and validated with `schemas`, so that the
// next run takes them from it instead of parsing them and writing the whole cache again.
// The findings of the last run no longer hold, and are computed again by the next one.
// Does nothing when there is no usable cache; a failure to write costs only speed.
using WrittenFiles = std::vector<std::pair<std::string, std::optional<std::string>>>;
void note_written(const std::filesystem::path& root, const WrittenFiles& files,
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

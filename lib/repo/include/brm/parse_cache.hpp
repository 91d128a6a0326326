// A record file parsed and validated into a record; and such records kept by content, so
// that a walk through git history parses each distinct file once: between two commits
// most blobs do not change.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "brm/diagnostic.hpp"
#include "brm/kinds.hpp"
#include "brm/record.hpp"
#include "brm/snapshot.hpp"

namespace brm {

// What one record file became: the record (absent when it could not be parsed) and the
// findings of parsing and validating it.
struct ParsedFile {
  std::optional<Record> record;
  Diagnostics findings;
};

class RecordSchemas;

// What a record file (a path in a kind's folder) becomes: parsed and validated with
// `schemas`, as load_repository does it for each file.
ParsedFile parse_record_file(const SourceFile& file, const RecordSchemas& schemas);
// The same for a file already known to hold the record `id` of `kind`.
ParsedFile parse_record(const SourceFile& file, const Kind& kind, std::string_view id,
                        const RecordSchemas& schemas);

class ParseCache {
 public:
  // Whether a record validates depends on the repository's own schemas as well as on
  // its text, so entries are kept per set of schemas: this names that set for a
  // snapshot (the paths and blob ids of its schema/ files).
  static std::string schemas_key(const std::vector<SourceFile>& files);

  // The entry for a file read from git under the schemas `schemas_key`; nullptr when
  // there is none or the file has no blob id (read from the work tree). Entries are never
  // removed, so the pointer stays valid for the cache's lifetime. Safe to call from
  // several threads, also while another inserts.
  const ParsedFile* find(std::string_view schemas_key, const SourceFile& file) const;
  // Like find, but fills *out: a copy, or with single_use() the entry itself, moved out
  // (a cache loaded for one load, as the on-disk record cache is).
  bool fetch(std::string_view schemas_key, const SourceFile& file, ParsedFile* out);
  void set_single_use(bool on) { single_use_ = on; }
  // A cache filled for one load that keeps nothing the load parsed (a history walk taking
  // what the work tree's cache knows): insert() then keeps nothing, and copies nothing.
  void set_lookup_only(bool on) { lookup_only_ = on; }

  // Ignored for files without a blob id, and when lookup_only (then not even copied).
  void insert(std::string_view schemas_key, const SourceFile& file, ParsedFile&& parsed);
  void insert(std::string_view schemas_key, const SourceFile& file, const ParsedFile& parsed);

  std::size_t size() const;
  // How often find() answered and did not: what the benchmark reports.
  std::size_t hits() const { return hits_.load(); }
  std::size_t misses() const { return misses_.load(); }

 private:
  static std::string key(std::string_view schemas_key, const SourceFile& file);

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, ParsedFile> entries_;
  mutable std::atomic<std::size_t> hits_{0};
  mutable std::atomic<std::size_t> misses_{0};
  bool single_use_ = false;
  bool lookup_only_ = false;
};

}  // namespace brm

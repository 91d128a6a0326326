// The repository model: every record of every kind and the settings, loaded from
// the work tree or from a git tree, parsed, validated and indexed by id.
// Data flows one way: files -> documents -> validated records -> this model.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "brm/diagnostic.hpp"
#include "brm/kinds.hpp"
#include "brm/record.hpp"
#include "brm/snapshot.hpp"

namespace brm {

// The nearest folder at or above `start` that holds brm.yaml; throws
// Error(NotARepository) when there is none.
std::filesystem::path find_repository_root(const std::filesystem::path& start);

// Lists and reads the repository's files. Symbolic links are never followed.
Snapshot read_worktree(const std::filesystem::path& root);

// The repository's files as they are in revision `rev`, read from git objects (no
// checkout): read_git_folders with the kinds' folders and schema/.
Snapshot read_git_tree(const std::filesystem::path& brm_root, std::string_view rev,
                       bool record_texts = true);

// A caller's say in read_worktree, for a cache of what the record files hold.
struct Reuse {
  // Asked for each readable record file, in the listing's order, from one thread, with
  // its path and stamp: true when the caller will stand in for the file, which is then
  // listed without its content and not read. With it, every file is stat'ed first,
  // which costs a second path lookup; without it, each file is opened, stat'ed and read
  // in one go.
  std::function<bool(std::string_view path, const FileStamp& stamp)> file;
  // Asked once `file` stood in for every record file, with the snapshot of the rest
  // (brm.yaml, the schemas, the listing's findings): true to have the record files left
  // out of the snapshot, and only counted (Snapshot::left_out). A cache that can answer
  // from what it holds is then spared a string per file.
  std::function<bool(const Snapshot& others)> leave_out;
};
Snapshot read_worktree(const std::filesystem::path& root, const Reuse& reuse);

// A cache of parsed and validated records keyed by content, so that a file that did
// not change is parsed once (history walks, repeated checks).
class ParseCache;
struct ParsedFile;

// The top-level fields of each kind's records that a reader uses (brm measure reads a
// few fields of four kinds); an empty list: the kind's records are counted, not read.
using FieldSelection = std::array<std::vector<std::string_view>, kind_count>;
// A kind whose list holds this keeps its records whole.
inline constexpr std::string_view every_field = "*";

struct LoadOptions {
  unsigned threads = 0;  // 0: all cores
  ParseCache* cache = nullptr;
  // Called on the loading threads, at once from several, with each file parsed in this
  // load (not those `cache` stood in for), its position in the snapshot, and what it
  // became, before records are trimmed: the record cache encodes them there, on every
  // core. The load needs neither the file's path nor its text afterwards: either may be
  // taken.
  std::function<void(std::size_t position, SourceFile&, const ParsedFile&)> parsed;
  // Called with (done, total) while files are parsed; for progress bars.
  std::function<void(std::size_t, std::size_t)> progress;
  // false: leave out the rules beyond one file, for callers that throw the findings away
  // (measure, trend steps). Records and their validity do not depend on the rules.
  bool rules = true;
  // For callers that read only some fields: each record keeps just these, from the
  // moment it is parsed, a fraction of the memory (brm check keeps what check_rules reads,
  // brm measure what the figures read). Such records are not fit for writes. `parsed`
  // (the cache) still gets whole records.
  const FieldSelection* keep = nullptr;
};

class Repository {
 public:
  std::filesystem::path root;  // empty when loaded from a git tree
  Settings settings;
  std::array<std::vector<Record>, kind_count> records;  // each sorted by id
  std::size_t files = 0;                                // files read, brm.yaml included
  std::size_t record_files = 0;  // of which record files (kind folders), loadable or not
  std::size_t invalid = 0;       // records left out of the model's figures for errors
  // Ids of record files that gave no record (they do not parse): a reference to one is
  // not unknown, and the file's own error says what is wrong.
  std::array<std::vector<std::string>, kind_count> unparsed;

  const std::vector<Record>& of(KindId k) const { return records[static_cast<std::size_t>(k)]; }
  std::vector<Record>& of(KindId k) { return records[static_cast<std::size_t>(k)]; }
  const Record* find(KindId k, std::string_view id) const;
  // The records of a kind that passed validation, the ones figures and reports use.
  std::vector<const Record*> valid_records(KindId k) const;
  // The name, title or summary of a record; the id itself when there is no such record.
  std::string label_of(KindId k, std::string_view id) const;
  // A customer id itself, or for a purchaser its customer. Empty when unknown.
  std::string_view account_of(std::string_view customer_or_purchaser) const;
  // Records of any kind that refer to `target` (through the kinds' reference fields).
  std::vector<const Record*> referrers(KindId kind, std::string_view id) const;
  // Records that belong to `target` one step further along (Kind::through): the
  // results of a customer's agreements. Not references: they do not hold up a removal.
  std::vector<const Record*> referrers_through(KindId kind, std::string_view id) const;
};

// For a command that is done with a repository and about to exit: the repository is
// never freed. Freeing tens of thousands of records one by one costs more than a cached
// brm check itself, and the process's end frees them all at once (ninja skips its
// cleanup at exit likewise).
void keep_until_exit(Repository&& repo);

// Drops the fields that `fields` does not name from a record, keeping the file order.
void keep_fields(Record* record, const FieldSelection& fields);

// Parses and validates every file of the snapshot (schemas, then the rules beyond one
// file). Every finding goes to *findings, sorted. Records that fail to parse are left
// out; records with schema errors are kept with valid = false.
Repository load_repository(Snapshot snapshot, Diagnostics* findings,
                           const LoadOptions& options = {});

// The rules beyond one file of FORMAT.md (references, roles, date order, ...), run by
// load_repository; exposed for the write commands that validate one changed record.
void check_rules(const Repository& repo, Diagnostics* findings, Date today);

// The rules of each of `records` alone: check_rules without its passes over the whole
// repository (whole_repository_rule), for a write that knows which records its change
// can reach. The records look others up in `repo` as check_rules does.
void check_record_rules(const Repository& repo, std::span<const Record* const> records,
                        Diagnostics* findings, Date today);
bool whole_repository_rule(std::string_view rule);
// The findings through which a new record reaches others: references that were unknown
// (their hint names the closest id) or that named a file that did not parse.
bool reference_rule(std::string_view rule);
// Whether a new record of `kind` changes the rules' findings on other records only through
// reference_rule findings. Not so for the kinds other rules read beyond their ids.
bool add_reaches_only_references(KindId kind);

// The fields of each kind that check_rules reads (for keep_fields).
const FieldSelection& rule_read_fields();

// What `brm KIND show` and `brm KIND list` read: the records of `kind` whole, and of the
// others what the views look up (references, labels, dates, what their tests read).
FieldSelection shown_fields(KindId kind);
// What the text table of `brm KIND list` reads when no test (`--open`, ...) is asked for:
// of the kind's records the fields of its columns, references, label and dates, the small
// scalars of shown_fields and `also` (what its other filters read); every field when a
// column is computed from the record. Of the others, what shown_fields reads.
FieldSelection table_fields(KindId kind, std::span<const std::string_view> also);

// Which records a view reads (brm KIND show and list), for a load that may leave the others
// out. A load that cannot leave them out reads them all: a view must give the same answer
// from any set of records that holds these.
struct RecordSubset {
  std::array<bool, kind_count> every{};  // kinds whose records are all read
  // Kinds of which only the records that refer to `id` are read (and the record itself).
  std::array<bool, kind_count> mentioning{};
  std::string id;
  // Kinds of which only the records that refer to a record read of another kind are read:
  // a customer's results, through its agreements (Kind::referrer.through).
  std::array<std::optional<KindId>, kind_count> via{};
};

// What `brm KIND show ID` reads: the record, the records that refer to it, and those that
// belong to it through another (shown_fields of them).
RecordSubset shown_records(KindId kind, std::string_view id);
// What `brm KIND list` reads: the kind's records, and the customers when listing one
// customer's records (`--customer`), the agreements when a column or test reads them.
RecordSubset listed_records(KindId kind, bool by_customer);

// The values at a path of Reference's form: "field", "object.field", "list[]" (each
// item), "list[].field" (that field of each item).
void for_each_path_value(const Value& doc, std::string_view path,
                         const std::function<void(const Value&)>& fn);

}  // namespace brm

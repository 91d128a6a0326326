// The history of the repository or of one record as changes to records and their fields
// (`customer anna-berg: changed it_contact: 'Erik Lund' -> 'Maria Sjö'`), not text diffs:
// what `brm log` shows. Read through libgit2 along the first-parent line.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "brm/git.hpp"
#include "brm/value.hpp"

namespace brm {

enum class Change { Added, Removed, Changed };
std::string_view change_name(Change c);  // "added", "removed", "changed"

// One field of a record, by dotted path: `budget.amount`, `responses.2.score`.
struct FieldChange {
  Change change = Change::Changed;
  std::string path;
  Value before;  // null when added
  Value after;   // null when removed
};

// One file of the repository in one commit.
struct RecordChange {
  Change change = Change::Changed;
  std::string kind;  // "customer" ...; "settings" for brm.yaml; "schema" for schema/ files
  std::string id;    // the record id; brm.yaml; the schema file's name
  std::string path;  // relative to the brm root
  std::vector<FieldChange> fields;  // what changed, for Changed
  // For Changed: a side is not a YAML document, so there is no field diff.
  bool unreadable = false;
};

struct LogEntry {
  CommitInfo commit;  // time: committer time, as --at and --trend use it
  std::vector<RecordChange> changes;
};

struct LogOptions {
  // Empty: the whole repository. Else a record: `ID`, or `KIND/ID` (kind or folder name)
  // when the id is used by records of more than one kind.
  std::string record;
  std::size_t max_count = 0;  // commits to show; 0: all
  std::string rev = "HEAD";
};

// Newest first, the first-parent commits that changed a record, brm.yaml or a schema (or,
// with a record, that record), each with what changed against its first parent. Throws
// Error(Usage) for an ambiguous or malformed id, Error(DataErrors) when the record is in
// no commit of the history.
std::vector<LogEntry> repository_log(const std::filesystem::path& brm_root,
                                     const LogOptions& options);

// The leaf fields that differ between two documents, by dotted path; mappings by key,
// lists by index. Added or removed mappings and lists are listed leaf by leaf.
std::vector<FieldChange> diff_documents(const Value& before, const Value& after);

// Text: a commit per paragraph, `SHORT-ID  DATE  AUTHOR  SUBJECT`, then one line per
// changed record or field. JSON: an array of commits with their changes.
std::string log_to_text(const std::vector<LogEntry>& log, bool color = false);
std::string log_to_json(const std::vector<LogEntry>& log);

}  // namespace brm

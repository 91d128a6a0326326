// A three-way merge of one record file, field by field over the loaded trees: what
// `brm merge-file` does as git's merge driver. A conflict is written as git's markers
// around the lines of the one field both sides changed differently; the rest of the file
// is the canonical form of the merged record.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "brm/diagnostic.hpp"
#include "brm/kinds.hpp"
#include "brm/value.hpp"

namespace brm {

// A place in a document: mapping keys and list positions.
using MergeStep = std::variant<std::string, std::size_t>;
using MergePath = std::vector<MergeStep>;

// "/actions/1/owner", a JSON pointer.
std::string to_pointer(const MergePath& path);

// Where both sides changed one value differently. Absent: that side deleted it.
struct MergeConflict {
  MergePath path;  // in the merged document
  std::optional<Value> ours;
  std::optional<Value> theirs;
};

struct TreeMerge {
  Value merged;  // each conflict's place holds null
  std::vector<MergeConflict> conflicts;
};

// Merges two versions of a document made from `base`. A value changed on one side takes
// that side; the same change on both is taken once; mappings merge key by key; lists
// merge item by item, items matched by their identity (an action's `what`, a response's
// `customer`: merge_identity) or, without one, by value, each side's new items kept.
// Without a base (both sides added the file: git's add/add), every difference is a
// conflict. Paths in `atomic` are not merged inside: a difference there is one conflict.
TreeMerge merge_documents(const Value* base, const Value& ours, const Value& theirs,
                          const std::vector<MergePath>& atomic = {});

// The fields that identify the items of a list, by the list's place in a record with
// list positions left out ("actions", "services[].levels"); empty when its items have
// none (they are then matched by value).
const std::vector<std::string_view>& merge_identity(std::string_view list_path);

struct MergeLabels {
  std::string ours = "ours";
  std::string theirs = "theirs";
};

struct FileMerge {
  std::string text;                // the merged file
  std::size_t conflicts = 0;       // regions between conflict markers
  bool clean = false;              // no conflicts and, where the sides were valid, valid
  bool by_lines = false;           // a side was no record: git's line-based merge was used
  Diagnostics findings;            // why it is not clean beyond markers: the result's errors
  std::vector<std::string> notes;  // what a user should know, for stderr
};

// Merges three versions of a record file. `kind` (from the path, when known) gives the
// canonical key order and the schema the result is checked with; without one it is
// guessed from the sides' content. An empty base is git's add/add. `file` names the file
// in notes and findings.
FileMerge merge_record_files(std::string_view base, std::string_view ours, std::string_view theirs,
                             std::optional<KindId> kind, std::string_view file,
                             const MergeLabels& labels = {});

// Git's own line-based three-way merge (libgit2's xdiff), with conflict markers.
// Returns false when the texts cannot be merged as lines (binary).
bool merge_lines(std::string_view base, std::string_view ours, std::string_view theirs,
                 const MergeLabels& labels, std::string* out, bool* clean);

// ---- registering the driver with git ----

// The one command that registers the driver: git reads drivers only from its config,
// which no file in the repository can set, so each clone runs it once.
inline constexpr std::string_view merge_driver_config =
    "git config merge.brm.driver \"brm merge-file %O %A %B %P\"";

// `existing` (a .gitattributes text, maybe empty) with a `<folder>/*.yaml merge=brm` line
// for each kind's folder that it lacks, added at its end.
std::string with_merge_attributes(std::string_view existing);

// Adds those lines to `dir`/.gitattributes, written atomically. Returns whether the file
// changed. Error(Io) when it cannot be read or written.
bool write_merge_attributes(const std::filesystem::path& dir);

}  // namespace brm

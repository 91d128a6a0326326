// Edits of a record file's text in place, by the positions the loader recorded, so that
// a write keeps the user's comments, blank lines, quote styles and line endings. Used by
// `brm KIND mv` (references) and by set, complaint close and meeting done (values).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "brm/value.hpp"

namespace brm {

// `text` (the file `before` was read from, whose marks point into it) changed so that it
// reads as `after`, when the two differ only in scalar values (each value's text replaced
// where it stands, in its quote style when it can be) and in new scalar keys (a line after
// their mapping's last entry, or at the end for the top level). nullopt for a structural
// change (a new list item or nested mapping, a removed key), a value whose text cannot be
// found (a block scalar, a value over several lines), or when the edit does not read back
// as `after`. New keys are only appended: `after`'s key order (the schema's, for a
// record) must put them after the mapping's existing keys.
std::optional<std::string> edit_in_place(std::string_view text, const Value& before,
                                         const Value& after);

// `text` with the scalar that starts at `mark` (plain or quoted, reading `from`) replaced
// by `to`, quoted as YAML needs; nullopt when the text there is not `from`.
std::optional<std::string> replace_scalar_at(std::string_view text, Mark mark,
                                             std::string_view from, std::string_view to);

}  // namespace brm

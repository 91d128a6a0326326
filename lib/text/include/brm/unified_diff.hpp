// The difference between two texts as a unified diff, in the form `diff -u` and
// `git diff` print: `fmt --check --diff` shows what `brm fmt` would change.
#pragma once

#include <string>
#include <string_view>

namespace brm {

// Empty when the texts are equal. Otherwise "--- OLD_LABEL\n+++ NEW_LABEL\n" and the
// hunks, with `context` unchanged lines around each change; a last line without a
// newline is followed by "\ No newline at end of file". Lines are matched as GNU diff
// matches them (a shortest edit script, then each run of changes slid down as far as it
// goes), so that the output reads as `diff -u` would print it.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context = 3);

}  // namespace brm

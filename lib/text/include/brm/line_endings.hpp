// Line endings are the file's, not the format's: canonical text is written with '\n', and a
// file that uses "\r\n" keeps them, so that a change is one line in git's diff, not all.
#pragma once

#include <string>
#include <string_view>

namespace brm {

// True when the file's first line ends in "\r\n".
bool uses_crlf(std::string_view text);

// `lf_text` (lines ending in '\n') with the line endings `existing` uses.
std::string with_line_endings_of(std::string_view existing, std::string lf_text);

// True when `text` is `lf_text` written with its own line endings: what `brm fmt` leaves alone.
bool same_but_line_endings(std::string_view text, std::string_view lf_text);

}  // namespace brm

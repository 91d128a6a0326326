// Reading an answer at a prompt in a terminal: line editing, and Tab completing from
// what the caller offers (record ids, enum values), through libedit as shells do.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brm::cli {

// What Tab offers for the text typed so far: whole answers, sorted.
using Completer = std::function<std::vector<std::string>(std::string_view typed)>;

// One answer, prompt on stderr; nullopt at the end of input (Ctrl-D). Tab replaces the
// line with the one answer offered, or with the longest text all answers share, or lists
// them. Only for terminals (stdin and stderr): see can_prompt.
std::optional<std::string> read_line(std::string_view prompt, const Completer& complete = {});

}  // namespace brm::cli

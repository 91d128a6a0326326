// Small string helpers that several layers share, each written once (in the spirit of
// LLVM's StringExtras): joining, splitting, trimming and dotted field paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brm {

// The words with `sep` (a space unless given) between them.
std::string join(const std::vector<std::string>& words, std::string_view sep = " ");

// The parts of `text` between each `sep`: "a,,b" is {"a", "", "b"}, "" is {""}. The parts
// point into `text`.
std::vector<std::string_view> split(std::string_view text, char sep);

// `text` without spaces and tabs at either end.
std::string_view trim_blanks(std::string_view text);

// `text` with A-Z as a-z and every other byte as it is (headers, flags, ids).
std::string lower_ascii(std::string_view text);

// The dotted path of `key` below `path`: "budget" + "amount" is "budget.amount", and a
// key at the top ("" + "name") is just "name".
std::string dotted_child(std::string_view path, std::string_view key);

}  // namespace brm

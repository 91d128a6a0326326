// The PATH arguments of `brm check` and `brm fmt`: files or folders named relative to
// where brm was started, turned into repository paths that select findings and files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"

namespace brm::cli {

// fmt refuses a PATH that does not exist; check just reports nothing for it.
enum class MustExist : bool { No, Yes };

// Each PATH as a repository path without a trailing '/', "" for the root itself.
// Error(Usage) for a PATH outside the repository, or one that is missing when it must exist.
std::vector<std::string> repository_relative(Context& ctx, const std::vector<std::string>& paths,
                                             MustExist must_exist);

// Whether `file` (a repository path) is one of `filters` or lies in one of them; every
// file is when there are no filters.
bool selected(const std::vector<std::string>& filters, std::string_view file);

}  // namespace brm::cli

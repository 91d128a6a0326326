// What the import commands (survey import, result import) share: the file named on the
// command line, read whole, and a cell's text without its surrounding blanks.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace brm::cli {

// The file at `path`, named `name` (as the user wrote it) in errors: Error(Io) for a
// folder or a file that cannot be read.
std::string read_import_file(const std::filesystem::path& path, const std::string& name);

// `s` without leading and trailing spaces and tabs.
std::string trimmed(std::string_view s);

}  // namespace brm::cli

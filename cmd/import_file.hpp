// What the import commands (survey import, result import) share: the file named on the
// command line, read whole, and how its problems are reported.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "brm/csv.hpp"
#include "cli.hpp"

namespace brm::cli {

// The file at `path`, named `name` (as the user wrote it) in errors: Error(Io) for a
// folder or a file that cannot be read.
std::string read_import_file(const std::filesystem::path& path, const std::string& name);

// Each problem of the file as FILE:LINE: error: MESSAGE on stderr, then Error(DataErrors)
// "FILE has N errors; nothing was written"; nothing when there are none.
void refuse_problems(Context& ctx, const std::string& file,
                     const std::vector<CsvProblem>& problems);

}  // namespace brm::cli

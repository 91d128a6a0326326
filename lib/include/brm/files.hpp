// Writing files so that a reader never sees half of one: a temporary file in the same
// folder, fsync, rename, fsync of the folder.
#pragma once

#include <filesystem>
#include <string_view>

namespace brm {

// Throws Error(Io) with the path and the system's reason (permissions, disk full).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Creates `dir` and its parents; Error(Io) on failure.
void make_folders(const std::filesystem::path& dir);

}  // namespace brm

// Writing files so that a reader never sees half of one: a temporary file in the same
// folder, fsync, rename, fsync of the folder.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>

namespace brm {

// Throws Error(Io) with the path and the system's reason (permissions, disk full).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);
// The same, with the content given in pieces (written one after another).
void write_file_atomic(const std::filesystem::path& path, std::span<const std::string_view> pieces);

// Creates `dir` and its parents; Error(Io) on failure.
void make_folders(const std::filesystem::path& dir);

}  // namespace brm

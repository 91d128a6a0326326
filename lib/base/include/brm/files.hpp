// Writing files so that a reader never sees half of one: a temporary file in the same
// folder, fsync, rename, fsync of the folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace brm {

// Throws Error(Io) with the path and the system's reason (permissions, disk full).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Whether a file name (no folder) is one of AtomicFile's temporary files,
// `.<name>.<hex>.brm-tmp`: what a writer killed halfway leaves behind.
bool is_atomic_file_temp(std::string_view name);

// A file written in pieces and put in place whole: until commit(), nothing at `path`
// changes (a temporary file beside it takes the writes, removed if the writer is
// abandoned). Every failure throws Error(Io) naming `path`.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void append(std::string_view bytes);
  std::uint64_t size() const noexcept { return size_; }  // bytes appended so far
  // Writes what is buffered, fsyncs, renames over `path`, fsyncs the folder. Sync::No
  // leaves out both fsyncs, for a file whose reader detects damage and can do without it
  // (the record cache): readers still never see half a file, but a crash soon after may
  // leave a damaged one.
  enum class Sync { Yes, No };
  void commit(Sync sync = Sync::Yes);

 private:
  void write_all(std::string_view bytes);

  std::filesystem::path path_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t size_ = 0;
};

// The whole content of a file; Error(Io) with the path and the system's reason.
std::string read_file(const std::filesystem::path& path);

// Creates `dir` and its parents; Error(Io) on failure.
void make_folders(const std::filesystem::path& dir);

}  // namespace brm

// POSIX file writes with the durability steps spelled out; std::ofstream cannot fsync.
#include "brm/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "brm/error.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

[[noreturn]] void io_fail(const fs::path& p, std::string_view what, int err) {
  throw Error(ExitCode::Io,
              fmt::format("cannot {} '{}': {}", what, p.string(), std::strerror(err)));
}

constexpr std::string_view temp_suffix = ".brm-tmp";

}  // namespace

bool is_atomic_file_temp(std::string_view name) {
  return name.size() > temp_suffix.size() + 1 && name.front() == '.' &&
         name.substr(name.size() - temp_suffix.size()) == temp_suffix;
}

AtomicFile::AtomicFile(fs::path path) : path_(std::move(path)) {
  fs::path dir = path_.parent_path();
  if (dir.empty()) dir = ".";
  std::random_device rd;
  for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
    temp_ = dir / fmt::format(".{}.{:08x}{}", path_.filename().string(), rd(), temp_suffix);
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd_ < 0 && errno != EEXIST) {
      int err = errno;
      temp_.clear();
      io_fail(path_, "write", err);
    }
  }
  if (fd_ < 0) {
    temp_.clear();
    io_fail(path_, "write", EEXIST);
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::write_all(std::string_view bytes) {
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      io_fail(path_, "write", errno);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void AtomicFile::append(std::string_view bytes) {
  // Small pieces are gathered first: a cache is tens of thousands of them.
  constexpr std::size_t kBuffer = std::size_t{1} << 20;
  size_ += bytes.size();
  if (buffer_.size() + bytes.size() > kBuffer) {
    write_all(buffer_);
    buffer_.clear();
  }
  if (bytes.size() >= kBuffer)
    write_all(bytes);
  else
    buffer_.append(bytes);
}

void AtomicFile::commit(Sync sync) {
  write_all(buffer_);
  buffer_.clear();
  if (sync == Sync::Yes && ::fsync(fd_) != 0) io_fail(path_, "write", errno);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) io_fail(path_, "write", errno);
  if (::rename(temp_.c_str(), path_.c_str()) != 0) io_fail(path_, "write", errno);
  temp_.clear();
  if (sync == Sync::No) return;
  fs::path dir = path_.parent_path();
  if (dir.empty()) dir = ".";
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void write_file_atomic(const fs::path& path, std::string_view content) {
  AtomicFile file(path);
  file.append(content);
  file.commit();
}

std::string read_file(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) io_fail(path, "read", errno);
  std::string out;
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      io_fail(path, "read", err);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

void make_folders(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) io_fail(dir, "create", ec.value());
}

}  // namespace brm

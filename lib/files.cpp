// POSIX file writes with the durability steps spelled out; std::ofstream cannot fsync.
#include "brm/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <random>

#include "brm/error.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

[[noreturn]] void io_fail(const fs::path& p, std::string_view what, int err) {
  throw Error(ExitCode::Io, fmt::format("cannot {} '{}': {}", what, p.string(), std::strerror(err)));
}

// Closes the descriptor and removes the temporary file unless the write completed.
struct TempFile {
  fs::path path;
  int fd = -1;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep && !path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

void write_file_atomic(const fs::path& path, std::string_view content) {
  write_file_atomic(path, std::span<const std::string_view>(&content, 1));
}

void write_file_atomic(const fs::path& path, std::span<const std::string_view> pieces) {
  fs::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::random_device rd;
  TempFile tmp;
  for (int attempt = 0; attempt < 16 && tmp.fd < 0; ++attempt) {
    tmp.path = dir / fmt::format(".{}.{:08x}.brm-tmp", path.filename().string(), rd());
    tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (tmp.fd < 0 && errno != EEXIST) {
      int err = errno;
      tmp.path.clear();
      io_fail(path, "write", err);
    }
  }
  if (tmp.fd < 0) io_fail(path, "write", EEXIST);
  auto write_all = [&](std::string_view bytes) {
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      ssize_t n = ::write(tmp.fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        io_fail(path, "write", errno);
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  };
  // Small pieces are gathered first: a cache is tens of thousands of them.
  std::string buffer;
  constexpr std::size_t kBuffer = std::size_t{1} << 20;
  for (std::string_view piece : pieces) {
    if (piece.size() >= kBuffer) {
      write_all(buffer);
      buffer.clear();
      write_all(piece);
      continue;
    }
    if (buffer.size() + piece.size() > kBuffer) {
      write_all(buffer);
      buffer.clear();
    }
    buffer.append(piece);
  }
  write_all(buffer);
  if (::fsync(tmp.fd) != 0) io_fail(path, "write", errno);
  if (::close(tmp.fd) != 0) {
    tmp.fd = -1;
    io_fail(path, "write", errno);
  }
  tmp.fd = -1;
  if (::rename(tmp.path.c_str(), path.c_str()) != 0) io_fail(path, "write", errno);
  tmp.keep = true;
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void make_folders(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) io_fail(dir, "create", ec.value());
}

}  // namespace brm

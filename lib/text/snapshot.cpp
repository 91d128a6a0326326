#include "brm/snapshot.hpp"

namespace brm {

FileStamp stamp_of(const struct ::stat& st) {
  auto ns = [](const struct ::timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
  };
  return {ns(st.st_mtim), static_cast<std::uint64_t>(st.st_size),
          static_cast<std::uint64_t>(st.st_ino), ns(st.st_ctim),
          static_cast<std::uint64_t>(st.st_dev)};
}

std::optional<FileStamp> stamp_of_file(const std::filesystem::path& path) {
  struct ::stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  return stamp_of(st);
}

}  // namespace brm

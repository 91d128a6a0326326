#include "import_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "brm/error.hpp"

namespace brm::cli {

std::string read_import_file(const std::filesystem::path& path, const std::string& name) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(ExitCode::Io, fmt::format("cannot read '{}': it is a folder", name));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    throw Error(ExitCode::Io, fmt::format("cannot read '{}': {}", name, std::strerror(err)));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trimmed(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

}  // namespace brm::cli

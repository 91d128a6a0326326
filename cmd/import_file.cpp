#include "import_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
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

void refuse_problems(Context& ctx, const std::string& file,
                     const std::vector<CsvProblem>& problems) {
  if (problems.empty()) return;
  bool color = ctx.color(stderr);
  for (const CsvProblem& p : problems)
    std::fprintf(stderr, "%s:%zu: %s: %s\n", file.c_str(), p.line,
                 paint(color, "1;31", "error").c_str(), p.message.c_str());
  std::size_t n = problems.size();
  throw Error(ExitCode::DataErrors,
              fmt::format("{} has {} error{}; nothing was written", file, n, n == 1 ? "" : "s"));
}

}  // namespace brm::cli

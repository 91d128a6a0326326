// PATH arguments as repository paths, for check and fmt.
#include "path_args.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "brm/error.hpp"

namespace fs = std::filesystem;

namespace brm::cli {

std::vector<std::string> repository_relative(Context& ctx, const std::vector<std::string>& paths,
                                             MustExist must_exist) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    fs::path abs = fs::absolute(ctx.start_dir() / p).lexically_normal();
    std::string rel = abs.lexically_relative(ctx.root()).generic_string();
    if (rel.empty() || rel.rfind("..", 0) == 0)
      throw Error(ExitCode::Usage, fmt::format("'{}' is outside the repository", p));
    std::error_code ec;
    if (must_exist == MustExist::Yes && !fs::exists(fs::symlink_status(abs, ec)))
      throw Error(ExitCode::Usage, fmt::format("no such file or folder: '{}'", p));
    if (rel == ".") rel.clear();
    while (!rel.empty() && rel.back() == '/') rel.pop_back();
    out.push_back(rel);
  }
  return out;
}

bool selected(const std::vector<std::string>& filters, std::string_view file) {
  if (filters.empty()) return true;
  return std::any_of(filters.begin(), filters.end(), [&](const std::string& f) {
    return f.empty() || file == f || (file.size() > f.size() && file.rfind(f + "/", 0) == 0);
  });
}

}  // namespace brm::cli

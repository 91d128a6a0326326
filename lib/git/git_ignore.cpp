// Which line of which ignore file makes git ignore a path, for the message that refuses it:
// libgit2 answers only whether a path is ignored. git's rules (gitignore(5)): the shallowest
// ignored folder decides; .gitignore files from the deepest up, then .git/info/exclude,
// then core.excludesFile; in each the last matching line. Patterns are matched with
// fnmatch, which is git's wildmatch but for "**" (then '*' also matches '/').
#include <fmt/format.h>
#include <fnmatch.h>

#include <cstdlib>
#include <fstream>

#include "git_write.hpp"

namespace fs = std::filesystem;

namespace brm::gitx {
namespace {

struct IgnoreFile {
  std::string shown;  // as git check-ignore -v names it
  std::string base;   // the folder its patterns are relative to: "" or "dir/"
  std::vector<std::string> lines;
};

std::optional<IgnoreFile> read_ignore_file(const fs::path& path, std::string shown,
                                           std::string base) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  IgnoreFile f{std::move(shown), std::move(base), {}};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    f.lines.push_back(line);
  }
  return f;
}

// Whether `pattern` (one line, without '!') matches `rel`, a path relative to the file's folder.
bool matches(std::string pattern, const std::string& rel, bool is_dir) {
  while (!pattern.empty() && pattern.back() == ' ' &&
         !(pattern.size() > 1 && pattern[pattern.size() - 2] == '\\'))
    pattern.pop_back();
  if (!pattern.empty() && pattern.back() == '/') {
    if (!is_dir) return false;
    pattern.pop_back();
  }
  if (pattern.empty()) return false;
  int flags = pattern.find("**") == std::string::npos ? FNM_PATHNAME : 0;
  if (pattern.find('/') == std::string::npos) {
    std::string name = rel.substr(rel.rfind('/') + 1);
    return ::fnmatch(pattern.c_str(), name.c_str(), flags) == 0;
  }
  if (pattern.front() == '/') pattern.erase(0, 1);
  return ::fnmatch(pattern.c_str(), rel.c_str(), flags) == 0;
}

// The deciding line for `path` in the files (highest precedence first); "" when none
// matches or the last match re-includes it.
std::string deciding_rule(const std::vector<IgnoreFile>& files, const std::string& path,
                          bool is_dir) {
  for (const IgnoreFile& f : files) {
    if (path.rfind(f.base, 0) != 0) continue;
    std::string rel = path.substr(f.base.size());
    for (std::size_t i = f.lines.size(); i-- > 0;) {
      const std::string& line = f.lines[i];
      if (line.empty() || line[0] == '#') continue;
      bool negated = line[0] == '!';
      std::string pattern = negated ? line.substr(1) : line;
      if (!pattern.empty() && pattern[0] == '\\') pattern.erase(0, 1);
      if (!matches(pattern, rel, is_dir)) continue;
      return negated ? "" : fmt::format("{}:{}:{}", f.shown, i + 1, line);
    }
  }
  return "";
}

}  // namespace

std::string ignore_rule_for(git_repository* repo, git_config* config, const std::string& path) {
  const char* workdir = git_repository_workdir(repo);
  if (!workdir) return "";
  std::vector<IgnoreFile> files;
  // .gitignore files from the path's own folder up to the root: deeper ones win.
  for (std::size_t slash = path.rfind('/');; slash = path.rfind('/', slash - 1)) {
    std::string base = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    if (auto f =
            read_ignore_file(fs::path(workdir) / base / ".gitignore", base + ".gitignore", base))
      files.push_back(std::move(*f));
    if (slash == std::string::npos || slash == 0) break;
  }
  if (auto f = read_ignore_file(fs::path(git_repository_commondir(repo)) / "info/exclude",
                                ".git/info/exclude", ""))
    files.push_back(std::move(*f));
  git_buf excludes = GIT_BUF_INIT;
  fs::path global;
  if (git_config_get_path(&excludes, config, "core.excludesFile") == 0) {
    global = excludes.ptr;
  } else if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    global = fs::path(xdg) / "git/ignore";
  } else if (const char* home = std::getenv("HOME")) {
    global = fs::path(home) / ".config/git/ignore";
  }
  git_buf_dispose(&excludes);
  git_error_clear();
  if (auto f = read_ignore_file(global, global.string(), "")) files.push_back(std::move(*f));
  // The shallowest ignored folder decides: nothing below it can be re-included.
  for (std::size_t slash = path.find('/');; slash = path.find('/', slash + 1)) {
    bool is_dir = slash != std::string::npos;
    std::string rule = deciding_rule(files, is_dir ? path.substr(0, slash) : path, is_dir);
    if (!rule.empty() || !is_dir) return rule;
  }
}

}  // namespace brm::gitx

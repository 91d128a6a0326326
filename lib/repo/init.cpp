// brm init as one transaction: refuse before writing, undo everything on a later failure.
#include <fmt/format.h>

#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/git.hpp"
#include "brm/kinds.hpp"
#include "brm/store.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

// What init made, newest last, so that a failure can take exactly that away again.
struct Made {
  std::vector<fs::path> folders;
  std::vector<fs::path> files;
  fs::path git_dir;

  void folder(const fs::path& dir) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = dir; !p.empty() && !fs::exists(fs::symlink_status(p, ec));
         p = p.parent_path()) {
      missing.push_back(p);
      if (p == p.parent_path()) break;
    }
    make_folders(dir);
    folders.insert(folders.end(), missing.rbegin(), missing.rend());
  }
  void file(const fs::path& path, std::string_view content) {
    folder(path.parent_path());
    write_file_atomic(path, content);
    files.push_back(path);
  }
  void undo() const {
    std::error_code ec;
    for (auto it = files.rbegin(); it != files.rend(); ++it) fs::remove(*it, ec);
    if (!git_dir.empty()) fs::remove_all(git_dir, ec);
    for (auto it = folders.rbegin(); it != folders.rend(); ++it) fs::remove(*it, ec);  // if empty
  }
};

void refuse_existing(const NewRepository& r) {
  std::error_code ec;
  if (fs::exists(r.dir / "brm.yaml", ec))
    throw Error(ExitCode::Usage, fmt::format("'{}' is already a brm repository", r.dir.string()));
  std::string existing;
  for (const auto& [path, content] : r.files)
    if (fs::exists(fs::symlink_status(r.dir / path, ec))) existing += "\n  " + path;
  if (!existing.empty())
    throw Error(ExitCode::Usage,
                fmt::format("'{}' already has files that brm init would overwrite:{}\n"
                            "hint: move them away, or create the repository in another folder",
                            r.dir.string(), existing));
}

}  // namespace

void create_repository(const NewRepository& r) {
  refuse_existing(r);
  std::vector<std::string> paths;
  for (const auto& [path, content] : r.files) paths.push_back(path);
  std::unique_ptr<GitWriter> git;
  if (r.git) {
    git = GitWriter::open(r.dir);  // refuses where git would (safe.directory)
    if (git)
      git->check_before_write(paths, true, r.force);
    else
      check_commit_setup_without_repository();
  }
  Made made;
  try {
    made.folder(r.dir);
    for (const auto& [path, content] : r.files)
      made.file(r.dir / path, git ? git->worktree_text(path, content, nullptr) : content);
    for (const Kind& k : kinds()) made.folder(r.dir / k.folder);
    if (!r.git) return;
    if (!git) {
      made.git_dir = r.dir / ".git";
      git_init(r.dir);
      git = GitWriter::open(r.dir);
      if (!git) throw Error(ExitCode::Git, "git init made no repository");
      git->check_before_write(paths, true, r.force);
    }
    git->commit(paths, r.message);
  } catch (...) {
    made.undo();
    throw;
  }
}

}  // namespace brm

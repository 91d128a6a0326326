// Filters as git's attributes name them, read through libgit2's attribute lookup, after a
// cheap look at whether any attributes file that applies could name one.
#include "git_filters.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "brm/git_handle.hpp"

namespace fs = std::filesystem;

namespace brm::gitx {
namespace {

bool names_filter(std::string_view text) { return text.find("filter") != std::string_view::npos; }

bool file_names_filter(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return names_filter(text);
}

bool blob_names_filter(git_repository* repo, const git_oid* id) {
  Blob blob;
  if (git_blob_lookup(blob.out(), repo, id) < 0) return false;
  return names_filter({static_cast<const char*>(git_blob_rawcontent(blob.get())),
                       static_cast<std::size_t>(git_blob_rawsize(blob.get()))});
}

// Whether `path` below `root` passes through a symbolic link (brm never follows one).
bool through_link(const fs::path& root, const std::string& path) {
  fs::path at = root;
  for (const fs::path& part : fs::path(path)) {
    at /= part;
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(at, ec))) return true;
  }
  return false;
}

// The .gitattributes of `folder` (from the git root) in the commit, the index or the work
// tree: does any name a filter?
bool folder_names_filter(git_repository* repo, git_tree* tree, git_index* index,
                         const std::string& folder) {
  std::string path = folder + ".gitattributes";
  TreeEntry e;
  if (git_tree_entry_bypath(e.out(), tree, path.c_str()) == 0 &&
      blob_names_filter(repo, git_tree_entry_id(e.get())))
    return true;
  if (const git_index_entry* i = index ? git_index_get_bypath(index, path.c_str(), 0) : nullptr;
      i && blob_names_filter(repo, &i->id))
    return true;
  const char* workdir = git_repository_workdir(repo);
  return workdir && !through_link(workdir, path) && file_names_filter(fs::path(workdir) / path);
}

// The attributes files outside the tree: info/attributes, core.attributesFile (or its
// default under XDG_CONFIG_HOME), the system's.
bool other_sources_name_filter(git_repository* repo) {
  if (file_names_filter(fs::path(git_repository_commondir(repo)) / "info" / "attributes"))
    return true;
  if (file_names_filter("/etc/gitattributes")) return true;
  Config config;
  git_buf path = GIT_BUF_INIT;
  fs::path global;
  if (git_repository_config_snapshot(config.out(), repo) == 0 &&
      git_config_get_path(&path, config.get(), "core.attributesFile") == 0) {
    global = path.ptr;
  } else if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    global = fs::path(xdg) / "git" / "attributes";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    global = fs::path(home) / ".config" / "git" / "attributes";
  }
  git_buf_dispose(&path);
  return !global.empty() && file_names_filter(global);
}

}  // namespace

FilteredPaths::FilteredPaths(git_repository* repo, const git_commit* commit,
                             const std::vector<std::string>& folders)
    : repo_(repo), commit_(*git_commit_id(commit)) {
  std::set<std::string> all;  // each folder and the folders above it, up to the root
  for (const std::string& f : folders)
    for (std::size_t slash = 0; slash != std::string::npos; slash = f.find('/', slash + 1))
      all.insert(slash == 0 ? "" : f.substr(0, slash + 1));
  Tree tree;
  check(git_commit_tree(tree.out(), commit), "cannot read the commit's tree");
  Index index;
  if (git_repository_index(index.out(), repo) < 0) index.p = nullptr;  // bare: no index
  may_filter_ = other_sources_name_filter(repo);
  for (auto it = all.begin(); !may_filter_ && it != all.end(); ++it)
    may_filter_ = folder_names_filter(repo, tree.get(), index.get(), *it);
}

std::string FilteredPaths::filter_of(const std::string& path) const {
  if (!may_filter_) return {};
  git_attr_options options = GIT_ATTR_OPTIONS_INIT;
  options.flags = GIT_ATTR_CHECK_FILE_THEN_INDEX | GIT_ATTR_CHECK_INCLUDE_COMMIT;
  git_oid_cpy(&options.attr_commit_id, &commit_);
  const char* value = nullptr;
  check(git_attr_get_ext(&value, repo_, &options, path.c_str(), "filter"),
        fmt::format("cannot read the attributes of '{}'", path));
  if (git_attr_value(value) != GIT_ATTR_VALUE_STRING) return {};  // unset, or -filter
  return value;
}

}  // namespace brm::gitx

// Which files of a revision git stored through a clean filter (git-crypt, LFS): their
// blobs hold what the filter made of the file, not the file. Private to lib/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "brm/git2_lazy.hpp"

namespace brm::gitx {

class FilteredPaths {
 public:
  // For reads of `commit`, whose files brm reads in `folders` (relative to the git root,
  // '' for the root itself, each ending in '/').
  FilteredPaths(git_repository* repo, const git_commit* commit,
                const std::vector<std::string>& folders);

  // The `filter` attribute of `path` (from the git root): from the commit's own
  // .gitattributes and, as git reads attributes for any revision, from the work tree's,
  // the index's, info/attributes and core.attributesFile. Empty when unset.
  std::string filter_of(const std::string& path) const;

 private:
  git_repository* repo_;
  git_oid commit_;
  // Whether any attributes file that could apply mentions a filter at all: asking
  // libgit2 about each file costs a tenth of a millisecond, which most repositories,
  // having no filter, need not pay.
  bool may_filter_ = false;
};

}  // namespace brm::gitx

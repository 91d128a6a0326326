// What brm shows of a commit, apart from git.hpp so that the git layer's own helpers
// (git_handle.hpp) can make one without the rest of its API.
#pragma once

#include <cstdint>
#include <string>

namespace brm {

// The commit a revision names: its id and committer time (seconds since the epoch, UTC).
struct CommitInfo {
  std::string id;
  std::int64_t time = 0;
  std::string summary;
  std::string author;
};

}  // namespace brm

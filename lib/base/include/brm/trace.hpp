// Where a run's time goes, for whoever is making brm faster: with BRM_TRACE_PERFORMANCE
// set (as git's GIT_TRACE_PERFORMANCE), each region prints its wall time to stderr when it
// ends, indented by depth. Set to 1 or true for stderr, to an absolute path to append to
// that file. Unset, a region costs one branch.
#pragma once

#include <chrono>
#include <string_view>

namespace brm {

class TraceRegion {
 public:
  explicit TraceRegion(std::string_view what);
  TraceRegion(const TraceRegion&) = delete;
  TraceRegion& operator=(const TraceRegion&) = delete;
  ~TraceRegion();

 private:
  std::string_view what_;
  std::chrono::steady_clock::time_point start_;
  bool on_;
};

}  // namespace brm

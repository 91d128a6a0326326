#include "brm/trace.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace brm {

namespace {

// Where the trace goes: nullptr when off. Decided once per run.
std::FILE* trace_file() {
  static std::FILE* file = []() -> std::FILE* {
    const char* v = std::getenv("BRM_TRACE_PERFORMANCE");
    if (!v || !*v) return nullptr;
    std::string s(v);
    if (s == "0" || s == "false") return nullptr;
    if (s == "1" || s == "2" || s == "true") return stderr;
    if (s[0] != '/') {
      std::fprintf(stderr,
                   "brm: warning: BRM_TRACE_PERFORMANCE is 1 or an absolute path, not '%s'; "
                   "no trace\n",
                   v);
      return nullptr;
    }
    if (std::FILE* f = std::fopen(v, "ae")) return f;
    std::fprintf(stderr, "brm: warning: cannot open BRM_TRACE_PERFORMANCE file '%s': %s\n", v,
                 std::strerror(errno));
    return nullptr;
  }();
  return file;
}

thread_local int depth = 0;

}  // namespace

TraceRegion::TraceRegion(std::string_view what) : what_(what), on_(trace_file() != nullptr) {
  if (!on_) return;
  ++depth;
  start_ = std::chrono::steady_clock::now();
}

TraceRegion::~TraceRegion() {
  if (!on_) return;
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
  --depth;
  std::string line =
      fmt::format("brm: performance: {:9.6f} s: {:{}}{}\n", took.count(), "", 2 * depth, what_);
  std::fputs(line.c_str(), trace_file());
  std::fflush(trace_file());
}

}  // namespace brm

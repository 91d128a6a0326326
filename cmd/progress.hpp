// A progress line on standard error for work that runs long, only on a terminal and
// only once the work has taken more than a second, so scripts and quick runs see none.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

#include "brm/record_cache.hpp"
#include "brm/repository.hpp"
#include "cli.hpp"

namespace brm::cli {

class Progress {
 public:
  Progress(Context& ctx, std::string label)
      : enabled_(ctx.is_terminal(stderr)),
        label_(std::move(label)),
        start_(std::chrono::steady_clock::now()) {}
  ~Progress() { finish(); }

  std::function<void(std::size_t, std::size_t)> callback() {
    if (!enabled_) return {};
    return [this](std::size_t done, std::size_t total) { update(done, total); };
  }

  void update(std::size_t done, std::size_t total) {
    std::lock_guard lock(mutex_);
    auto elapsed = std::chrono::steady_clock::now() - start_;
    if (elapsed < std::chrono::seconds(1) || total == 0) return;
    int width = 30;
    auto filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
    std::fprintf(stderr, "\r%s [%s%s] %zu/%zu", label_.c_str(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), done, total);
    std::fflush(stderr);
    shown_ = true;
  }

  void finish() {
    std::lock_guard lock(mutex_);
    if (shown_) std::fputs("\r\033[K", stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

// The work tree through the record cache, with a progress line while it loads: what
// the commands that read whole records (agenda, report, export) start with.
inline Repository load_worktree_with_progress(Context& ctx, Diagnostics* findings) {
  LoadOptions load;
  Progress progress(ctx, "loading");
  load.progress = progress.callback();
  Repository repo = load_worktree(ctx.root(), findings, load);
  progress.finish();
  return repo;
}

}  // namespace brm::cli

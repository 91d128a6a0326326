// Loads of a work tree through the record cache, and with it off, as texts to compare: the
// cache must never change what a load or a check gives.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "brm/record_cache.hpp"

namespace brm::test {

// What `f` returns with the record cache off (BRM_CACHE=off), as brm without one.
template <class F>
auto without_cache(F f) {
  ::setenv("BRM_CACHE", "off", 1);
  auto out = f();
  ::unsetenv("BRM_CACHE");
  return out;
}

// Every record's path and validity, then the findings, as load_worktree gives them.
inline std::string loaded(const std::filesystem::path& root) {
  Diagnostics findings;
  Repository repo = load_worktree(root, &findings);
  std::string out;
  for (const auto& rs : repo.records)
    for (const Record& r : rs) out += r.path() + (r.valid ? "\n" : " (invalid)\n");
  for (const Diagnostic& d : findings) out += format_text(d) + "\n";
  return out;
}

inline std::string loaded_without_cache(const std::filesystem::path& root) {
  return without_cache([&] { return loaded(root); });
}

// The number of files checked, then the findings, as check_worktree (brm check) gives them.
inline std::string checked(const std::filesystem::path& root) {
  Diagnostics findings;
  std::size_t files = check_worktree(root, &findings);
  std::string out = std::to_string(files) + " files\n";
  for (const Diagnostic& d : findings) out += format_text(d) + "\n";
  return out;
}

inline std::string checked_without_cache(const std::filesystem::path& root) {
  return without_cache([&] { return checked(root); });
}

}  // namespace brm::test

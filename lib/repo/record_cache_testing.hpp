// Seams for the tests of the record cache's racy rule (git's): they age files against the
// cache's clock instead of sleeping past the two-second window, and read the time a cache
// file holds as its own; and for those of its appended tails, where its index lies.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace brm {

// The clock the record cache reads, in nanoseconds since the epoch; nullptr: the system's.
void set_record_cache_clock(std::int64_t (*clock)());

// The time the cache of `root` was written as of (its racy rule's reference); nullopt when
// there is no cache this brm can read.
std::optional<std::int64_t> record_cache_saved_at(const std::filesystem::path& root);

// Where the full index the cache of `root` reads lies in its file, and whether the last
// tail holds only the rows changed since (it `extends` that index); nullopt when there is
// no cache this brm can read.
struct CacheIndexLayout {
  std::uint64_t at = 0, length = 0;
  bool extends = false;
};
std::optional<CacheIndexLayout> record_cache_index_layout(const std::filesystem::path& root);

}  // namespace brm

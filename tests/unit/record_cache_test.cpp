// The record cache's racy rule (git's) against its own clock: the time a cache is written
// as of, and the refresh of the stamps of files that were racy. The clock is set by the
// test (record_cache_testing.hpp), so that no test waits two seconds.
#include "brm/record_cache.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "brm/store.hpp"
#include "brm/yaml.hpp"
#include "cache_loads.hpp"
#include "record_cache_testing.hpp"
#include "scratch_folder.hpp"

using namespace brm;
using brm::test::checked;
using brm::test::checked_without_cache;
using brm::test::loaded;
using brm::test::loaded_without_cache;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t second = 1'000'000'000;

// A repository of two records, its cache in a folder of its own, and the cache's clock.
struct CacheRepo : test::ScratchFolder {
  test::ScratchFolder cache_home{"brm-racy-cache"};
  CacheRepo() : ScratchFolder("brm-racy") {
    write("brm.yaml", "brm: 1\norganisation: Test\n");
    write("customers/anna-berg.yaml", "name: Anna Berg\nrole: customer\n");
    write("customers/per-holm.yaml", "name: Per Holm\nrole: purchaser\ncustomer: anna-berg\n");
    ::setenv("XDG_CACHE_HOME", cache_home.root.c_str(), 1);
  }
  ~CacheRepo() {
    set_record_cache_clock(nullptr);
    ::unsetenv("XDG_CACHE_HOME");
  }
  CacheRepo(const CacheRepo&) = delete;
  CacheRepo& operator=(const CacheRepo&) = delete;

  std::int64_t mtime(const std::string& rel) const {
    struct ::stat st {};
    REQUIRE(::stat((root / rel).c_str(), &st) == 0);
    return std::int64_t{st.st_mtim.tv_sec} * second + st.st_mtim.tv_nsec;
  }
  // The cache file as stat sees it: any write of it changes this.
  std::string cache_file() const {
    struct ::stat st {};
    if (::stat(record_cache_path(root).c_str(), &st) != 0) return "none";
    return std::to_string(st.st_ino) + " " + std::to_string(st.st_size) + " " +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  }
};

// A clock that stands still at `fixed_now`, and one for a load that lasts 100 seconds: the
// first reading is `fixed_now`, every later one 100 seconds on.
std::int64_t fixed_now = 0;
std::int64_t fixed_clock() { return fixed_now; }
int readings = 0;
std::int64_t long_load_clock() { return readings++ == 0 ? fixed_now : fixed_now + 100 * second; }

}  // namespace

TEST_CASE("record cache: a cache is written as of the time before its listing") {
  // git's racy rule compares the entries' stamps with the time the index was written as
  // of; the stamps are taken as the listing stats the files, so that time must come before
  // the listing. A long load's end is too late: a file changed after its stat would look
  // older than the window.
  CacheRepo r;
  fixed_now = r.mtime("customers/anna-berg.yaml") + 10 * second;
  set_record_cache_clock(long_load_clock);
  readings = 0;
  std::string cold = loaded_without_cache(r.root);
  readings = 0;
  CHECK(loaded(r.root) == cold);  // cold: parsed, written whole
  CHECK(record_cache_saved_at(r.root) == std::optional<std::int64_t>(fixed_now));

  // A changed record: parsed again, the cache written whole.
  r.write("customers/per-holm.yaml", "name: Per Holm\nrole: customer\n");
  fixed_now += 50 * second;
  readings = 0;
  CHECK(loaded(r.root) == loaded_without_cache(r.root));
  CHECK(record_cache_saved_at(r.root) == std::optional<std::int64_t>(fixed_now));

  // Another day: the findings computed again from the entries, the cache written again.
  ::setenv("BRM_TODAY", "2031-01-01", 1);
  fixed_now += 50 * second;
  readings = 0;
  std::string next_day = loaded(r.root);
  ::unsetenv("BRM_TODAY");
  CHECK(record_cache_saved_at(r.root) == std::optional<std::int64_t>(fixed_now));
  ::setenv("BRM_TODAY", "2031-01-01", 1);
  CHECK(next_day == loaded_without_cache(r.root));
  ::unsetenv("BRM_TODAY");
}

TEST_CASE("record cache: files racy when the cache was written are refreshed once") {
  CacheRepo r;
  const std::int64_t written = r.mtime("customers/anna-berg.yaml");
  set_record_cache_clock(fixed_clock);
  fixed_now = written + second / 2;
  const std::string cold = checked_without_cache(r.root);
  CHECK(checked(r.root) == cold);  // cold: every file racy against the cache's time
  CHECK(record_cache_saved_at(r.root) == std::optional<std::int64_t>(fixed_now));

  // Still within the window: read and matched by content, nothing learnt, nothing written.
  std::string file = r.cache_file();
  fixed_now = written + second;
  CHECK(checked(r.root) == cold);
  CHECK(r.cache_file() == file);

  // Past it: matched once more, and their stamps (with the listing's time) go to the cache,
  // with the findings it kept: the next runs answer from them.
  fixed_now = written + 10 * second;
  CHECK(checked(r.root) == cold);
  CHECK(r.cache_file() != file);
  CHECK(record_cache_saved_at(r.root) == std::optional<std::int64_t>(fixed_now));

  // Once: from now on the stamps vouch for every file, and no run writes the cache.
  file = r.cache_file();
  fixed_now = written + 20 * second;
  CHECK(checked(r.root) == cold);
  CHECK(loaded(r.root) == loaded_without_cache(r.root));
  CHECK(r.cache_file() == file);
  CHECK(record_cache_saved_at(r.root) == std::optional<std::int64_t>(written + 10 * second));

  // A touch (a checkout that wrote the same content) changes the stamp, not the content:
  // read and matched, then refreshed with its new stamp, once.
  struct ::timespec times[2] = {{0, UTIME_OMIT}, {(written - 100 * second) / second, 0}};
  REQUIRE(::utimensat(AT_FDCWD, (r.root / "customers/anna-berg.yaml").c_str(), times, 0) == 0);
  fixed_now = written + 30 * second;
  CHECK(checked(r.root) == cold);
  CHECK(r.cache_file() != file);
  file = r.cache_file();
  fixed_now = written + 40 * second;
  CHECK(checked(r.root) == cold);
  CHECK(r.cache_file() == file);
}

TEST_CASE("record cache: a write's load that refreshes still keeps the findings for the next run") {
  // The refresh keeps the cache's findings and their generation: the write then updates
  // them (note_written), and the next check answers from them without writing the cache.
  CacheRepo r;
  const std::int64_t written = r.mtime("customers/anna-berg.yaml");
  set_record_cache_clock(fixed_clock);
  fixed_now = written;
  checked(r.root);
  fixed_now = written + 10 * second;
  {
    Value doc;
    Diagnostics ds;
    REQUIRE(parse_yaml("name: Eva\nrole: customer\n", "x.yaml", &doc, &ds));
    WriteOptions options;
    options.commit = false;
    Transaction t(r.root, options);
    t.put(KindId::Customer, "eva", doc);
    t.commit("add eva");
  }
  CHECK(record_cache_saved_at(r.root) == std::optional<std::int64_t>(fixed_now));
  std::string file = r.cache_file();
  fixed_now = written + 11 * second;
  std::string warm = checked(r.root);
  CHECK(r.cache_file() == file);
  CHECK(warm == checked_without_cache(r.root));
}

TEST_CASE("record cache: a refresh waits for a share of the files worth a new index") {
  // One racy file (a write's) costs a read a run; a refresh writes the index of every file.
  CacheRepo r;
  for (int i = 0; i < 126; ++i)
    r.write("customers/c" + std::to_string(i) + ".yaml", "name: C\nrole: customer\n");
  const std::int64_t written = r.mtime("customers/c0.yaml");
  set_record_cache_clock(fixed_clock);
  fixed_now = written + 10 * second;
  const std::string cold = checked_without_cache(r.root);
  CHECK(checked(r.root) == cold);
  auto touch = [&](const std::string& rel) {
    struct ::timespec times[2] = {{0, UTIME_OMIT}, {(written - 100 * second) / second, 0}};
    REQUIRE(::utimensat(AT_FDCWD, (r.root / rel).c_str(), times, 0) == 0);
  };
  touch("customers/c1.yaml");
  std::string file = r.cache_file();
  fixed_now = written + 20 * second;
  CHECK(checked(r.root) == cold);
  CHECK(r.cache_file() == file);  // 1 of 128 files: read again, and no refresh
  touch("customers/c2.yaml");
  CHECK(checked(r.root) == cold);
  CHECK(r.cache_file() != file);  // 2 of 128 (1/64): refreshed
  file = r.cache_file();
  fixed_now = written + 30 * second;
  CHECK(checked(r.root) == cold);
  CHECK(r.cache_file() == file);
}

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

namespace {

// A repository of `n` customers besides CacheRepo's two, checked once so that its cache
// holds a full index.
void add_customers(CacheRepo& r, int n) {
  for (int i = 0; i < n; ++i)
    r.write("customers/c" + std::to_string(i) + ".yaml", "name: C\nrole: customer\n");
}

// One complaint written the way brm complaint add writes it (without the commit).
void add_complaint(const fs::path& root, const std::string& id) {
  Value doc;
  Diagnostics ds;
  REQUIRE(
      parse_yaml("customer: anna-berg\nreceived: 2026-11-20\nseverity: low\n"
                 "summary: Printer jam\nstatus: open\n",
                 "x.yaml", &doc, &ds));
  WriteOptions options;
  options.commit = false;
  Transaction t(root, options);
  t.put(KindId::Complaint, id, doc);
  t.commit("complaint: add " + id);
}

std::uintmax_t cache_size(const fs::path& root) { return fs::file_size(record_cache_path(root)); }

}  // namespace

TEST_CASE("record cache: a write appends the index rows it changed, not the whole index") {
  CacheRepo r;
  add_customers(r, 300);
  checked(r.root);
  auto before = record_cache_index_layout(r.root);
  REQUIRE(before);
  CHECK_FALSE(before->extends);
  std::uintmax_t size = cache_size(r.root);
  add_complaint(r.root, "2026-11-20-printer-jam");
  auto after = record_cache_index_layout(r.root);
  REQUIRE(after);
  CHECK(after->extends);
  CHECK(after->at == before->at);  // the same full index, extended
  // The complaint's entry and a tail of one row, against an index of 302 rows.
  CHECK(cache_size(r.root) - size < before->length / 4);
  std::string file = r.cache_file();
  CHECK(loaded(r.root) == loaded_without_cache(r.root));
  CHECK(loaded(r.root).find("complaints/2026-11-20-printer-jam.yaml\n") != std::string::npos);
  CHECK(checked(r.root) == checked_without_cache(r.root));
  CHECK(r.cache_file() == file);  // the write kept the findings: the check wrote nothing
  // A second write extends the same index with both rows.
  add_complaint(r.root, "2026-11-21-printer-jam");
  CHECK(record_cache_index_layout(r.root)->at == before->at);
  CHECK(loaded(r.root) == loaded_without_cache(r.root));
  CHECK(checked(r.root) == checked_without_cache(r.root));
}

TEST_CASE("record cache: a damaged index under a tail that extends it is found out") {
  CacheRepo r;
  add_customers(r, 100);
  checked(r.root);
  add_complaint(r.root, "2026-11-20-printer-jam");
  auto layout = record_cache_index_layout(r.root);
  REQUIRE(layout);
  REQUIRE(layout->extends);
  {  // one byte of a row of the full index, which the last tail's checksum does not cover
    int fd = ::open(record_cache_path(r.root).c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    char byte = 0;
    auto at = static_cast<off_t>(layout->at + layout->length / 2);
    REQUIRE(::pread(fd, &byte, 1, at) == 1);
    byte = static_cast<char>(byte ^ 0x5a);
    REQUIRE(::pwrite(fd, &byte, 1, at) == 1);
    ::close(fd);
  }
  CHECK_FALSE(record_cache_index_layout(r.root));  // the cache does not read
  CHECK(loaded(r.root) == loaded_without_cache(r.root));
  CHECK(checked(r.root) == checked_without_cache(r.root));
  CHECK(record_cache_index_layout(r.root));  // and was written again
}

TEST_CASE("record cache: tails that extend an index give way to a whole file again") {
  // Each tail holds the changes of those before it: their dead bytes pile up, and the
  // file is written again whole (a full index) once they outweigh the live ones.
  CacheRepo r;
  add_customers(r, 30);
  checked(r.root);
  auto first = record_cache_index_layout(r.root);
  REQUIRE(first);
  int extended = 0;
  bool whole_again = false;
  for (int i = 0; i < 70 && !whole_again; ++i) {
    add_complaint(r.root, "2026-11-20-printer-jam-" + std::to_string(i));
    auto layout = record_cache_index_layout(r.root);
    REQUIRE(layout);
    if (layout->extends) ++extended;
    whole_again = !layout->extends;
  }
  CHECK(extended >= 5);
  CHECK(whole_again);
  CHECK(cache_size(r.root) < 4 * first->length + 64 * 1024);
  CHECK(loaded(r.root) == loaded_without_cache(r.root));
  CHECK(checked(r.root) == checked_without_cache(r.root));
}

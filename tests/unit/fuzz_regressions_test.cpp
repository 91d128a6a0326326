// Every input that once broke a fuzz target (tests/fuzz/regressions/<target>/) goes
// through the same code as the fuzzer, in the normal build, so that CI without clang
// still keeps those bugs fixed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_targets.hpp"

namespace brm {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_of(const char* target) {
  std::vector<fs::path> out;
  fs::path dir = fs::path(BRM_SOURCE_DIR) / "tests/fuzz/regressions" / target;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().filename().string().front() != '.') out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// init_fuzzing sets BRM_TODAY; the other unit tests get back what they had.
struct TodayGuard {
  bool had = std::getenv("BRM_TODAY") != nullptr;
  std::string was = had ? std::getenv("BRM_TODAY") : "";
  TodayGuard() { fuzz::init_fuzzing(); }
  ~TodayGuard() {
    if (had)
      ::setenv("BRM_TODAY", was.c_str(), 1);
    else
      ::unsetenv("BRM_TODAY");
  }
};

void replay(const char* target, std::string (*run)(const std::uint8_t*, std::size_t)) {
  TodayGuard today;
  for (const fs::path& p : inputs_of(target)) {
    CAPTURE(p.filename().string());
    std::string data = bytes_of(p);
    CHECK(run(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()) == "");
  }
}

}  // namespace

TEST_CASE("fuzz regressions: record files that once broke the loader, rules or outputs") {
  replay("record", fuzz::run_record_input);
}

TEST_CASE("fuzz regressions: CSV files that once broke the reader or writer") {
  replay("csv", fuzz::run_csv_input);
}

TEST_CASE("fuzz regressions: YAML texts on which the subset reader once disagreed with yaml-cpp") {
  replay("yaml_block", fuzz::run_yaml_block_input);
}

TEST_CASE("fuzz regressions: git index files, whole, cut short and changed") {
  replay("git_index", fuzz::run_git_index_input);
  // The seeds (indexes git wrote, less their checksum, which the target adds) and every
  // one of their prefixes and one-byte changes: an index is taken or refused, never read
  // past its end.
  fs::path dir = fs::path(BRM_SOURCE_DIR) / "tests/fuzz/seeds/git_index";
  std::size_t seeds = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string data = bytes_of(e.path());
    data.resize(data.size() - 20);
    ++seeds;
    auto run = [](const std::string& d) {
      return fuzz::run_git_index_input(reinterpret_cast<const std::uint8_t*>(d.data()), d.size());
    };
    CAPTURE(e.path().filename().string());
    CHECK(run(data) == "");
    for (std::size_t n = 0; n < data.size(); ++n) {
      CHECK(run(data.substr(0, n)) == "");
      std::string changed = data;
      changed[n] = static_cast<char>(changed[n] ^ 0x5a);
      CHECK(run(changed) == "");
    }
  }
  CHECK(seeds >= 2);
}

TEST_CASE("fuzz regressions: the seeds pass too (the replay is not vacuous)") {
  TodayGuard today;
  std::string customer = std::string(1, '\0') + "name: Anna Berg\nrole: customer\n";
  CHECK(fuzz::run_record_input(reinterpret_cast<const std::uint8_t*>(customer.data()),
                               customer.size()) == "");
  std::string csv = "customer,score\nretail-division,4\n";
  CHECK(fuzz::run_csv_input(reinterpret_cast<const std::uint8_t*>(csv.data()), csv.size()) == "");
}

}  // namespace brm

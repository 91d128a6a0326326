// Regression tests for robustness bugs found outside the fuzzers (hostile corpus, kill
// and I/O tests): each names the bug it keeps fixed.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "brm/diagnostic.hpp"
#include "brm/error.hpp"
#include "brm/measure.hpp"
#include "brm/repository.hpp"
#include "brm/store.hpp"
#include "brm/yaml.hpp"
#include "scratch_folder.hpp"

namespace brm {
namespace {

namespace fs = std::filesystem;

struct ScratchRepo : test::ScratchFolder {
  ScratchRepo() : ScratchFolder("brm-robust") { write("brm.yaml", "brm: 1\n"); }
};

std::string first_rule(std::string_view text) {
  Value v;
  Diagnostics ds;
  parse_yaml(text, "x.yaml", &v, &ds);
  return ds.empty() ? std::string() : ds.front().rule;
}

}  // namespace

TEST_CASE("robustness: a lock file that is a symbolic link is reported, not spun on for ever") {
  ScratchRepo repo;
  fs::create_symlink("/nonexistent/brm.lock", repo.root / ".brm.lock");
  WriteOptions options;
  options.lock_timeout_ms = 100;
  auto start = std::chrono::steady_clock::now();
  try {
    Transaction tx(repo.root, options);
    FAIL("the lock was taken through a link");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::Io);
    CHECK(std::string(e.what()).find("remove") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK(fs::is_symlink(fs::symlink_status(repo.root / ".brm.lock")));  // left for the user
}

TEST_CASE("robustness: control characters are findings, not terminal escapes in record text") {
  CHECK(first_rule("name: Anna\x1b[2J Berg\n") == "not-text");
  CHECK(first_rule("name: bell\x07\n") == "not-text");
  CHECK(first_rule("name: del\x7f\n") == "not-text");
  CHECK(first_rule("name: c1 \xc2\x9b"
                   "31m\n") == "not-text");
  CHECK(first_rule("name: \xef\xbf\xbf\n") == "not-text");
  // Tabs inside values, CRLF line ends, NEL and the BOM are text.
  CHECK(first_rule("name: \"a\tb\"\r\nrole: customer\r\n") == "");
  CHECK(first_rule("\xef\xbb\xbfname: line \xc2\x85 next\n") == "");
}

TEST_CASE("robustness: a link as brm.yaml is a finding and is never read") {
  ScratchRepo repo;
  fs::remove(repo.root / "brm.yaml");
  std::ofstream(repo.root / "elsewhere.yaml") << "brm: 1\norganisation: Read Through A Link\n";
  fs::create_symlink(repo.root / "elsewhere.yaml", repo.root / "brm.yaml");
  Snapshot snap = read_worktree(repo.root);
  for (const SourceFile& f : snap.files) CHECK(f.path != "brm.yaml");
  Diagnostics findings;
  Repository r = load_repository(std::move(snap), &findings);
  CHECK(r.settings.organisation.empty());
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].file == "brm.yaml");
  CHECK(findings[0].rule == "symlink");
}

TEST_CASE("robustness: a finding is one line without control characters, whatever it quotes") {
  // fuzz_record found this: a date with a lone CR went raw into the text finding.
  Diagnostic d{"customers/\x1b[2J.yaml",
               4,
               9,
               Severity::Error,
               "bad-date",
               "expected a date YYYY-MM-DD, got '2026\r11-12\n\x1b]0;x\x07 \xc2\x9b"
               "31m'"};
  CHECK(format_text(d) ==
        "customers/\\x1b[2J.yaml:4:9: error: expected a date YYYY-MM-DD, got "
        "'2026\\r11-12\\n\\x1b]0;x\\x07 \\u009b31m' [bad-date]");
  std::string github = format_github(d);
  CHECK(github.find_first_of("\r\n\x1b\x07") == std::string::npos);
  CHECK(github.find("%0D") != std::string::npos);
}

TEST_CASE("robustness: a repository schema's huge pattern is a finding, not a stack overflow") {
  // std::regex compiles recursively: these overflowed the stack of brm check.
  std::string letters(100'000, 'a');
  std::string nested = std::string(30'000, '(') + "a" + std::string(30'000, ')');
  for (const std::string& pattern : {letters, nested}) {
    Snapshot snap;
    snap.files.push_back({"brm.yaml", "brm: 1\n", {}});
    snap.files.push_back({"schema/customer.schema.yaml",
                          "type: object\nproperties:\n  notes:\n    pattern: '" + pattern + "'\n",
                          {}});
    snap.files.push_back({"customers/anna.yaml", "name: Anna\nrole: customer\nnotes: a\n", {}});
    Diagnostics findings;
    load_repository(std::move(snap), &findings);
    bool reported = false;
    for (const Diagnostic& d : findings)
      reported =
          reported || (d.file == "schema/customer.schema.yaml" && d.severity == Severity::Error);
    CHECK(reported);
  }
}

TEST_CASE("robustness: brm measure's text drops escape sequences from names") {
  Snapshot snap;
  snap.files.push_back({"brm.yaml", "brm: 1\norganisation: \"IT \\e[31mred\"\n", {}});
  snap.files.push_back(
      {"customers/anna.yaml", "name: \"Anna \\e]0;pwned\\a\\e[2J Berg\"\nrole: customer\n", {}});
  Diagnostics findings;
  Repository repo = load_repository(std::move(snap), &findings);
  REQUIRE(repo.of(KindId::Customer).size() == 1);
  std::string text =
      measures_to_text(compute_measures(repo, Date{2026, 11, 26}), repo.settings.organisation);
  CHECK(text.find("Anna") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\x07') == std::string::npos);
}

TEST_CASE("robustness: an empty lock left by a brm killed before it wrote its pid is taken over") {
  // The kill test found it: such a lock made every later write wait 10 s and fail.
  ScratchRepo repo;
  std::ofstream(repo.root / ".brm.lock").close();
  fs::last_write_time(repo.root / ".brm.lock",
                      fs::file_time_type::clock::now() - std::chrono::minutes(5));
  WriteOptions options;
  options.lock_timeout_ms = 100;
  CHECK_NOTHROW(Transaction(repo.root, options));
  CHECK_FALSE(fs::exists(repo.root / ".brm.lock"));
}

}  // namespace brm

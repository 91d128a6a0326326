#include "brm/ci_report.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "brm/git.hpp"
#include "brm/json.hpp"
#include "brm/rule_catalogue.hpp"
#include "scratch_folder.hpp"

using namespace brm;
namespace fs = std::filesystem;

namespace {

Value parsed(const std::string& text) {
  Value v;
  JsonError e;
  REQUIRE(parse_json(text, &v, &e));
  return v;
}

const Diagnostics findings = {
    {"customers/a b.yaml", 3, 5, Severity::Error, "unknown-field", "unknown field 'emial'"},
    {"customers/x.yaml", 0, 0, Severity::Warning, "stray-file", "not a .yaml file"},
    {"customers/x.yaml", 7, 1, Severity::Note, "no-such-rule", "a rule nobody listed"},
};

}  // namespace

TEST_CASE("ci report: SARIF lists the catalogue and places each finding") {
  Value log = parsed(format_sarif(findings));
  CHECK(log.find("version")->as_string() == "2.1.0");
  const Value& run = log.find("runs")->items().at(0);
  const Value& driver = *run.find("tool")->find("driver");
  CHECK(driver.find("name")->as_string() == "brm");
  CHECK(driver.find("version")->as_string() == BRM_VERSION);
  const auto& rules = driver.find("rules")->items();
  REQUIRE(rules.size() == rule_catalogue().size() + 1);  // + the unlisted one, as it is
  const auto& results = run.find("results")->items();
  REQUIRE(results.size() == 3);
  for (const Value& r : results) {
    auto index = static_cast<std::size_t>(r.find("ruleIndex")->as_int());
    CHECK(rules.at(index).find("id")->as_string() == r.find("ruleId")->as_string());
  }
  const Value& first = *results[0].find("locations")->items()[0].find("physicalLocation");
  CHECK(first.find("artifactLocation")->find("uri")->as_string() == "customers/a%20b.yaml");
  CHECK(first.find("region")->find("startLine")->as_int() == 3);
  CHECK(first.find("region")->find("startColumn")->as_int() == 5);
  const Value& whole = *results[1].find("locations")->items()[0].find("physicalLocation");
  CHECK(whole.find("region")->find("startLine")->as_int() == 1);
  CHECK(!whole.find("region")->find("startColumn"));
  CHECK(results[1].find("level")->as_string() == "warning");
  CHECK(results[2].find("level")->as_string() == "note");
}

TEST_CASE("ci report: Code Quality fingerprints ignore lines and numbers, not findings") {
  Diagnostics ds = {
      {"a.yaml", 4, 1, Severity::Error, "duplicate-key", "duplicate key 'x' (first at line 3)"},
      {"a.yaml", 9, 1, Severity::Error, "duplicate-key", "duplicate key 'x' (first at line 3)"},
      {"a.yaml", 5, 1, Severity::Warning, "future-date", "2062-01-01 is ahead"}};
  Value issues = parsed(format_codeclimate(ds));
  REQUIRE(issues.items().size() == 3);
  auto fingerprint = [&](std::size_t i) {
    return issues.items()[i].find("fingerprint")->as_string();
  };
  CHECK(fingerprint(0) != fingerprint(1));  // the same finding twice: two issues
  CHECK(issues.items()[2].find("severity")->as_string() == "minor");
  CHECK(issues.items()[0].find("check_name")->as_string() == "duplicate-key");
  CHECK(issues.items()[0].find("location")->find("lines")->find("begin")->as_int() == 4);
  ds[0].line = 5;
  ds[0].message = "duplicate key 'x' (first at line 4)";
  ds[1].line = 10;
  Value moved = parsed(format_codeclimate(ds));
  CHECK(moved.items()[0].find("fingerprint")->as_string() == fingerprint(0));
  CHECK(moved.items()[1].find("fingerprint")->as_string() == fingerprint(1));
  ds[2].rule = "date-order";
  CHECK(parsed(format_codeclimate(ds)).items()[2].find("fingerprint")->as_string() !=
        fingerprint(2));
}

TEST_CASE("ci report: paths from the git root, or from the CI service's folder") {
  brm::test::ScratchFolder dir("brm-ci-report");
  fs::create_directories(dir.root / "sub" / "data");
  ::unsetenv("GITHUB_WORKSPACE");
  ::unsetenv("CI_PROJECT_DIR");
  CHECK(report_path_prefix(dir.root / "sub" / "data") == "");  // no git: the brm root
  git_init(dir.root);
  CHECK(report_path_prefix(dir.root / "sub" / "data") == "sub/data/");
  CHECK(report_path_prefix(dir.root) == "");
  ::setenv("CI_PROJECT_DIR", (dir.root / "sub").c_str(), 1);
  CHECK(report_path_prefix(dir.root / "sub" / "data") == "data/");
  ::setenv("GITHUB_WORKSPACE", "/somewhere/else", 1);  // not holding the root: passed over
  CHECK(report_path_prefix(dir.root / "sub" / "data") == "data/");
  ::unsetenv("GITHUB_WORKSPACE");
  ::unsetenv("CI_PROJECT_DIR");
  Diagnostics ds = findings;
  prefix_paths(ds, "sub/data/");
  CHECK(ds[0].file == "sub/data/customers/a b.yaml");
}

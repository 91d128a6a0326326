#include "brm/rule_catalogue.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

using namespace brm;
namespace fs = std::filesystem;

namespace {

// The sources of lib/ and cmd/, each with runs of white space made one space so that a
// call split over lines reads as one.
std::vector<std::string> sources() {
  std::vector<std::string> out;
  for (const char* folder : {"lib", "cmd"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(BRM_SOURCE_DIR) / folder)) {
      if (e.path().extension() != ".cpp" || e.path().filename() == "rule_catalogue.cpp") continue;
      std::ifstream in(e.path());
      std::stringstream text;
      text << in.rdbuf();
      out.push_back(std::regex_replace(text.str(), std::regex("\\s+"), " "));
    }
  }
  return out;
}

void collect(const std::string& text, const std::regex& re, std::set<std::string>* ids) {
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
    ids->insert((*it)[1]);
}

// Every rule id a finding is made with: `Severity::X, "id"` in a Diagnostic, the rule
// argument of the reporters (`report(keyword, "id"`, `error(mark, "id"`), and the
// literals of a `rule = ...;` choice.
std::set<std::string> emitted_ids() {
  std::set<std::string> ids;
  const std::regex severity(R"re(Severity::[A-Za-z]+, "([a-z0-9-]+)")re");
  const std::regex reporter(
      R"re(\b(?:report|error|file_error)\((?:[^(),]|\([^()]*\))*, "([a-z0-9-]+)")re");
  const std::regex choice(R"re(\brule = ([^;]*);)re");
  const std::regex literal(R"re("([a-z0-9-]+)")re");
  for (const std::string& text : sources()) {
    collect(text, severity, &ids);
    collect(text, reporter, &ids);
    for (std::sregex_iterator it(text.begin(), text.end(), choice), end; it != end; ++it)
      collect((*it)[1].str(), literal, &ids);
  }
  return ids;
}

}  // namespace

TEST_CASE("rule catalogue: every rule id the sources emit is listed") {
  std::set<std::string> emitted = emitted_ids();
  REQUIRE(emitted.size() > 20);  // the patterns still find the findings
  for (const std::string& id : emitted) {
    CAPTURE(id);
    CHECK(find_rule(id) != nullptr);
  }
}

TEST_CASE("rule catalogue: every listed rule is emitted somewhere") {
  std::set<std::string> emitted = emitted_ids();
  for (const Rule& r : rule_catalogue()) {
    CAPTURE(r.id);
    CHECK(emitted.count(std::string(r.id)) == 1);
  }
}

TEST_CASE("rule catalogue: ids are unique, and each has its texts") {
  std::set<std::string_view> seen;
  for (const Rule& r : rule_catalogue()) {
    CAPTURE(r.id);
    CHECK(seen.insert(r.id).second);
    CHECK(!r.summary.empty());
    CHECK(r.summary.back() != '.');
    CHECK(!r.help.empty());
    CHECK(!rule_group_name(r.group).empty());
  }
  CHECK(find_rule("unknown-field")->severity == Severity::Error);
  CHECK(find_rule("future-date")->severity == Severity::Warning);
  CHECK(find_rule("no-such-rule") == nullptr);
}

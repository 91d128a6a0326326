// The reference pages that must not drift from the code: brm(5) against the schemas the
// binary carries (every field of every kind and of brm.yaml, and nothing else), and
// brm-rules(7) against the rule catalogue, which its own test holds to the sources.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "brm/kinds.hpp"
#include "brm/record_edit.hpp"
#include "brm/rule_catalogue.hpp"

using namespace brm;

namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Roff escapes back to text: "\-" is '-', "\e" a backslash; quotes around a word go.
std::string unroff(std::string s) {
  // Erased rather than replaced: GCC 12 sees a false -Wrestrict in a two-to-one replace().
  for (std::size_t at = 0; (at = s.find("\\-", at)) != std::string::npos; ++at) s.erase(at, 1);
  for (std::size_t at = 0; (at = s.find("\\e", at)) != std::string::npos; ++at) s.erase(at + 1, 1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// The terms of a man page (the first word after ".B " or ".BR " on the line after ".TP"),
// by the ".SS" (or ".SH") heading they stand under.
std::map<std::string, std::set<std::string>> terms(const std::string& page,
                                                   std::string_view level) {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream in(page);
  std::string line, section, previous;
  while (std::getline(in, line)) {
    if (line.rfind(std::string(level) + " ", 0) == 0) {
      section = unroff(line.substr(level.size() + 1));
      out[section];
    } else if (previous == ".TP" && (line.rfind(".B ", 0) == 0 || line.rfind(".BR ", 0) == 0)) {
      std::string rest = line.substr(line.find(' ') + 1);
      out[section].insert(unroff(rest.substr(0, rest.find(' '))));
    }
    previous = line;
  }
  return out;
}

// Every field under `f` by its path: "budget.amount", "services[].levels[].target".
void field_paths(const Field& f, const std::string& prefix, std::set<std::string>* out) {
  for (const Field& p : f.properties) {
    std::string path = prefix + p.name;
    out->insert(path);
    if (p.free_form) continue;
    if (p.type == FieldType::Object) field_paths(p, path + ".", out);
    if (p.type == FieldType::Array && p.items && p.items->type == FieldType::Object)
      field_paths(*p.items, path + "[].", out);
  }
}

void check_same(const std::string& what, const std::set<std::string>& want,
                const std::set<std::string>& got) {
  for (const std::string& w : want)
    if (!got.count(w)) FAIL_CHECK(what << ": '" << w << "' is missing from the page");
  for (const std::string& g : got)
    if (!want.count(g)) FAIL_CHECK(what << ": the page has '" << g << "', which does not exist");
}

// The rule ids the sources emit: the string after a severity, the second argument of the
// schema validator's report() and the YAML reader's error(), and the ids a ternary picks.
}  // namespace

TEST_CASE("man: brm(5) lists every field of every kind and of brm.yaml, and nothing else") {
  auto sections = terms(read_text(std::filesystem::path(BRM_SOURCE_DIR) / "man/brm.5"), ".SS");
  std::set<std::string> headings = {"brm.yaml"};
  std::set<std::string> want;
  field_paths(settings_field(), "", &want);
  check_same("brm.yaml", want, sections["brm.yaml"]);
  CHECK(want.count("survey.scale"));  // nested fields are there, by their dotted path
  for (const Kind& k : kinds()) {
    std::string heading = std::string(k.folder) + "/<id>.yaml";
    headings.insert(heading);
    REQUIRE_MESSAGE(sections.count(heading), "brm.5 has no section '" << heading << "'");
    want.clear();
    field_paths(record_field(k.id), "", &want);
    check_same(heading, want, sections[heading]);
  }
  // Not a structured binding: clang 14 (the sanitizer build) cannot capture one in the
  // lambda CHECK_MESSAGE makes.
  for (const auto& section : sections)
    if (!section.second.empty())
      CHECK_MESSAGE(headings.count(section.first),
                    "brm.5 describes '" << section.first << "', no kind");
}

TEST_CASE("man: brm-rules(7) lists every rule id the sources emit, each with an example") {
  std::string page = read_text(std::filesystem::path(BRM_SOURCE_DIR) / "man/brm-rules.7");
  std::set<std::string> documented;
  for (const auto& [section, ids] : terms(page, ".SH")) documented.insert(ids.begin(), ids.end());
  // The catalogue is checked against the ids the sources emit (rule_catalogue_test.cpp);
  // the page is checked against the catalogue.
  std::set<std::string> emitted;
  for (const Rule& r : rule_catalogue()) emitted.insert(std::string(r.id));
  CHECK(emitted.count("unknown-field"));
  check_same("brm-rules.7", emitted, documented);
  for (const std::string& id : documented)
    CHECK_MESSAGE(unroff(page).find(std::string("[").append(id).append("]")) != std::string::npos,
                  "brm-rules.7 has no example finding of '" << id << "'");
}

// SARIF and Code Quality output of `brm check`, built as document trees and written by
// the JSON writer, so that escaping is the writer's one job.
#include "brm/ci_report.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <optional>

#include "brm/git.hpp"
#include "brm/json.hpp"
#include "brm/rule_catalogue.hpp"
#include "brm/value.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

// Where to read about brm's rules; the SARIF driver's informationUri.
constexpr std::string_view information_uri = BRM_HOMEPAGE;

// `root` relative to `base` as "" or "a/b/", or nullopt when it is not inside.
std::optional<std::string> inside(const fs::path& root, const fs::path& base) {
  std::error_code ec;
  fs::path rel = fs::weakly_canonical(root, ec).lexically_relative(fs::weakly_canonical(base, ec));
  if (ec || rel.empty() || *rel.begin() == "..") return std::nullopt;
  if (rel == ".") return std::string();
  return rel.generic_string() + "/";
}

Value text_object(std::string_view text) {
  Value v = Value::mapping();
  v.set("text", Value::string(std::string(text)));
  return v;
}

std::string_view sarif_level(Severity s) {
  return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

// RFC 3986: a relative reference keeps unreserved characters and '/'; the rest is escaped.
std::string uri_of_path(std::string_view path) {
  std::string out;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    out += keep ? std::string(1, c) : fmt::format("%{:02X}", u);
  }
  return out;
}

Value sarif_rule(std::string_view id, const Rule* rule) {
  Value r = Value::mapping();
  r.set("id", Value::string(std::string(id)));
  r.set("shortDescription", text_object(rule ? rule->summary : id));
  if (rule) {
    r.set("help", text_object(rule->help));
    Value config = Value::mapping();
    config.set("level", Value::string(std::string(sarif_level(rule->severity))));
    r.set("defaultConfiguration", std::move(config));
  }
  return r;
}

// The catalogue, plus any id a finding has that the catalogue lacks (there should be
// none; tests/unit/rule_catalogue_test.cpp sees to it), with their indexes.
Value sarif_rules(const Diagnostics& ds, std::map<std::string, std::int64_t>* index) {
  Value rules = Value::sequence();
  for (const Rule& r : rule_catalogue()) {
    (*index)[std::string(r.id)] = static_cast<std::int64_t>(rules.size());
    rules.push_back(sarif_rule(r.id, &r));
  }
  for (const Diagnostic& d : ds) {
    if (index->count(d.rule)) continue;
    (*index)[d.rule] = static_cast<std::int64_t>(rules.size());
    rules.push_back(sarif_rule(d.rule, nullptr));
  }
  return rules;
}

Value sarif_location(const Diagnostic& d) {
  Value artifact = Value::mapping();
  artifact.set("uri", Value::string(uri_of_path(d.file)));
  Value physical = Value::mapping();
  physical.set("artifactLocation", std::move(artifact));
  // A finding about a whole file is shown on its first line: code scanning needs a line.
  Value region = Value::mapping();
  region.set("startLine", Value::integer(d.line == 0 ? 1 : d.line));
  if (d.column != 0) region.set("startColumn", Value::integer(d.column));
  physical.set("region", std::move(region));
  Value location = Value::mapping();
  location.set("physicalLocation", std::move(physical));
  Value locations = Value::sequence();
  locations.push_back(std::move(location));
  return locations;
}

Value sarif_result(const Diagnostic& d, std::int64_t rule_index) {
  Value r = Value::mapping();
  r.set("ruleId", Value::string(d.rule));
  r.set("ruleIndex", Value::integer(rule_index));
  r.set("level", Value::string(std::string(sarif_level(d.severity))));
  r.set("message", text_object(d.message));
  r.set("locations", sarif_location(d));
  return r;
}

std::string_view codeclimate_severity(Severity s) {
  return s == Severity::Error ? "major" : s == Severity::Warning ? "minor" : "info";
}

// The same finding keeps its fingerprint when lines above it move: the line is left out,
// and so are the numbers in the message ("first at line 3"); identical findings in one
// file are told apart by their order.
std::string fingerprint_key(const Diagnostic& d) {
  std::string message;
  for (char c : d.message) {
    bool digit = c >= '0' && c <= '9';
    if (!digit) message += c;
    if (digit && (message.empty() || message.back() != '#')) message += '#';
  }
  return fmt::format("{}\n{}\n{}", d.file, d.rule, message);
}

Value codeclimate_issue(const Diagnostic& d, const std::string& key, int occurrence) {
  Value issue = Value::mapping();
  issue.set("type", Value::string("issue"));
  issue.set("description", Value::string(fmt::format("{} [{}]", d.message, d.rule)));
  issue.set("check_name", Value::string(d.rule));
  issue.set("fingerprint", Value::string(blob_id_of(fmt::format("{}\n{}", key, occurrence))));
  issue.set("severity", Value::string(std::string(codeclimate_severity(d.severity))));
  Value categories = Value::sequence();
  categories.push_back(Value::string("Bug Risk"));
  issue.set("categories", std::move(categories));
  Value lines = Value::mapping();
  lines.set("begin", Value::integer(d.line == 0 ? 1 : d.line));
  Value location = Value::mapping();
  location.set("path", Value::string(d.file));
  location.set("lines", std::move(lines));
  issue.set("location", std::move(location));
  return issue;
}

}  // namespace

std::string report_path_prefix(const fs::path& brm_root) {
  for (const char* name : {"GITHUB_WORKSPACE", "CI_PROJECT_DIR"}) {
    const char* base = std::getenv(name);
    if (!base || !*base) continue;
    if (auto prefix = inside(brm_root, base)) return *prefix;
  }
  return git_work_tree_prefix(brm_root).value_or("");
}

void prefix_paths(Diagnostics& ds, std::string_view prefix) {
  if (prefix.empty()) return;
  for (Diagnostic& d : ds) d.file.insert(0, prefix);
}

std::string format_sarif(const Diagnostics& ds) {
  std::map<std::string, std::int64_t> index;
  Value driver = Value::mapping();
  driver.set("name", Value::string("brm"));
  driver.set("version", Value::string(BRM_VERSION));
  driver.set("informationUri", Value::string(std::string(information_uri)));
  driver.set("rules", sarif_rules(ds, &index));
  Value tool = Value::mapping();
  tool.set("driver", std::move(driver));
  Value results = Value::sequence();
  for (const Diagnostic& d : ds) results.push_back(sarif_result(d, index.at(d.rule)));
  Value run = Value::mapping();
  run.set("tool", std::move(tool));
  run.set("results", std::move(results));
  Value runs = Value::sequence();
  runs.push_back(std::move(run));
  Value log = Value::mapping();
  log.set("$schema", Value::string("https://json.schemastore.org/sarif-2.1.0.json"));
  log.set("version", Value::string("2.1.0"));
  log.set("runs", std::move(runs));
  return to_json(log, 2) + "\n";
}

std::string format_codeclimate(const Diagnostics& ds) {
  std::map<std::string, int> seen;
  Value issues = Value::sequence();
  for (const Diagnostic& d : ds) {
    std::string key = fingerprint_key(d);
    int occurrence = seen[key]++;
    issues.push_back(codeclimate_issue(d, key, occurrence));
  }
  return to_json(issues, 2) + "\n";
}

}  // namespace brm

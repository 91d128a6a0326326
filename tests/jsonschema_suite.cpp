// Runs the official JSON-Schema-Test-Suite (draft 2020-12) against brm's validator.
//
//   jsonschema_suite <suite-dir> [--verbose]
//
// Prints one line per part:
//   jsonschema-suite: P passed, F failed, S skipped           (tests/draft2020-12/*.json and
//                                                             the kRequiredOptional files)
//   jsonschema-suite-format: P passed, F failed, S skipped    (optional/format/*.json, asserted)
//   jsonschema-suite-optional: P passed, F failed, S skipped  (optional/*.json, informational)
// and exits non-zero when a required case fails, or a format case of a format brm
// promises (kPromisedFormats). Each case is checked with is_valid() and validate(),
// which must agree, and an invalid instance must yield at least one finding. Exit code
// 77 (skipped, for ctest) when the suite folder is absent.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "brm/error.hpp"
#include "brm/json.hpp"
#include "brm/schema.hpp"

namespace fs = std::filesystem;

namespace {

// Cases skipped, each named with its reason: a skip is a decision written here, never a
// silent catch. The validator supports every keyword the suite covers, so the list is
// empty; a schema that fails to compile counts as failed.
struct Skip {
  const char* file;   // file name under tests/draft2020-12, e.g. "optional/ecmascript-regex.json"
  const char* group;  // the group's description, exactly
  const char* why;
};
const std::vector<Skip> kSkips = {};

// Optional files that join the required run: brm runs patterns as ECMA-262 (through
// PCRE2), so the suite's regex tests must pass like the rest. Each is asserted as the
// folder it lives in says (format/ files with format assertion).
constexpr const char* kRequiredOptional[] = {
    "optional/ecmascript-regex.json", "optional/non-bmp-regex.json",
    "optional/format/ecmascript-regex.json", "optional/format/regex.json"};

bool is_required_optional(const std::string& name) {
  return std::any_of(std::begin(kRequiredOptional), std::end(kRequiredOptional),
                     [&](const char* r) { return name == r; });
}

// Formats whose optional tests must all pass: the ones brm's documentation promises.
constexpr const char* kPromisedFormats[] = {"date", "date-time", "time", "email",    "uri",
                                            "uuid", "ipv4",      "ipv6", "hostname", "duration"};

struct Tally {
  int passed = 0, failed = 0, skipped = 0;
  int blocking_failures = 0;  // failures that make the run fail
};

bool read_json(const fs::path& file, brm::Value* out) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  brm::JsonError error;
  if (!brm::parse_json(buffer.str(), out, &error)) {
    std::cerr << file.string() << ":" << error.mark.line << ":" << error.mark.column << ": "
              << error.message << "\n";
    return false;
  }
  return true;
}

struct Remote {
  std::string uri;
  brm::Value document;
};

class SuiteRunner {
 public:
  SuiteRunner(fs::path root, bool verbose) : root_(std::move(root)), verbose_(verbose) {
    fs::path remotes = root_ / "remotes";
    for (const auto& entry : fs::recursive_directory_iterator(remotes)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
      brm::Value doc;
      if (!read_json(entry.path(), &doc)) continue;
      std::string rel = fs::relative(entry.path(), remotes).generic_string();
      remotes_.push_back(Remote{"http://localhost:1234/" + rel, std::move(doc)});
    }
  }

  // `blocking` says whether a failure in this file fails the run.
  void run_file(const fs::path& file, bool format_assertion, bool blocking, Tally* tally) {
    brm::Value groups;
    std::string name = fs::relative(file, root_ / "tests" / "draft2020-12").generic_string();
    if (!read_json(file, &groups) || !groups.is_sequence()) {
      std::cerr << name << ": cannot read the test file\n";
      ++tally->failed;
      if (blocking) ++tally->blocking_failures;
      return;
    }
    for (const brm::Value& group : groups.items()) {
      run_group(name, group, format_assertion, blocking, tally);
    }
  }

 private:
  void run_group(const std::string& file, const brm::Value& group, bool format_assertion,
                 bool blocking, Tally* tally) {
    const brm::Value* description = group.find("description");
    std::string group_name = description != nullptr ? description->as_string() : "?";
    const brm::Value* schema = group.find("schema");
    const brm::Value* tests = group.find("tests");
    if (schema == nullptr || tests == nullptr || !tests->is_sequence()) return;
    const std::size_t count = tests->items().size();

    for (const Skip& s : kSkips) {
      if (file == s.file && group_name == s.group) {
        tally->skipped += static_cast<int>(count);
        if (verbose_)
          std::cerr << "skipped: " << file << " / " << group_name << ": " << s.why << "\n";
        return;
      }
    }

    brm::SchemaRegistry registry;
    for (const Remote& r : remotes_) registry.add(r.uri, r.document);
    std::unique_ptr<brm::CompiledSchema> compiled;
    try {
      brm::SchemaOptions options;
      options.format_assertion = format_assertion;
      compiled = std::make_unique<brm::CompiledSchema>(registry.compile(*schema, "", options));
    } catch (const brm::Error& e) {
      tally->failed += static_cast<int>(count);
      if (blocking) tally->blocking_failures += static_cast<int>(count);
      if (blocking || verbose_) {
        std::cerr << "FAIL " << file << " / " << group_name
                  << ": the schema does not compile: " << e.what() << "\n";
      }
      return;
    }
    for (const brm::Value& test : tests->items()) {
      const brm::Value* data = test.find("data");
      const brm::Value* valid = test.find("valid");
      const brm::Value* what = test.find("description");
      if (data == nullptr || valid == nullptr) continue;
      bool expected = valid->as_bool();
      bool fast = compiled->is_valid(*data);
      std::vector<brm::SchemaFinding> findings;
      bool full = compiled->validate(*data, &findings);
      std::string problem;
      if (fast != expected) {
        problem = expected ? "rejected a valid instance" : "accepted an invalid instance";
      } else if (full != fast) {
        problem = "validate() and is_valid() disagree";
      } else if (!full && findings.empty()) {
        problem = "invalid, but validate() gave no finding";
      }
      if (problem.empty()) {
        ++tally->passed;
        continue;
      }
      ++tally->failed;
      if (blocking) ++tally->blocking_failures;
      if (blocking || verbose_) {
        std::cerr << "FAIL " << file << " / " << group_name << " / "
                  << (what != nullptr ? what->as_string() : "?") << ": " << problem;
        if (!findings.empty())
          std::cerr << " (" << findings[0].instance_path << ": " << findings[0].message << ")";
        std::cerr << "\n";
      }
    }
  }

  fs::path root_;
  bool verbose_;
  std::vector<Remote> remotes_;
};

std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void print(const char* label, const Tally& t) {
  std::printf("%s: %d passed, %d failed, %d skipped\n", label, t.passed, t.failed, t.skipped);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: jsonschema_suite <JSON-Schema-Test-Suite dir> [--verbose]\n");
    return 2;
  }
  fs::path root = argv[1];
  bool verbose = argc > 2 && std::string(argv[2]) == "--verbose";
  fs::path tests = root / "tests" / "draft2020-12";
  if (!fs::is_directory(tests) || !fs::is_directory(root / "remotes")) {
    std::printf(
        "jsonschema-suite: skipped: %s not found (the official JSON-Schema-Test-Suite belongs "
        "there)\n",
        tests.string().c_str());
    return 77;
  }
  SuiteRunner runner(root, verbose);

  auto relative = [&](const fs::path& f) { return fs::relative(f, tests).generic_string(); };
  Tally required;
  for (const fs::path& f : json_files(tests)) runner.run_file(f, false, true, &required);
  for (const char* name : kRequiredOptional) {
    fs::path f = tests / name;
    if (!fs::is_regular_file(f)) continue;  // an older copy of the suite
    runner.run_file(f, relative(f).starts_with("optional/format/"), true, &required);
  }
  print("jsonschema-suite", required);

  Tally format;
  for (const fs::path& f : json_files(tests / "optional" / "format")) {
    if (is_required_optional(relative(f))) continue;
    std::string name = f.stem().string();
    bool promised = std::any_of(std::begin(kPromisedFormats), std::end(kPromisedFormats),
                                [&](const char* p) { return name == p; });
    runner.run_file(f, true, promised, &format);
  }
  print("jsonschema-suite-format", format);

  Tally optional;
  for (const fs::path& f : json_files(tests / "optional")) {
    if (!is_required_optional(relative(f))) runner.run_file(f, false, false, &optional);
  }
  print("jsonschema-suite-optional", optional);

  return required.blocking_failures + format.blocking_failures > 0 ? 1 : 0;
}

// Builds an in-memory repository from file texts, through the same loader as brm check.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "brm/repository.hpp"

namespace brm::test {

struct Loaded {
  Repository repo;
  Diagnostics findings;
  bool has(std::string_view rule, std::string_view file = {}) const {
    return std::any_of(findings.begin(), findings.end(), [&](const Diagnostic& d) {
      return d.rule == rule && (file.empty() || d.file == file);
    });
  }
  const Diagnostic* find(std::string_view rule) const {
    for (const auto& d : findings)
      if (d.rule == rule) return &d;
    return nullptr;
  }
};

inline Loaded load(std::vector<std::pair<std::string, std::string>> files,
                   std::string settings = "brm: 1\norganisation: Test\n") {
  Snapshot snap;
  snap.files.push_back({"brm.yaml", std::move(settings), ""});
  for (auto& [path, text] : files) snap.files.push_back({path, text, ""});
  Loaded l;
  LoadOptions o;
  o.threads = 1;
  // brm check loads records trimmed to what the rules read: every test's repository
  // must give the same findings that way.
  LoadOptions trimmed = o;
  trimmed.keep = &rule_read_fields();
  Diagnostics trimmed_findings;
  load_repository(snap, &trimmed_findings, trimmed);
  l.repo = load_repository(std::move(snap), &l.findings, o);
  std::vector<std::string> whole_text, trimmed_text;
  for (const Diagnostic& d : l.findings) whole_text.push_back(format_text(d));
  for (const Diagnostic& d : trimmed_findings) trimmed_text.push_back(format_text(d));
  CHECK(whole_text == trimmed_text);
  return l;
}

}  // namespace brm::test

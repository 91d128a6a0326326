// Every rule id that brm's findings carry, with a one-line summary and help text: the
// one list that `check --format sarif` (its rules), the man pages and users filter on.
// A rule id is stable once released. tests/unit/rule_catalogue_test.cpp fails when a
// source emits an id that is not listed here, or lists one that nothing emits.
#pragma once

#include <span>
#include <string_view>

#include "brm/diagnostic.hpp"

namespace brm {

enum class RuleGroup : unsigned char { Yaml, Files, Schema, References, Dates, Surveys, Settings };

struct Rule {
  std::string_view id;       // "unknown-field"
  RuleGroup group;           // what the rule looks at, for grouping in documentation
  Severity severity;         // the severity of its findings
  std::string_view summary;  // one line, lowercase, no full stop: what the finding means
  std::string_view help;     // how to fix it, one or two sentences
};

// In the order of the groups, then by id.
std::span<const Rule> rule_catalogue();

// nullptr when `id` is not a rule of brm's.
const Rule* find_rule(std::string_view id);

std::string_view rule_group_name(RuleGroup g);  // "yaml", "files", ...

}  // namespace brm

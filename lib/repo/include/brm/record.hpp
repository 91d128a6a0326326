// A record as the repository model holds it, and the settings of brm.yaml: the values
// every reader of a repository shares, apart from how they were loaded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "brm/date.hpp"
#include "brm/kinds.hpp"
#include "brm/value.hpp"

namespace brm {

// brm.yaml `targets`: what the organisation aims for (FORMAT.md); absent ones are not set.
struct Targets {
  std::optional<double> contacts;    // share of current customers and purchasers, 0..1
  std::optional<double> agreements;  // share of current customers with a written agreement
  std::optional<double> csat;        // satisfied / responses
  std::optional<std::int64_t> complaints_open;  // at most this many open on the day
  bool any() const { return contacts || agreements || csat || complaints_open; }
};

struct Settings {
  std::string organisation;
  std::string currency = "EUR";
  int survey_scale = 5;
  int survey_satisfied = 4;
  int review_warning_days = 60;
  int meeting_interval_days = 90;
  std::optional<bool> commit;  // absent: commit when inside a git repository
  Targets targets;
};

struct Record {
  KindId kind = KindId::Customer;
  bool valid = false;  // parsed and passed its schemas (beside kind: one padding, not two)
  std::string id;
  Value doc;  // the top-level mapping

  // "customers/anna-berg.yaml": made when asked for, not kept (a hundred thousand
  // records held them as 10 MB).
  std::string path() const { return record_path(kind, id); }

  const Value* field(std::string_view key) const { return doc.find(key); }
  // The field's text; empty when absent or not a string.
  std::string_view text(std::string_view key) const;
  std::optional<Date> date(std::string_view key) const;
  std::string_view label() const;  // the name, title or summary; the id when none
};

// The scale a survey was answered on: its own `scale`, or brm.yaml's when it gives none.
// A whole number as JSON Schema's integer has it (10.0 is 10). The rules, the measure and
// the report all read it so.
std::int64_t survey_scale(const Record& survey, const Settings& s);

}  // namespace brm

// The process measurements of MEASURES.md, computed from a loaded repository, and the
// ways `brm measure` shows them (a short text report, JSON, Markdown, CSV).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "brm/date.hpp"
#include "brm/repository.hpp"
#include "brm/value.hpp"

namespace brm {

// One calendar year before `as_of`, plus one day (a missing Feb 29 becomes Feb 28 first):
// 2026-06-30 -> 2025-07-01, 2028-02-29 -> 2027-03-01.
Date default_since(Date as_of);

// A customer or purchaser behind a gap in the figures, for the text report.
struct GapEntry {
  std::string id;
  std::string name;
  std::string account;  // for a purchaser, the customer it orders under
};

// The figures of one current customer (role customer) and its purchasers.
struct AccountFigures {
  std::string id;
  std::string name;
  std::int64_t purchasers = 0;
  std::int64_t purchasers_with_contact = 0;
  bool has_contact = false;
  bool written_agreement = false;
  std::int64_t responses = 0;
  std::optional<double> mean;
  std::int64_t complaints_received = 0;
  std::int64_t complaints_open = 0;
};

struct Measures {
  Date as_of;
  Date since;

  struct RoleContacts {
    std::int64_t total = 0;
    std::int64_t with_contact = 0;
  };
  RoleContacts customers;
  RoleContacts purchasers;

  std::int64_t agreements_total = 0;
  std::int64_t with_written_agreement = 0;

  std::int64_t responses = 0;
  std::optional<double> mean;
  std::int64_t satisfied = 0;
  std::optional<double> csat;

  std::int64_t complaints_received = 0;
  std::int64_t complaints_open = 0;
  std::int64_t complaints_closed = 0;
  std::optional<double> median_days_to_close;

  std::vector<AccountFigures> by_account;  // every current customer, sorted by id

  // The customers behind the gaps, sorted by id: what the text report lists.
  std::vector<GapEntry> customers_without_contact;
  std::vector<GapEntry> purchasers_without_contact;
  std::vector<GapEntry> customers_without_agreement;

  // brm.yaml's targets, carried with the figures so that every view can compare.
  Targets targets;

  // Records that failed validation and so were not counted.
  std::size_t left_out = 0;
};

// A score x of a survey on its own scale s, on brm.yaml's scale S: 1 + (x-1)(S-1)/(s-1),
// so that 8 of 10 counts as 4.11 of 5. A scale below 2 has no range to map: x as it is.
double score_on_scale(std::int64_t score, std::int64_t survey_scale, std::int64_t scale);

// The lowest score of the survey that counts as satisfied: brm.yaml's `survey.satisfied`,
// moved to a survey's own scale as ceil(satisfied * scale / brm.yaml's scale), so that
// "satisfied" never asks for less than brm.yaml does (4 of 5 is 8 of 10; 3.2 of 4 is 4).
// The measure and the report both count with it.
std::int64_t satisfied_threshold(const Record& survey, const Settings& s);

// An agreement is a written agreement in force on the day: signed and started by then, not
// ended, and active, or expired or terminated with an `end` (in force until that day).
bool is_written_at(const Record& agreement, Date as_of);

// One measure against its target (MEASURES.md, "Targets"). `actual` is null when there
// is nothing to measure (no current customers, no responses); `met` is then null too.
enum class TargetKey : std::uint8_t { Contacts, Agreements, Csat, ComplaintsOpen };
struct TargetResult {
  TargetKey key = TargetKey::Contacts;
  double target = 0;
  std::optional<double> actual;
  std::optional<bool> met;
  // How far from the target: shares in percentage points, complaints in complaints;
  // positive when missed.
  double shortfall() const;
};
std::string_view target_key(TargetKey k);  // "contacts", "agreements", "csat", "complaints_open"
// "Customers and purchasers with a contact in IT": what a target is about, for people.
std::string_view target_title(TargetKey k);
// The targets brm.yaml sets, in the order above.
std::vector<TargetResult> compare_with_targets(const Measures& m);
// "target 90%: 83.3%, missed by 6.7 points" or "target at most 5 open: 3, met", and its
// parts: "90%" or "at most 5 open"; "83.3%" or "3" ("-" without a figure); "met",
// "missed by 6.7 points" or "no figure to compare".
std::string target_text(const TargetResult& t);
std::string target_figure(const TargetResult& t);
std::string actual_figure(const TargetResult& t);
std::string target_status(const TargetResult& t);

// How much of Measures to fill: everything, or the figures alone, without by_account and
// the gap lists (a trend keeps a row per period and shows neither).
enum class MeasureDetail { Full, Figures };

// The figures of MEASURES.md for the day `as_of` and the period `since`..`as_of` (both
// included; `since` defaults to default_since(as_of)). Only valid records count.
Measures compute_measures(const Repository& repo, Date as_of, std::optional<Date> since = {},
                          MeasureDetail detail = MeasureDetail::Full);

// The fields compute_measures reads, per kind: what `brm measure` loads of the records.
// Kept beside compute_measures; a field read there but missing here reads as absent, on
// every run, so the golden tests notice at once.
const FieldSelection& measured_fields();

// The median of `values` (the mean of the two middle ones for an even count); nullopt
// when empty. Exposed for the tests.
std::optional<double> median(std::vector<std::int64_t> values);

// The JSON object of MEASURES.md, keys in its order; `by_account` is left out for trends.
Value measures_to_value(const Measures& m, bool with_accounts = true);
std::string measures_to_json(const Measures& m);  // pretty, with a final newline

// A short report for people: each measure as `done of total (percent)` with what it
// means, and the customers behind the gaps listed under it.
std::string measures_to_text(const Measures& m, const std::string& organisation);
std::string measures_to_markdown(const Measures& m, const std::string& organisation);
// The by_account table, a header row first.
std::string measures_to_csv(const Measures& m);

// Numbers as the outputs show them: "83.3%" (or "-" for no total), "3.85" (or "-").
std::string format_percent(std::int64_t part, std::int64_t whole);
std::string format_mean(const std::optional<double>& mean);

}  // namespace brm

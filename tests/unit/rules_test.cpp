#include <doctest/doctest.h>

#include "repo_fixture.hpp"

using namespace brm;
using brm::test::load;

namespace {
const std::pair<std::string, std::string> retail = {
    "customers/retail.yaml", "name: Anna Berg\nrole: customer\nit_contact: Erik Lund\n"};
const std::pair<std::string, std::string> stores = {
    "customers/stores.yaml", "name: Per Holm\nrole: purchaser\ncustomer: retail\n"};
}  // namespace

TEST_CASE("rules: a valid pair of customer and purchaser has no findings") {
  auto l = load({retail, stores});
  for (const auto& d : l.findings) INFO(format_text(d));
  CHECK(l.findings.empty());
  CHECK(l.repo.account_of("stores") == "retail");
  CHECK(l.repo.account_of("retail") == "retail");
}

TEST_CASE("rules: a reference to a missing customer names it and suggests a near id") {
  auto l = load({retail, {"customers/p.yaml", "name: P\nrole: purchaser\ncustomer: retial\n"}});
  const Diagnostic* d = l.find("unknown-reference");
  REQUIRE(d);
  CHECK(d->file == "customers/p.yaml");
  CHECK(d->line == 3);
  CHECK(d->column == 11);
  CHECK(d->message == "no customer 'retial' in customers/ (did you mean 'retail'?)");
}

TEST_CASE("rules: a purchaser cannot order under another purchaser") {
  auto l = load(
      {retail, stores, {"customers/sub.yaml", "name: Sub\nrole: purchaser\ncustomer: stores\n"}});
  CHECK(l.has("purchaser-chain", "customers/sub.yaml"));
}

TEST_CASE("rules: an agreement belongs to a customer, not a purchaser") {
  auto l = load({retail,
                 stores,
                 {"agreements/a.yaml",
                  "title: A\ncustomer: stores\nstatus: draft\nstart: 2026-01-01\nservices:\n"
                  "  - service: email\n"}});
  CHECK(l.has("wrong-role", "agreements/a.yaml"));
}

TEST_CASE("rules: end before start and closed before received are date-order errors") {
  auto l = load({retail,
                 {"agreements/a.yaml",
                  "title: A\ncustomer: retail\nstatus: draft\nstart: 2026-01-01\nend: 2025-12-31\n"
                  "services:\n  - service: email\n"},
                 {"complaints/c.yaml",
                  "customer: retail\nreceived: 2026-03-04\nseverity: low\nsummary: S\n"
                  "status: resolved\nclosed: 2026-03-01\nresolution: done\n"}});
  CHECK(l.has("date-order", "agreements/a.yaml"));
  CHECK(l.has("date-order", "complaints/c.yaml"));
}

TEST_CASE("rules: survey scores must lie within the survey's own scale") {
  auto l = load({retail,
                 {"surveys/s.yaml",
                  "title: S\ndate: 2026-06-01\nscale: 10\nquestions:\n  - id: overall\n"
                  "    text: Overall\nresponses:\n  - customer: retail\n    score: 9\n"
                  "    answers:\n      overall: 11\n      overal: 3\n"}});
  CHECK(l.has("score-out-of-scale", "surveys/s.yaml"));
  const Diagnostic* q = l.find("unknown-question");
  REQUIRE(q);
  CHECK(q->message.find("did you mean 'overall'") != std::string::npos);
  // 9 is fine on a scale of 10 even though brm.yaml's scale is 5.
  CHECK(l.findings.size() == 2);
}

TEST_CASE("rules: a scale or a score written as 10.0 is the whole number 10") {
  // JSON Schema's integer takes 10.0, and measure and report read it as 10: the range
  // check must agree with them, not fall back to brm.yaml's scale of 5.
  auto l = load({retail,
                 stores,
                 {"surveys/s.yaml",
                  "title: S\ndate: 2026-06-01\nscale: 10.0\nresponses:\n"
                  "  - customer: retail\n    score: 8\n"
                  "  - customer: stores\n    score: 11.0\n"}});
  REQUIRE(l.findings.size() == 1);
  CHECK(l.has("score-out-of-scale", "surveys/s.yaml"));
  CHECK(l.findings[0].message == "score 11 is outside the scale 1..10");
  CHECK(l.findings[0].line == 8);
}

TEST_CASE("rules: services are only checked once a catalogue exists") {
  std::pair<std::string, std::string> agreement = {
      "agreements/a.yaml",
      "title: A\ncustomer: retail\nstatus: draft\nstart: 2026-01-01\nservices:\n"
      "  - service: email\n"};
  CHECK_FALSE(load({retail, agreement}).has("unknown-reference"));
  CHECK(load({retail, agreement, {"services/crm.yaml", "name: CRM\nstatus: live\n"}})
            .has("unknown-reference", "agreements/a.yaml"));
}

TEST_CASE("rules: an active agreement past its end is a warning") {
  setenv("BRM_TODAY", "2026-11-26", 1);
  auto l = load({retail,
                 {"agreements/a.yaml",
                  "title: A\ncustomer: retail\nstatus: active\nsigned: 2025-01-01\n"
                  "start: 2025-01-01\nend: 2025-12-31\nservices:\n  - service: email\n"}});
  const Diagnostic* d = l.find("agreement-expired");
  REQUIRE(d);
  CHECK(d->severity == Severity::Warning);
  unsetenv("BRM_TODAY");
}

TEST_CASE("rules: a date more than a year ahead is a warning (typo guard)") {
  setenv("BRM_TODAY", "2026-11-26", 1);
  auto l =
      load({retail,
            {"complaints/c.yaml",
             "customer: retail\nreceived: 2072-03-04\nseverity: low\nsummary: S\nstatus: open\n"}});
  const Diagnostic* d = l.find("future-date");
  REQUIRE(d);
  CHECK(d->severity == Severity::Warning);
  unsetenv("BRM_TODAY");
}

TEST_CASE("rules: a file name that is not an id is an error and the record is left out") {
  auto l = load({retail, {"customers/Bad_Name.yaml", "name: X\nrole: customer\n"}});
  CHECK(l.has("bad-id", "customers/Bad_Name.yaml"));
  CHECK(l.repo.of(KindId::Customer).size() == 1);
}

TEST_CASE("rules: a record in the wrong folder says where it belongs") {
  auto l = load({retail,
                 {"customers/c.yaml",
                  "customer: retail\nreceived: 2026-03-04\nseverity: low\nsummary: S\n"
                  "status: open\n"}});
  const Diagnostic* d = l.find("wrong-folder");
  REQUIRE(d);
  CHECK(d->message == "this is a complaint record; it belongs in complaints/");
}

TEST_CASE("rules: a respondent who answers a survey twice is a warning at the second answer") {
  auto l = load({retail,
                 stores,
                 {"surveys/s.yaml",
                  "title: S\ndate: 2026-06-01\nresponses:\n  - customer: retail\n    score: 4\n"
                  "  - customer: stores\n    score: 3\n  - customer: retail\n    score: 2\n"}});
  const Diagnostic* d = l.find("duplicate-respondent");
  REQUIRE(d);
  CHECK(d->severity == Severity::Warning);
  CHECK(d->line == 8);
  CHECK(d->message == "'retail' answered this survey more than once; each answer counts");
  CHECK(std::count_if(l.findings.begin(), l.findings.end(),
                      [](const Diagnostic& f) { return f.rule == "duplicate-respondent"; }) == 1);
}

TEST_CASE("rules: references to a file that does not parse are one note per file") {
  auto l = load({{"customers/retail.yaml", "name: Anna\nrole: customer\nunit: Sales: North\n"},
                 {"customers/stores.yaml", "name: Per\nrole: purchaser\ncustomer: retail\n"},
                 {"meetings/2026-03-01-m.yaml",
                  "date: 2026-03-01\ncustomer: retail\ntype: review\nattendees: [Anna]\n"},
                 {"customers/other.yaml", "name: O\nrole: purchaser\ncustomer: retial\n"}});
  CHECK(l.repo.unparsed[static_cast<std::size_t>(KindId::Customer)] ==
        std::vector<std::string>{"retail"});
  std::size_t notes = 0;
  for (const auto& d : l.findings) {
    INFO(format_text(d));
    if (d.rule == "broken-reference") {
      ++notes;
      CHECK(d.severity == Severity::Note);
      CHECK(d.message.find("customers/retail.yaml, which does not parse") != std::string::npos);
    }
    CHECK((d.rule != "unknown-reference" || d.file == "customers/other.yaml"));
  }
  CHECK(notes == 2);
  CHECK(l.has("unknown-reference", "customers/other.yaml"));
}

namespace {
const std::pair<std::string, std::string> agreement_with_levels = {
    "agreements/a.yaml",
    "title: A\ncustomer: retail\nstatus: draft\nstart: 2026-01-01\nservices:\n"
    "  - service: email\n    levels:\n      - metric: availability\n        target: 99.5\n"
    "        unit: percent\n"};
std::pair<std::string, std::string> result(std::string id, std::string start, std::string end,
                                           std::string metric = "availability") {
  return {"results/" + id + ".yaml", "agreement: a\nstart: " + start + "\nend: " + end +
                                         "\nlevels:\n  - service: email\n    metric: " + metric +
                                         "\n    achieved: 99\n"};
}
}  // namespace

TEST_CASE("rules: a result's level must be a level of its agreement") {
  auto ok = load({retail, agreement_with_levels, result("r1", "2026-01-01", "2026-01-31")});
  CHECK(ok.findings.empty());
  auto l = load(
      {retail, agreement_with_levels, result("r1", "2026-01-01", "2026-01-31", "p1 resolution")});
  const Diagnostic* d = l.find("unknown-level");
  REQUIRE(d);
  CHECK(d->file == "results/r1.yaml");
  CHECK(d->line == 6);  // the metric: the agreement has the service
  CHECK(d->message == "agreement 'a' has no service level 'p1 resolution' for service 'email'");
}

TEST_CASE("rules: two results of one agreement may not overlap for the same level") {
  auto apart = load({retail, agreement_with_levels, result("r1", "2026-01-01", "2026-01-31"),
                     result("r2", "2026-02-01", "2026-02-28")});
  CHECK_FALSE(apart.has("overlapping-results"));
  // r3 starts inside r1 (which ends last), r2 lies inside r1: both overlap it.
  auto l =
      load({retail, agreement_with_levels, result("r1", "2026-01-01", "2026-03-31"),
            result("r2", "2026-02-01", "2026-02-28"), result("r3", "2026-03-31", "2026-04-30")});
  CHECK(l.has("overlapping-results", "results/r2.yaml"));
  CHECK(l.has("overlapping-results", "results/r3.yaml"));
  CHECK_FALSE(l.has("overlapping-results", "results/r1.yaml"));
  const Diagnostic* d = l.find("overlapping-results");
  REQUIRE(d);
  CHECK(d->message ==
        "email availability from 2026-02-01 to 2026-02-28 overlaps results/r1.yaml "
        "(2026-01-01 to 2026-03-31)");
}

TEST_CASE("rules: list items and nested dates are references and dates like any field") {
  setenv("BRM_TODAY", "2026-11-26", 1);
  auto l = load({retail,
                 {"plans/p.yaml",
                  "title: P\ncustomer: retail\ntype: change\nstart: 2026-01-01\n"
                  "requirements: [nope]\nstatus: current\n"},
                 {"complaints/c.yaml",
                  "customer: retail\nreceived: 2026-03-04\nseverity: low\nsummary: S\n"
                  "status: open\nescalation:\n  date: 2026-03-01\n  to: IT steering group\n"}});
  const Diagnostic* ref = l.find("unknown-reference");
  REQUIRE(ref);
  CHECK(ref->file == "plans/p.yaml");
  CHECK(ref->message == "no requirement 'nope' in requirements/");
  const Diagnostic* order = l.find("date-order");
  REQUIRE(order);
  CHECK(order->line == 7);
  CHECK(order->message == "escalation.date 2026-03-01 is before received 2026-03-04");
  unsetenv("BRM_TODAY");
}

TEST_CASE("rules: keys inside extra match [A-Za-z_][A-Za-z0-9_-]* at any depth") {
  auto good = load({{"customers/retail.yaml",
                     "name: A\nrole: customer\nextra:\n  Cost_centre-2: 1\n  _list:\n"
                     "    - a_b: 1\n"}});
  CHECK(good.findings.empty());
  auto l = load({{"customers/retail.yaml",
                  "name: A\nrole: customer\nextra:\n  a.b: 1\n  list:\n    - 2x: 1\n"}});
  std::size_t bad = 0;
  for (const Diagnostic& d : l.findings) bad += d.rule == "bad-extra-key" ? 1 : 0;
  CHECK(bad == 2);
  const Diagnostic* d = l.find("bad-extra-key");
  REQUIRE(d);
  CHECK(d->line == 4);
  CHECK(d->column == 3);
}

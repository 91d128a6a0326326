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
  auto l = load({retail, stores,
                 {"customers/sub.yaml", "name: Sub\nrole: purchaser\ncustomer: stores\n"}});
  CHECK(l.has("purchaser-chain", "customers/sub.yaml"));
}

TEST_CASE("rules: an agreement belongs to a customer, not a purchaser") {
  auto l = load({retail, stores,
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
  auto l = load({retail,
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
  auto l = load({retail, {"customers/c.yaml",
                          "customer: retail\nreceived: 2026-03-04\nseverity: low\nsummary: S\n"
                          "status: open\n"}});
  const Diagnostic* d = l.find("wrong-folder");
  REQUIRE(d);
  CHECK(d->message == "this is a complaint record; it belongs in complaints/");
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

#include "brm/result_import.hpp"

#include <doctest/doctest.h>

#include "repo_fixture.hpp"

using namespace brm;
using brm::test::load;

namespace {

test::Loaded agreement() {
  return load({{"customers/anna.yaml", "name: Anna\nrole: customer\n"},
               {"agreements/anna-2026.yaml",
                "title: A\ncustomer: anna\nstatus: active\nsigned: 2026-01-01\nstart: 2026-01-01\n"
                "services:\n  - service: email\n    levels:\n"
                "      - {metric: availability, target: 99.5, unit: percent}\n"}});
}

std::string messages(const std::vector<CsvProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += std::to_string(p.line) + ": " + p.message + "\n";
  return out;
}

ResultImport import(const test::Loaded& l, std::string_view csv) {
  std::vector<CsvProblem> problems;
  std::vector<CsvRow> rows = result_rows(csv, &problems);
  REQUIRE(problems.empty());
  return import_result(rows, l.repo.of(KindId::Agreement).front(), Date{2026, 11, 1},
                       Date{2026, 11, 30}, "Report");
}

}  // namespace

TEST_CASE("result import: a report's rows become the result's levels, typed") {
  auto l = agreement();
  ResultImport r = import(l, "Metric,SERVICE,achieved\navailability,email,99.8\n");
  CHECK(messages(r.problems).empty());
  CHECK(r.doc.find("agreement")->as_string() == "anna-2026");
  CHECK(r.doc.find("end")->as_string() == "2026-11-30");
  CHECK(r.doc.find("source")->as_string() == "Report");
  const Value& level = r.doc.find("levels")->items().front();
  CHECK(level.find("service")->as_string() == "email");
  CHECK(level.find("achieved")->as_double() == doctest::Approx(99.8));
}

TEST_CASE("result import: a bad header stops before the rows; bad rows each say why") {
  auto l = agreement();
  ResultImport header = import(l, "service,level,achieved\nemial,x,y\n");
  CHECK(messages(header.problems) ==
        "1: column 2: unknown column 'level': expected service, metric, achieved and optionally "
        "note\n1: missing column 'metric': the header must name service, metric and achieved\n");
  ResultImport rows = import(l,
                             "service,metric,achieved\nemial,availability,99\n"
                             "email,latency,1\nemail,availability,x\n");
  CHECK(messages(rows.problems) ==
        "2: column service: agreement 'anna-2026' has no service 'emial' (did you mean "
        "'email'?)\n"
        "3: column metric: agreement 'anna-2026' has no service level 'latency' for service "
        "'email'\n"
        "4: invalid value 'x' for column achieved: expected a number\n");
  std::vector<CsvProblem> problems;
  CHECK(result_rows("", &problems).empty());
  CHECK(messages(problems) ==
        "1: the file is empty; the first row must be the header: service,metric,achieved[,note]\n");
}

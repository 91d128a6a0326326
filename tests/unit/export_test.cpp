#include "brm/export.hpp"

#include <doctest/doctest.h>

#include "brm/json.hpp"
#include "repo_fixture.hpp"

namespace brm {
namespace {

const std::string* file_named(const std::vector<ExportFile>& files, std::string_view name) {
  for (const ExportFile& f : files)
    if (f.name == name) return &f.content;
  return nullptr;
}

const char* anna =
    "name: Anna Berg\n"
    "role: customer\n"
    "it_contact: Erik Lund\n"
    "budget:\n"
    "  amount: 1200000\n"
    "  year: 2026\n";

const char* agreement =
    "title: Retail IT services 2026\n"
    "customer: anna-berg\n"
    "status: active\n"
    "start: 2026-01-01\n"
    "services:\n"
    "  - service: email\n"
    "    levels:\n"
    "      - metric: availability\n"
    "        target: 99.5\n"
    "        unit: percent\n"
    "  - service: pos\n";

}  // namespace

TEST_CASE("export: nested fields flatten to dotted paths, list items by index") {
  auto l = test::load({{"agreements/retail.yaml", agreement}, {"customers/anna-berg.yaml", anna}});
  auto flat = flatten(export_record(l.repo.of(KindId::Agreement).at(0)));
  std::vector<std::pair<std::string, std::string>> want = {
      {"id", "retail"},
      {"title", "Retail IT services 2026"},
      {"customer", "anna-berg"},
      {"status", "active"},
      {"start", "2026-01-01"},
      {"services.0.service", "email"},
      {"services.0.levels.0.metric", "availability"},
      {"services.0.levels.0.target", "99.5"},
      {"services.0.levels.0.unit", "percent"},
      {"services.1.service", "pos"},
  };
  CHECK(flat == want);
}

TEST_CASE("export: scalar lists flatten by index; null is an empty cell; empty containers vanish") {
  Value doc;
  JsonError err;
  REQUIRE(
      parse_json(R"({"attendees": ["A", "B"], "x": null, "extra": {}, "ok": true})", &doc, &err));
  auto flat = flatten(doc);
  std::vector<std::pair<std::string, std::string>> want = {
      {"attendees.0", "A"}, {"attendees.1", "B"}, {"x", ""}, {"ok", "true"}};
  CHECK(flat == want);
}

TEST_CASE("export: the CSV header is the union of paths in first-seen order") {
  auto l = test::load({
      {"customers/anna-berg.yaml", anna},
      {"customers/per-holm.yaml", "name: Per Holm\nrole: purchaser\ncustomer: anna-berg\n"},
  });
  auto files = export_files(l.repo, ExportFormat::Csv);
  const std::string* csv = file_named(files, "customers.csv");
  REQUIRE(csv);
  CHECK(*csv ==
        "id,name,role,it_contact,budget.amount,budget.year,customer\n"
        "anna-berg,Anna Berg,customer,Erik Lund,1200000,2026,\n"
        "per-holm,Per Holm,purchaser,,,,anna-berg\n");
}

TEST_CASE("export: text a spreadsheet would run as a formula is neutralised") {
  auto l =
      test::load({{"customers/eve.yaml",
                   "name: '=HYPERLINK(\"http://evil.example\",\"click\")'\nrole: customer\n"}});
  auto files = export_files(l.repo, ExportFormat::Csv);
  const std::string* csv = file_named(files, "customers.csv");
  REQUIRE(csv);
  CHECK(csv->find("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"") !=
        std::string::npos);
  CHECK(csv->find(",=HYPERLINK") == std::string::npos);
}

TEST_CASE("export: every kind gets a file, an empty kind an empty array or a header") {
  auto l = test::load({{"customers/anna-berg.yaml", anna}});
  auto json = export_files(l.repo, ExportFormat::Json);
  CHECK(json.size() == kind_count);
  REQUIRE(file_named(json, "complaints.json"));
  CHECK(*file_named(json, "complaints.json") == "[]\n");
  auto csv = export_files(l.repo, ExportFormat::Csv);
  REQUIRE(file_named(csv, "services.csv"));
  CHECK(*file_named(csv, "services.csv") == "id\n");
}

TEST_CASE("export: a record is an object with id first, then its fields in file order") {
  auto l = test::load({{"customers/anna-berg.yaml", anna}});
  Value all;
  JsonError err;
  REQUIRE(parse_json(export_json(l.repo), &all, &err));
  const Value* customers = all.find("customers");
  REQUIRE(customers);
  REQUIRE(customers->size() == 1);
  const Value& r = customers->items()[0];
  REQUIRE(r.entries().size() == 5);
  CHECK(r.entries()[0].key == "id");
  CHECK(r.entries()[0].value.as_string() == "anna-berg");
  CHECK(r.entries()[1].key == "name");
  CHECK(r.entries()[4].key == "budget");
  CHECK(all.entries().size() == kind_count + 1);
  CHECK(all.entries()[0].key == "version");
  CHECK(all.entries()[0].value.as_int() == 1);
  CHECK(all.entries()[1].key == "customers");
}

}  // namespace brm

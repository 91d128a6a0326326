#include "brm/diagnostic.hpp"

#include <doctest/doctest.h>

using namespace brm;

TEST_CASE("diagnostic: text form is compiler style") {
  Diagnostic d{"customers/anna.yaml",
               3,
               1,
               Severity::Error,
               "unknown-field",
               "unknown field 'emial' (did you mean 'email'?)"};
  CHECK(format_text(d) ==
        "customers/anna.yaml:3:1: error: unknown field 'emial' (did you mean 'email'?) "
        "[unknown-field]");
  d.line = 0;
  d.column = 0;
  CHECK(format_text(d).rfind("customers/anna.yaml: error:", 0) == 0);
}

TEST_CASE("diagnostic: github form escapes properties and data") {
  Diagnostic d{"a,b.yaml", 2, 5, Severity::Warning, "future-date", "50%: odd\nnext"};
  CHECK(
      format_github(d) ==
      "::warning file=a%2Cb.yaml,line=2,col=5,title=future-date::50%25: odd%0Anext [future-date]");
}

TEST_CASE("diagnostic: json form lists findings and counts") {
  Diagnostics ds = {{"a.yaml", 1, 2, Severity::Error, "r", "say \"x\""}};
  std::string j = format_json(ds, 7);
  CHECK(j.find("\"message\": \"say \\\"x\\\"\"") != std::string::npos);
  CHECK(j.find("\"files\": 7") != std::string::npos);
  CHECK(j.find("\"errors\": 1") != std::string::npos);
}

TEST_CASE("diagnostic: sorted by file, line, column; duplicates dropped") {
  Diagnostics ds = {{"b.yaml", 1, 1, Severity::Error, "r", "m"},
                    {"a.yaml", 9, 1, Severity::Warning, "r", "m"},
                    {"a.yaml", 2, 3, Severity::Error, "r", "m"},
                    {"a.yaml", 2, 3, Severity::Error, "r", "m"}};
  sort_diagnostics(ds);
  REQUIRE(ds.size() == 3);
  CHECK(ds[0].line == 2);
  CHECK(ds[1].line == 9);
  CHECK(ds[2].file == "b.yaml");
}

TEST_CASE("diagnostic: did you mean picks a close word only") {
  std::vector<std::string_view> fields = {"email", "name", "role", "it_contact"};
  CHECK(closest_match("emial", fields) == "email");
  CHECK(closest_match("it_contcat", fields) == "it_contact");
  CHECK(closest_match("zzzzzz", fields).empty());
}

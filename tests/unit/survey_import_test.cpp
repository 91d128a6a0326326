#include "brm/survey_import.hpp"

#include <doctest/doctest.h>

#include "repo_fixture.hpp"

using namespace brm;
using brm::test::load;

namespace {

Repository customers() {
  return load(
             {{"customers/anna-berg.yaml",
               "name: Anna Berg\nrole: customer\nemail: anna.berg@example.com\n"},
              {"customers/per-holm.yaml", "name: Per Holm\nrole: purchaser\ncustomer: anna-berg\n"},
              {"surveys/2026-06-01-pulse.yaml",
               "title: Pulse\ndate: 2026-06-01\nresponses:\n  - customer: anna-berg\n"
               "    score: 4\n"}})
      .repo;
}

const Date june = *Date::parse("2026-06-30");

std::string messages(const SurveyImport& s) {
  std::string out;
  for (const auto& p : s.problems) out += std::to_string(p.line) + ": " + p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("survey import: columns by header, question text kept, respondents by email or name") {
  Repository repo = customers();
  SurveyColumns columns;
  columns.customer = "email";
  columns.score = "Overall?";
  columns.comments = {"Why?", "Anything else?"};
  columns.ignored = {"Timestamp"};
  std::string csv =
      "\xEF\xBB\xBFTimestamp;Email;Overall?;Service levels;Why?;Anything else?\r\n"
      "2026-06-02;ANNA.BERG@example.com;4;3;\"Slow; sometimes\";More training\r\n"
      "2026-06-03;Per Holm;5;;;Fine\r\n";
  SurveyImport s = import_survey(csv, columns, "Pulse 2", june, 5, repo);
  INFO(messages(s));
  REQUIRE(s.problems.empty());
  CHECK(s.delimiter == ';');
  const Value* qs = s.doc.find("questions");
  REQUIRE(qs);
  REQUIRE(qs->items().size() == 1);
  CHECK(qs->items()[0].find("id")->as_string() == "service-levels");
  CHECK(qs->items()[0].find("text")->as_string() == "Service levels");
  const auto& responses = s.doc.find("responses")->items();
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].find("customer")->as_string() == "anna-berg");
  CHECK(responses[0].find("score")->as_int() == 4);
  CHECK(responses[0].find("answers")->find("service-levels")->as_int() == 3);
  CHECK(responses[0].find("comment")->as_string() ==
        "Why?: Slow; sometimes\nAnything else?: More training");
  CHECK(responses[1].find("customer")->as_string() == "per-holm");
  CHECK(responses[1].find("answers") == nullptr);
  CHECK(responses[1].find("comment")->as_string() == "Anything else?: Fine");
  CHECK(s.doc.find("scale")->as_int() == 5);
}

TEST_CASE("survey import: a bad row names its line and column; a text column is said once") {
  Repository repo = customers();
  SurveyColumns columns;
  std::string csv =
      "customer,score,overall,Team\n"
      "anna-berg,4,9,Sales\n"
      "anna-bergg,x,2,Finance\n";
  SurveyImport s = import_survey(csv, columns, "T", june, 5, repo);
  CHECK(messages(s) ==
        "1: column 'Team' holds text, not scores 1..5: keep it with --comment-column 'Team' or "
        "leave it out with --ignore 'Team'\n");
  columns.ignored = {"team"};
  s = import_survey(csv, columns, "T", june, 5, repo);
  CHECK(messages(s) ==
        "2: column 'overall': 9 is outside the scale 1..5\n"
        "3: column 'customer': no customer 'anna-bergg' (an id, email or name) (did you mean "
        "'anna-berg'?)\n"
        "3: column 'score': 'x' is not a whole number 1..5\n");
}

TEST_CASE("survey import: a mapping flag that names no column says which columns there are") {
  Repository repo = customers();
  SurveyColumns columns;
  columns.score = "Overal";
  SurveyImport s = import_survey("customer\tOverall\n", columns, "T", june, 5, repo);
  CHECK(s.delimiter == '\t');
  CHECK(messages(s) ==
        "1: no column 'Overal' in the header (did you mean 'Overall'?); name it with "
        "--score-column (the columns: 'customer', 'Overall')\n");
}

TEST_CASE("survey import: the same title and date is the same survey") {
  Repository repo = customers();
  CHECK(same_survey(repo, " pulse ", *Date::parse("2026-06-01")) != nullptr);
  CHECK(same_survey(repo, "Pulse", *Date::parse("2026-06-02")) == nullptr);
  CHECK(same_survey(repo, "Pulse 2", *Date::parse("2026-06-01")) == nullptr);
}

TEST_CASE("survey import: a line break typed in a cell of a CRLF export is kept as one") {
  Repository repo = customers();
  SurveyColumns columns;
  columns.customer = "email";
  columns.score = "Overall?";
  columns.comments = {"Improve?"};
  std::string csv =
      "Email;Overall?;Improve?\r\n"
      "anna.berg@example.com;4;\"Fewer logins.\r\nOne password would do.\"\r\n";
  SurveyImport s = import_survey(csv, columns, "Pulse 3", june, 5, repo);
  INFO(messages(s));
  REQUIRE(s.problems.empty());
  const auto& responses = s.doc.find("responses")->items();
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].find("comment")->as_string() == "Fewer logins.\nOne password would do.");
}

// The edges of every definition in MEASURES.md, one case each.
#include "brm/measure.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "brm/json.hpp"
#include "brm/trend.hpp"
#include "repo_fixture.hpp"

using namespace brm;
using brm::test::load;

namespace {

using File = std::pair<std::string, std::string>;

Date day(const char* text) { return *Date::parse(text); }

File customer(const std::string& id, const std::string& extra = "") {
  return {"customers/" + id + ".yaml", "name: " + id + "\nrole: customer\n" + extra};
}

File purchaser(const std::string& id, const std::string& of, const std::string& extra = "") {
  return {"customers/" + id + ".yaml",
          "name: " + id + "\nrole: purchaser\ncustomer: " + of + "\n" + extra};
}

File agreement(const std::string& id, const std::string& of, const std::string& fields) {
  return {"agreements/" + id + ".yaml",
          "title: A\ncustomer: " + of + "\n" + fields + "services:\n  - service: email\n"};
}

File complaint(const std::string& id, const std::string& of, const std::string& received,
               const std::string& rest = "status: open\n") {
  return {"complaints/" + id + ".yaml",
          "customer: " + of + "\nreceived: " + received + "\nseverity: low\nsummary: S\n" + rest};
}

File closed_complaint(const std::string& id, const std::string& of, const std::string& received,
                      const std::string& closed) {
  return complaint(id, of, received,
                   "status: resolved\nclosed: " + closed + "\nresolution: done\n");
}

File survey(const std::string& id, const std::string& date, const std::string& responses,
            const std::string& scale = "") {
  return {"surveys/" + id + ".yaml",
          "title: S\ndate: " + date + "\n" + scale + "responses:\n" + responses};
}

std::string response(const std::string& who, int score) {
  return "  - customer: " + who + "\n    score: " + std::to_string(score) + "\n";
}

Measures measure(const std::vector<File>& files, const char* as_of,
                 std::optional<Date> since = std::nullopt) {
  auto l = load(files);
  for (const auto& d : l.findings)
    if (d.severity == Severity::Error) FAIL_CHECK(format_text(d));
  return compute_measures(l.repo, day(as_of), since);
}

const AccountFigures* account(const Measures& m, std::string_view id) {
  for (const auto& a : m.by_account)
    if (a.id == id) return &a;
  return nullptr;
}

}  // namespace

TEST_CASE("measure: the default period is a calendar year ending on as_of, both included") {
  CHECK(default_since(day("2026-06-30")) == day("2025-07-01"));
  CHECK(default_since(day("2026-01-01")) == day("2025-01-02"));
  CHECK(default_since(day("2026-12-31")) == day("2026-01-01"));
}

TEST_CASE("measure: Feb 29 becomes Feb 28 a year earlier before the day is added") {
  CHECK(default_since(day("2028-02-29")) == day("2027-03-01"));
  CHECK(default_since(day("2025-03-01")) == day("2024-03-02"));
  CHECK(default_since(day("2025-02-28")) == day("2024-02-29"));  // a leap day inside
  CHECK(default_since(day("2024-02-29")) == day("2023-03-01"));
}

TEST_CASE(
    "measure: complaints received on since and on as_of are in the period; a day out is not") {
  auto m = measure(
      {customer("c"), complaint("before", "c", "2025-06-30"), complaint("first", "c", "2025-07-01"),
       complaint("last", "c", "2026-06-30"), complaint("after", "c", "2026-07-01")},
      "2026-06-30");
  CHECK(m.since == day("2025-07-01"));
  CHECK(m.complaints_received == 2);
  // Open counts everything received by as_of, the period does not matter.
  CHECK(m.complaints_open == 3);
}

TEST_CASE("measure: --since replaces the default start of the period") {
  auto m =
      measure({customer("c"), complaint("a", "c", "2026-01-01"), complaint("b", "c", "2026-03-01")},
              "2026-06-30", day("2026-02-01"));
  CHECK(m.since == day("2026-02-01"));
  CHECK(m.complaints_received == 1);
}

TEST_CASE(
    "measure: a survey on its last day of the period counts, one a day before since does not") {
  auto m = measure({customer("c"), survey("in", "2025-07-01", response("c", 5)),
                    survey("out", "2025-06-30", response("c", 1))},
                   "2026-06-30");
  CHECK(m.responses == 1);
  CHECK(m.mean == doctest::Approx(5.0));
}

TEST_CASE("measure: current means active (or no status) and in the role by as_of") {
  auto m = measure({customer("plain"), customer("active", "status: active\nsince: 2026-06-30\n"),
                    customer("inactive", "status: inactive\nit_contact: E\n"),
                    customer("future", "since: 2026-07-01\nit_contact: E\n")},
                   "2026-06-30");
  CHECK(m.customers.total == 2);
  CHECK(m.agreements_total == 2);
  REQUIRE(m.by_account.size() == 2);
  CHECK(m.by_account[0].id == "active");
  CHECK(m.by_account[1].id == "plain");
}

TEST_CASE("measure: contacts per role; a blank it_contact is no contact") {
  auto m =
      measure({customer("a", "it_contact: Erik Lund\n"), customer("b", "it_contact: \"  \"\n"),
               customer("c"), purchaser("p1", "a", "it_contact: Maria\n"), purchaser("p2", "a"),
               purchaser("p3", "b", "status: inactive\nit_contact: X\n")},
              "2026-06-30");
  CHECK(m.customers.total == 3);
  CHECK(m.customers.with_contact == 1);
  CHECK(m.purchasers.total == 2);
  CHECK(m.purchasers.with_contact == 1);
  const AccountFigures* a = account(m, "a");
  REQUIRE(a);
  CHECK(a->has_contact);
  CHECK(a->purchasers == 2);
  CHECK(a->purchasers_with_contact == 1);
  CHECK_FALSE(account(m, "b")->has_contact);
  CHECK(account(m, "b")->purchasers == 0);  // its only purchaser is inactive
  REQUIRE(m.customers_without_contact.size() == 2);
  CHECK(m.customers_without_contact[0].id == "b");
  REQUIRE(m.purchasers_without_contact.size() == 1);
  CHECK(m.purchasers_without_contact[0].account == "a");
}

TEST_CASE("measure: an agreement ending on the as-of day is still in force") {
  auto m = measure({customer("c"), agreement("a", "c",
                                             "status: active\nsigned: 2025-12-01\n"
                                             "start: 2026-01-01\nend: 2026-06-30\n")},
                   "2026-06-30");
  CHECK(m.with_written_agreement == 1);
  CHECK(account(m, "c")->written_agreement);
  auto after = measure({customer("c"), agreement("a", "c",
                                                 "status: active\nsigned: 2025-12-01\n"
                                                 "start: 2026-01-01\nend: 2026-06-30\n")},
                       "2026-07-01");
  CHECK(after.with_written_agreement == 0);
}

TEST_CASE(
    "measure: an agreement signed after as_of, unsigned, not started or not active does not "
    "count") {
  std::vector<File> files = {
      customer("late"),
      agreement("a", "late", "status: active\nsigned: 2026-07-01\nstart: 2026-01-01\n"),
      customer("unsigned"),
      agreement("b", "unsigned", "status: active\nstart: 2026-01-01\n"),
      customer("early"),
      agreement("c", "early", "status: active\nsigned: 2026-01-01\nstart: 2026-07-01\n"),
      customer("draft"),
      agreement("d", "draft", "status: draft\nsigned: 2026-01-01\nstart: 2026-01-01\n"),
      customer("ok"),
      agreement("e", "ok", "status: active\nsigned: 2026-06-30\nstart: 2026-06-30\n")};
  auto m = measure(files, "2026-06-30");
  CHECK(m.agreements_total == 5);
  CHECK(m.with_written_agreement == 1);
  CHECK(account(m, "ok")->written_agreement);
  REQUIRE(m.customers_without_agreement.size() == 4);
  CHECK(m.customers_without_agreement[0].id == "draft");
}

TEST_CASE("measure: a purchaser's complaint counts for its customer") {
  auto m = measure(
      {customer("retail"), purchaser("stores", "retail"), complaint("c1", "stores", "2026-03-04"),
       closed_complaint("c2", "retail", "2026-03-01", "2026-03-05")},
      "2026-06-30");
  const AccountFigures* a = account(m, "retail");
  REQUIRE(a);
  CHECK(a->complaints_received == 2);
  CHECK(a->complaints_open == 1);
  CHECK(m.by_account.size() == 1);  // the purchaser is no account of its own
}

TEST_CASE("measure: a purchaser's survey response counts for its customer") {
  auto m = measure({customer("retail"), purchaser("stores", "retail"),
                    survey("s", "2026-06-01", response("stores", 4) + response("retail", 5))},
                   "2026-06-30");
  const AccountFigures* a = account(m, "retail");
  REQUIRE(a);
  CHECK(a->responses == 2);
  CHECK(*a->mean == doctest::Approx(4.5));
}

TEST_CASE("measure: a survey on its own scale moves the satisfied threshold, rounding up") {
  // brm.yaml: scale 5, satisfied 4. On a scale of 10 that is 8.
  auto ten = measure({customer("c"), survey("s", "2026-06-01",
                                            response("c", 7) + response("c", 8) + response("c", 10),
                                            "scale: 10\n")},
                     "2026-06-30");
  CHECK(ten.responses == 3);
  CHECK(ten.satisfied == 2);
  CHECK(*ten.csat == doctest::Approx(2.0 / 3.0));
  // Each score on brm.yaml's scale of 5: 1 + (x - 1) * 4 / 9.
  CHECK(*ten.mean == doctest::Approx((1 + 24.0 / 9 + 1 + 28.0 / 9 + 5) / 3));
  // 4 * 7 / 5 = 5.6: 6 is satisfied, 5 is not.
  auto seven = measure(
      {customer("c"), survey("s", "2026-06-01", response("c", 5) + response("c", 6), "scale: 7\n")},
      "2026-06-30");
  CHECK(seven.satisfied == 1);
  // A survey without its own scale uses brm.yaml's threshold as it is.
  auto plain =
      measure({customer("c"), survey("s", "2026-06-01", response("c", 3) + response("c", 4))},
              "2026-06-30");
  CHECK(plain.satisfied == 1);
}

TEST_CASE("measure: the settings' own scale and threshold are honoured") {
  // Two respondents: one answering twice would be a duplicate-respondent warning.
  auto l = load({customer("c"), customer("d"),
                 survey("s", "2026-06-01", response("c", 4) + response("d", 3), "scale: 5\n")},
                "brm: 1\nsurvey:\n  scale: 10\n  satisfied: 7\n");
  CHECK(l.findings.empty());
  auto m = compute_measures(l.repo, day("2026-06-30"));
  // ceil(7 * 5 / 10) = ceil(3.5) = 4: 4 is satisfied, 3 is not (rounding down would take both).
  CHECK(m.satisfied == 1);
}

TEST_CASE("measure: no responses make mean and csat null") {
  auto m = measure({customer("c")}, "2026-06-30");
  CHECK(m.responses == 0);
  CHECK_FALSE(m.mean);
  CHECK_FALSE(m.csat);
  CHECK_FALSE(m.median_days_to_close);
  CHECK_FALSE(account(m, "c")->mean);
  std::string json = to_json(measures_to_value(m));
  CHECK(
      json.find("\"satisfaction\":{\"responses\":0,\"mean\":null,\"satisfied\":0,\"csat\":null}") !=
      std::string::npos);
  CHECK(json.find("\"median_days_to_close\":null") != std::string::npos);
}

TEST_CASE("measure: the median of an even count is the mean of the two middle values") {
  CHECK(*median({1, 10, 4, 7}) == doctest::Approx(5.5));
  CHECK(*median({3, 1, 2}) == doctest::Approx(2.0));
  CHECK_FALSE(median({}));
  auto m = measure({customer("c"), closed_complaint("a", "c", "2026-01-01", "2026-01-04"),
                    closed_complaint("b", "c", "2026-02-01", "2026-02-11")},
                   "2026-06-30");
  CHECK(m.complaints_closed == 2);
  CHECK(*m.median_days_to_close == doctest::Approx(6.5));
}

TEST_CASE("measure: a complaint closed after as_of counts as open on as_of") {
  auto m = measure({customer("c"), closed_complaint("a", "c", "2026-06-01", "2026-07-02"),
                    closed_complaint("b", "c", "2026-06-01", "2026-06-30"),
                    complaint("c", "c", "2026-06-02", "status: in-progress\n")},
                   "2026-06-30");
  CHECK(m.complaints_open == 2);
  CHECK(m.complaints_closed == 1);  // only b closed within the period
  CHECK(*m.median_days_to_close == doctest::Approx(29.0));
  CHECK(account(m, "c")->complaints_open == 2);
}

TEST_CASE("measure: a complaint received before the period but closed in it counts as closed") {
  auto m = measure({customer("c"), closed_complaint("a", "c", "2025-06-01", "2025-07-11")},
                   "2026-06-30");
  CHECK(m.complaints_received == 0);
  CHECK(m.complaints_closed == 1);
  CHECK(*m.median_days_to_close == doctest::Approx(40.0));
}

TEST_CASE("measure: records with schema errors are left out and counted") {
  auto l = load({customer("c"), {"customers/bad.yaml", "name: Bad\nrole: customer\nemial: x\n"}});
  auto m = compute_measures(l.repo, day("2026-06-30"));
  CHECK(m.customers.total == 1);
  CHECK(m.left_out == 1);
}

TEST_CASE(
    "measure: JSON has MEASURES.md's keys in its order, by_account for every current customer") {
  auto m = measure({customer("b"), customer("a"), purchaser("p", "a")}, "2026-06-30");
  std::string json = to_json(measures_to_value(m));
  CHECK(json ==
        "{\"as_of\":\"2026-06-30\",\"since\":\"2025-07-01\","
        "\"contacts\":{\"customers\":{\"total\":2,\"with_contact\":0},"
        "\"purchasers\":{\"total\":1,\"with_contact\":0}},"
        "\"agreements\":{\"total\":2,\"with_written_agreement\":0},"
        "\"satisfaction\":{\"responses\":0,\"mean\":null,\"satisfied\":0,\"csat\":null},"
        "\"complaints\":{\"received\":0,\"open\":0,\"closed\":0,\"median_days_to_close\":null},"
        "\"by_account\":{"
        "\"a\":{\"purchasers\":1,\"purchasers_with_contact\":0,\"has_contact\":false,"
        "\"written_agreement\":false,\"responses\":0,\"mean\":null,\"complaints_received\":0,"
        "\"complaints_open\":0},"
        "\"b\":{\"purchasers\":0,\"purchasers_with_contact\":0,\"has_contact\":false,"
        "\"written_agreement\":false,\"responses\":0,\"mean\":null,\"complaints_received\":0,"
        "\"complaints_open\":0}}}");
  std::string trend = to_json(measures_to_value(m, false));
  CHECK(trend.find("by_account") == std::string::npos);
}

TEST_CASE("measure: means are not rounded in JSON, two decimals in text") {
  auto m = measure({customer("c"), survey("s", "2026-06-01",
                                          response("c", 4) + response("c", 4) + response("c", 3))},
                   "2026-06-30");
  std::string json = to_json(measures_to_value(m));
  CHECK(json.find("\"mean\":3.6666666666666665") != std::string::npos);
  std::string text = measures_to_text(m, "Test");
  CHECK(text.find("mean score 3.67") != std::string::npos);
  CHECK(text.find("2 of 3 (66.7%) satisfied") != std::string::npos);
}

TEST_CASE("measure: CSV is the by_account table with a header row") {
  auto m = measure({customer("c", "it_contact: E\n"), survey("s", "2026-06-01", response("c", 4))},
                   "2026-06-30");
  CHECK(measures_to_csv(m) ==
        "account,purchasers,purchasers_with_contact,has_contact,written_agreement,responses,mean,"
        "complaints_received,complaints_open\n"
        "c,0,0,true,false,1,4,0,0\n");
}

TEST_CASE("measure: the fields brm measure loads are all that compute_measures reads") {
  // brm measure loads only measured_fields(); were a field read but not listed, the
  // figures would change here, and not only in a golden test that happens to use it.
  namespace fs = std::filesystem;
  Diagnostics findings;
  fs::path example = fs::path(BRM_SOURCE_DIR) / "examples" / "example-group";
  Repository full = load_repository(read_worktree(example), &findings);
  LoadOptions keep;
  keep.keep = &measured_fields();
  Repository selected = load_repository(read_worktree(example), &findings, keep);
  CHECK(selected.of(KindId::Customer).front().doc.size() <
        full.of(KindId::Customer).front().doc.size());
  for (const char* as_of : {"2024-06-30", "2025-03-31", "2025-12-31", "2026-06-30", "2027-06-30"}) {
    CAPTURE(as_of);
    CHECK(to_json(measures_to_value(compute_measures(selected, day(as_of)))) ==
          to_json(measures_to_value(compute_measures(full, day(as_of)))));
    CHECK(measures_to_text(compute_measures(selected, day(as_of)), "") ==
          measures_to_text(compute_measures(full, day(as_of)), ""));
  }
}

TEST_CASE("measure: the figures alone are the full figures without accounts and gaps") {
  // What a trend keeps of each period: the same numbers, none of the lists.
  namespace fs = std::filesystem;
  Diagnostics findings;
  Repository repo = load_repository(
      read_worktree(fs::path(BRM_SOURCE_DIR) / "examples" / "example-group"), &findings);
  for (const char* as_of : {"2024-06-30", "2025-03-31", "2025-12-31", "2026-06-30"}) {
    CAPTURE(as_of);
    Measures full = compute_measures(repo, day(as_of));
    Measures figures = compute_measures(repo, day(as_of), std::nullopt, MeasureDetail::Figures);
    CHECK(to_json(measures_to_value(figures, false)) == to_json(measures_to_value(full, false)));
    CHECK(figures.by_account.empty());
    CHECK(figures.customers_without_contact.empty());
    CHECK(figures.purchasers_without_contact.empty());
    CHECK(figures.customers_without_agreement.empty());
  }
  CHECK(!compute_measures(repo, day("2026-06-30")).by_account.empty());
}

TEST_CASE("measure: a score on a survey's own scale counts on brm.yaml's scale") {
  CHECK(score_on_scale(8, 10, 5) == doctest::Approx(4.111111111));  // MEASURES.md's example
  CHECK(score_on_scale(1, 10, 5) == 1);
  CHECK(score_on_scale(10, 10, 5) == 5);
  CHECK(score_on_scale(3, 5, 5) == 3);
  CHECK(score_on_scale(2, 3, 5) == 3);  // the middle stays the middle
  CHECK(score_on_scale(4, 1, 5) == 4);  // no range to map: as it is
  // A 10-point survey beside a 5-point one no longer lifts the mean above the scale.
  auto m = measure({customer("c"), survey("a", "2026-06-01", response("c", 10), "scale: 10\n"),
                    survey("b", "2026-06-02", response("c", 5))},
                   "2026-06-30");
  CHECK(*m.mean == doctest::Approx(5.0));
  CHECK(*account(m, "c")->mean == doctest::Approx(5.0));
  // On a repository of scale 10, a 5-point survey's 4 is 1 + 3 * 9 / 4 = 7.75.
  auto l = load({customer("c"), survey("s", "2026-06-01", response("c", 4), "scale: 5\n")},
                "brm: 1\nsurvey:\n  scale: 10\n  satisfied: 7\n");
  CHECK(*compute_measures(l.repo, day("2026-06-30")).mean == doctest::Approx(7.75));
}

TEST_CASE("measure: an expired or terminated agreement counts while it was in force") {
  std::vector<File> files = {
      customer("exp"),
      agreement("a", "exp",
                "status: expired\nsigned: 2025-01-01\nstart: 2025-01-01\nend: 2025-12-31\n"),
      customer("term"),
      agreement("b", "term",
                "status: terminated\nsigned: 2025-01-01\nstart: 2025-01-01\nend: 2026-03-15\n"),
      customer("open"),
      agreement("c", "open", "status: terminated\nsigned: 2025-01-01\nstart: 2025-01-01\n")};
  auto past = measure(files, "2025-12-31");
  CHECK(account(past, "exp")->written_agreement);
  CHECK(account(past, "term")->written_agreement);
  CHECK_FALSE(account(past, "open")->written_agreement);  // no end: no telling when it ran
  CHECK(past.with_written_agreement == 2);
  auto march = measure(files, "2026-03-15");
  CHECK_FALSE(account(march, "exp")->written_agreement);
  CHECK(account(march, "term")->written_agreement);  // its last day
  CHECK(measure(files, "2026-03-16").with_written_agreement == 0);
  CHECK(measure(files, "2024-12-31").with_written_agreement == 0);  // before it was signed
}

TEST_CASE("measure: targets compare each figure, contacts over both roles together") {
  auto l = load({customer("a", "it_contact: E\n"), customer("b"),
                 purchaser("p", "a", "it_contact: F\n"), purchaser("q", "a"),
                 agreement("x", "a", "status: active\nsigned: 2026-01-01\nstart: 2026-01-01\n"),
                 survey("s", "2026-06-01", response("a", 4) + response("b", 2)),
                 complaint("c1", "a", "2026-05-01"), complaint("c2", "b", "2026-05-02")},
                "brm: 1\ntargets:\n  contacts: 0.5\n  agreements: 0.75\n  csat: 0.5\n"
                "  complaints_open: 1\n");
  REQUIRE(l.findings.empty());
  Measures m = compute_measures(l.repo, day("2026-06-30"));
  std::vector<TargetResult> t = compare_with_targets(m);
  REQUIRE(t.size() == 4);
  CHECK(t[0].key == TargetKey::Contacts);
  CHECK(*t[0].actual == doctest::Approx(0.5));  // 2 of 4, customers and purchasers together
  CHECK(*t[0].met);                             // at the target is met
  CHECK(*t[1].actual == doctest::Approx(0.5));
  CHECK_FALSE(*t[1].met);
  CHECK(t[1].shortfall() == doctest::Approx(25.0));
  CHECK(target_text(t[1]) == "target 75%: 50.0%, missed by 25.0 points");
  CHECK(*t[2].met);
  CHECK(*t[3].actual == 2);
  CHECK_FALSE(*t[3].met);  // at most one open
  CHECK(target_text(t[3]) == "target at most 1 open: 2, missed by 1");
  std::string json = to_json(measures_to_value(m));
  CHECK(json.find("\"targets\":{\"contacts\":{\"target\":0.5,\"actual\":0.5,\"met\":true},"
                  "\"agreements\":{\"target\":0.75,\"actual\":0.5,\"met\":false},") !=
        std::string::npos);
  CHECK(json.find("\"complaints_open\":{\"target\":1,\"actual\":2,\"met\":false}}") !=
        std::string::npos);
  CHECK(measures_to_text(m, "T").find("  target at most 1 open: 2, missed by 1\n") !=
        std::string::npos);
  // Markdown: each target beside the figure it is about, in the figures table.
  std::string md = measures_to_markdown(m, "T");
  CHECK(md.find("| Complaints open on 2026-06-30 | 2 | at most 1 open | missed by 1 |\n") !=
        std::string::npos);
  CHECK(md.find("| Customers and purchasers with a contact in IT | 2 of 4 (50.0%) | 50% | met "
                "|\n") != std::string::npos);
  CHECK(md.find("| Customers with a written agreement | 1 of 2 (50.0%) | 75% | missed by 25.0 "
                "points |\n") != std::string::npos);
  CHECK(md.find("| Satisfied survey responses | 1 of 2 (50.0%) | 50% | met |\n") !=
        std::string::npos);
  CHECK(md.find("| Mean survey score | 3.00 |  |  |\n") != std::string::npos);
  CHECK(md.find("## Targets") == std::string::npos);
}

TEST_CASE("measure: without targets, nothing is compared; with no figure, met is null") {
  auto none = measure({customer("c")}, "2026-06-30");
  CHECK(compare_with_targets(none).empty());
  CHECK(to_json(measures_to_value(none)).find("targets") == std::string::npos);
  auto l = load({customer("c")}, "brm: 1\ntargets:\n  csat: 0.8\n");
  Measures m = compute_measures(l.repo, day("2026-06-30"));
  auto t = compare_with_targets(m);
  REQUIRE(t.size() == 1);
  CHECK_FALSE(t[0].actual);
  CHECK_FALSE(t[0].met);
  CHECK(to_json(measures_to_value(m))
            .find("\"csat\":{\"target\":0.8,\"actual\":null,\"met\":null}") != std::string::npos);
}

TEST_CASE("measure: the date trend is the measure at each period end, from the records now") {
  auto l = load({customer("c", "it_contact: E\n"), complaint("c1", "c", "2026-03-04"),
                 closed_complaint("c2", "c", "2026-01-10", "2026-02-20"),
                 survey("s", "2026-04-15", response("c", 5) + response("c", 2))});
  std::vector<Date> ends = trend_ends(TrendStep::Monthly, std::nullopt, day("2026-04-30"));
  REQUIRE(ends.size() == 12);
  CHECK(ends.front() == day("2025-05-31"));
  CHECK(ends.back() == day("2026-04-30"));
  Trend t = compute_date_trend(l.repo, ends);
  CHECK_FALSE(t.by_commit);
  REQUIRE(t.rows.size() == 12);
  for (const TrendRow& r : t.rows) {
    Measures one = compute_measures(l.repo, r.period_end, std::nullopt, MeasureDetail::Figures);
    CHECK(to_json(measures_to_value(r.measures, false)) == to_json(measures_to_value(one, false)));
  }
  const Measures& jan = t.rows[8].measures;  // 2026-01-31
  CHECK(jan.as_of == day("2026-01-31"));
  CHECK(jan.complaints_open == 1);  // received in January, closed in February
  CHECK(t.rows[9].measures.complaints_open == 0);
  CHECK(t.rows[10].measures.complaints_open == 1);  // March's complaint counts in March
  CHECK(t.rows[10].measures.responses == 0);
  CHECK(t.rows[11].measures.responses == 2);
  CHECK(trend_to_csv(t).rfind("as_of,since,customers_total,", 0) == 0);  // no commit column
}

TEST_CASE("measure: trend ends by quarter, from a day, and the report's twelve points") {
  std::vector<Date> q = trend_ends(TrendStep::Quarterly, std::nullopt, day("2026-11-26"));
  REQUIRE(q.size() == 12);
  CHECK(q.front() == day("2023-12-31"));
  CHECK(q.back() == day("2026-09-30"));
  std::vector<Date> from = trend_ends(TrendStep::Monthly, day("2026-09-15"), day("2026-11-30"));
  REQUIRE(from.size() == 3);
  CHECK(from.front() == day("2026-09-30"));
  std::vector<Date> r = report_trend_days(day("2026-02-14"));
  REQUIRE(r.size() == 12);
  CHECK(r.front() == day("2025-03-31"));
  CHECK(r[10] == day("2026-01-31"));
  CHECK(r.back() == day("2026-02-14"));
}

#include "brm/report.hpp"

#include <doctest/doctest.h>

#include "repo_fixture.hpp"

namespace brm {
namespace {

const char* evil_name = "<script>alert(1)</script> & \"x\"";
const char* evil_escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;";

test::Loaded evil_repository() {
  return test::load({
      {"customers/eve.yaml",
       std::string("name: '") + evil_name + "'\nrole: customer\nit_contact: \"O'Neil\"\n"},
      {"agreements/eve-2026.yaml",
       "title: 'Pipes | and <b>tags</b>'\ncustomer: eve\nstatus: active\nsigned: 2026-01-01\n"
       "start: 2026-01-01\nservices:\n  - service: 'mail|chat'\n"},
      {"surveys/2026-06-01-round.yaml",
       std::string("title: '") + evil_name +
           "'\ndate: 2026-06-01\nresponses:\n  - {customer: eve, score: 4}\n"},
      {"complaints/2026-10-01-x.yaml",
       "customer: eve\nreceived: 2026-10-01\nseverity: high\nsummary: 'a | b'\nstatus: open\n"},
  });
}

ReportOptions at(std::string account = {}) {
  ReportOptions o;
  o.as_of = Date{2026, 11, 26};
  o.account = std::move(account);
  return o;
}

}  // namespace

TEST_CASE("report: record text is HTML-escaped everywhere, SVG labels and titles included") {
  auto l = evil_repository();
  for (const std::string& account : {std::string(), std::string("eve")}) {
    std::string html = render_report(l.repo, at(account), ReportFormat::Html);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<b>tags") == std::string::npos);
    CHECK(html.find(evil_escaped) != std::string::npos);
    if (!account.empty()) CHECK(html.find("O&#39;Neil") != std::string::npos);
  }
  std::string html = render_report(l.repo, at(), ReportFormat::Html);
  // The survey round's bar: its tooltip and its label inside the SVG.
  std::size_t svg = html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760");
  REQUIRE(svg != std::string::npos);
  std::size_t end = html.find("</svg>", svg);
  std::string chart = html.substr(svg, end - svg);
  CHECK(chart.find("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;: 100.0% "
                   "\u00B7 one response only</title>") != std::string::npos);
  CHECK(chart.find("&lt;script") != std::string::npos);
  CHECK(chart.find("<script") == std::string::npos);
}

TEST_CASE("report: HTML is self-contained: no scripts, nothing loaded from elsewhere") {
  auto l = evil_repository();
  std::string html = render_report(l.repo, at(), ReportFormat::Html);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
  CHECK(html.rfind("</html>\n") == html.size() - 8);
}

TEST_CASE("report: Markdown escapes pipes in table cells and markup in text") {
  auto l = evil_repository();
  std::string md = render_report(l.repo, at(), ReportFormat::Markdown);
  CHECK(md.find("| Pipes \\| and \\<b\\>tags\\</b\\> |") != std::string::npos);
  CHECK(md.find("mail\\|chat") != std::string::npos);
  CHECK(md.find("\\<script\\>alert(1)\\</script\\> \\& \"x\"") != std::string::npos);
  CHECK(md.find("<script>") == std::string::npos);
  std::string pack = render_report(l.repo, at("eve"), ReportFormat::Markdown);
  CHECK(pack.find("a \\| b") != std::string::npos);
  CHECK(pack.find("a | b") == std::string::npos);
}

TEST_CASE("report: the four measures and the per-round survey figures") {
  auto l = test::load({
      {"customers/anna.yaml", "name: Anna\nrole: customer\nit_contact: Erik\n"},
      {"customers/bo.yaml", "name: Bo\nrole: customer\n"},
      {"surveys/2026-06-01-h1.yaml",
       "title: H1\ndate: 2026-06-01\nscale: 10\nquestions:\n  - {id: q, text: "
       "Overall}\nresponses:\n"
       "  - {customer: anna, score: 8, answers: {q: 9}}\n  - {customer: bo, score: 7, answers: {q: "
       "6}}\n"},
  });
  std::string md = render_report(l.repo, at(), ReportFormat::Markdown);
  CHECK(md.find("- **IT contacts:** 50.0%") != std::string::npos);
  // scale 10: satisfied is ceil(4 * 10 / 5) = 8, so one of two
  CHECK(md.find("| H1 | 2026-06-01 | 2 | 7.50 of 10 | 1 | 50.0% |") != std::string::npos);
  CHECK(md.find("| H1 | Overall | 2 | 7.50 of 10 |") != std::string::npos);
}

TEST_CASE("report: the customer pack covers the account, purchasers included, and nothing else") {
  auto l = test::load({
      {"customers/anna.yaml", "name: Anna\nrole: customer\n"},
      {"customers/per.yaml", "name: Per\nrole: purchaser\ncustomer: anna\n"},
      {"customers/bo.yaml", "name: Bo\nrole: customer\n"},
      {"complaints/2026-10-01-per.yaml",
       "customer: per\nreceived: 2026-10-01\nseverity: high\nsummary: Per's complaint\nstatus: "
       "open\n"},
      {"complaints/2026-10-02-bo.yaml",
       "customer: bo\nreceived: 2026-10-02\nseverity: low\nsummary: Bo's complaint\nstatus: "
       "open\n"},
      {"meetings/2026-10-05-per.yaml",
       "date: 2026-10-05\ncustomer: per\nattendees: [Per]\ndecisions: [Go ahead]\n"
       "actions:\n  - {what: Send the plan, owner: Erik, due: 2026-11-01}\n"},
  });
  std::string md = render_report(l.repo, at("anna"), ReportFormat::Markdown);
  CHECK(md.find("# Anna") == 0);
  CHECK(md.find("Per's complaint") != std::string::npos);
  CHECK(md.find("Bo's complaint") == std::string::npos);
  CHECK(md.find("| 2026-11-01<br>overdue | Send the plan | Erik |") != std::string::npos);
  CHECK(md.find("- **Decisions:** Go ahead") != std::string::npos);
  CHECK(md.find("| Per |") != std::string::npos);
}

}  // namespace brm

namespace brm {

TEST_CASE("report: each measure against its target, and its last twelve months as line charts") {
  auto l = test::load(
      {{"customers/anna.yaml", "name: Anna\nrole: customer\nit_contact: Erik\n"},
       {"customers/bo.yaml", "name: Bo\nrole: customer\n"},
       {"complaints/2026-03-01-x.yaml",
        "customer: bo\nreceived: 2026-03-01\nseverity: low\nsummary: X\nstatus: open\n"}},
      "brm: 1\norganisation: 'Acme </style><script>'\ntargets:\n  contacts: 0.9\n"
      "  complaints_open: 0\n");
  std::string html = render_report(l.repo, at(), ReportFormat::Html);
  std::size_t charts = 0;
  for (std::size_t p = html.find("class=\"trend\" viewBox"); p != std::string::npos;
       p = html.find("class=\"trend\" viewBox", p + 1))
    ++charts;
  CHECK(charts == 4);
  CHECK(html.find("<polyline class=\"line\"") != std::string::npos);
  CHECK(html.find("<line class=\"target\"") != std::string::npos);
  CHECK(html.find("<strong>IT contacts</strong> \u00B7 target 90%") != std::string::npos);
  // Printed: numbered pages with a running header, whose text cannot close the style.
  CHECK(html.find("counter(page) \" of \" counter(pages)") != std::string::npos);
  CHECK(html.find("content: \"Acme \\3C /style>\\3C script>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  std::string md = render_report(l.repo, at(), ReportFormat::Markdown);
  CHECK(md.find("| Customers and purchasers with a contact in IT | 90% | 50.0% | missed by 40.0 "
                "points |") != std::string::npos);
  CHECK(md.find("| Complaints open | at most 0 open | 1 | missed by 1 |") != std::string::npos);
  CHECK(md.find("target 90%: missed by 40.0 points") != std::string::npos);  // in the tile
  // Twelve points, the last the as-of day; a complaint open since March shows from March.
  CHECK(md.find("| 2025-12-31 | 50.0% | 0.0% | - | 0 |") != std::string::npos);
  CHECK(md.find("| 2026-03-31 | 50.0% | 0.0% | - | 1 |") != std::string::npos);
  CHECK(md.find("| 2026-11-26 | 50.0% | 0.0% | - | 1 |") != std::string::npos);
  CHECK(md.find("| Target | 90% | - | - | at most 0 open |") != std::string::npos);
}

TEST_CASE("report: long survey titles are wrapped, and a bar on one response says so") {
  auto l = test::load({
      {"customers/anna.yaml", "name: Anna\nrole: customer\n"},
      {"customers/bo.yaml", "name: Bo\nrole: customer\n"},
      {"surveys/2026-06-01-a.yaml",
       "title: Customer satisfaction with the service desk and the workplace services 2026\n"
       "date: 2026-06-01\nresponses:\n  - {customer: anna, score: 5}\n  - {customer: bo, score: "
       "2}\n"},
      {"surveys/2026-09-01-b.yaml",
       "title: Pulse\ndate: 2026-09-01\nresponses:\n  - {customer: anna, score: 5}\n"},
  });
  std::string html = render_report(l.repo, at(), ReportFormat::Html);
  CHECK(html.find(">Customer satisfaction with the service desk</text>") != std::string::npos);
  CHECK(html.find(">and the workplace services 2026</text>") != std::string::npos);
  CHECK(html.find("50.0% \u00B7 2 responses</text>") != std::string::npos);
  CHECK(html.find("100.0% \u00B7 one response only</text>") != std::string::npos);
  CHECK(html.find("class=\"bar thin\"") != std::string::npos);
}

TEST_CASE("report: a period of its own, and the last meetings with their open actions") {
  auto l = test::load({
      {"customers/anna.yaml", "name: Anna\nrole: customer\n"},
      {"complaints/2026-06-01-x.yaml",
       "customer: anna\nreceived: 2026-06-01\nseverity: low\nsummary: X\nstatus: open\n"},
      {"meetings/2026-09-05-anna.yaml",
       "date: 2026-09-05\ncustomer: anna\nattendees: [Anna]\ndecisions: [Go ahead]\n"
       "actions:\n  - {what: Send the plan, owner: Erik, due: 2026-09-20}\n"
       "  - {what: Book a room, owner: Per, due: 2026-10-20}\n"
       "  - {what: Done already, owner: Per, due: 2026-09-10, done: 2026-09-09}\n"},
  });
  ReportOptions o = at();
  o.as_of = Date{2026, 9, 30};
  o.since = Date{2026, 7, 1};
  std::string md = render_report(l.repo, o, ReportFormat::Markdown);
  CHECK(md.find("period 2026-07-01 to 2026-09-30") != std::string::npos);
  CHECK(md.find("No complaints received in the period.") != std::string::npos);  // June is out
  std::string pack = render_report(
      l.repo,
      [&] {
        ReportOptions p = o;
        p.account = "anna";
        return p;
      }(),
      ReportFormat::Markdown);
  CHECK(pack.find("- **Decisions:** Go ahead") != std::string::npos);
  CHECK(pack.find("  - Send the plan (Erik, due 2026-09-20, overdue)\n"
                  "  - Book a room (Per, due 2026-10-20)\n") != std::string::npos);
  CHECK(pack.find("Done already (") == std::string::npos);
}

TEST_CASE("report: an empty repository reports without charts or a doubled title") {
  auto l = test::load({}, "brm: 1\n");
  std::string html = render_report(l.repo, at(), ReportFormat::Html);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("<title>Business relationship report</title>") != std::string::npos);
  CHECK(html.find("class=\"kicker\"") == std::string::npos);
  std::string md = render_report(l.repo, at(), ReportFormat::Markdown);
  CHECK(md.find("No complaints received in the period.") != std::string::npos);
  CHECK(md.find("No survey has closed by 2026-11-26.") != std::string::npos);
}

}  // namespace brm

namespace brm {
namespace {

// An agreement with a level each way, three monthly results, and an agreement of another
// customer with levels but no result.
test::Loaded delivery_repository() {
  auto result = [](std::string month, std::string end, std::string up, std::string fix) {
    return std::pair<std::string, std::string>{
        "results/" + end + "-a.yaml",
        "agreement: a\nstart: 2026-" + month + "-01\nend: " + end +
            "\nlevels:\n  - {service: mail, metric: up, achieved: " + up +
            "}\n  - {service: mail, metric: fix, achieved: " + fix + "}\n"};
  };
  return test::load({
      {"customers/anna.yaml", "name: Anna\nrole: customer\n"},
      {"customers/per.yaml", "name: Per\nrole: purchaser\ncustomer: anna\n"},
      {"customers/bo.yaml", "name: Bo\nrole: customer\n"},
      {"agreements/a.yaml",
       "title: Retail\ncustomer: anna\nstatus: active\nstart: 2026-01-01\nservices:\n"
       "  - service: mail\n    levels:\n      - {metric: up, target: 99.5, unit: percent}\n"
       "      - {metric: fix, target: 4, unit: hours}\n"
       "      - {metric: calls, target: 80, unit: percent}\n"},
      {"agreements/b.yaml",
       "title: Bo's deal\ncustomer: bo\nstatus: active\nstart: 2026-01-01\nservices:\n"
       "  - service: mail\n    levels:\n      - {metric: up, target: 99, unit: percent}\n"},
      result("08", "2026-08-31", "99.9", "3"),
      result("09", "2026-09-30", "99.7", "3.5"),
      result("10", "2026-10-31", "99.4", "3.5"),
      // Not delivered by the report's day: left out.
      result("12", "2026-12-31", "10", "99"),
      {"plans/strategy.yaml",
       "title: Strategy\ncustomer: per\ntype: strategy\nstart: 2026-01-01\nreview: 2026-11-01\n"
       "objectives: [Open stores]\nimplications: [Store systems]\nstatus: current\n"},
      {"plans/old.yaml",
       "title: Old plan\ncustomer: anna\ntype: strategy\nstart: 2024-01-01\nstatus: superseded\n"},
      {"plans/later.yaml",
       "title: Later plan\ncustomer: anna\ntype: change\nstart: 2027-01-01\nstatus: current\n"},
      {"projects/rollout.yaml",
       "title: Rollout\ncustomer: anna\nstatus: active\nhealth: amber\nmanager: Ola\n"
       "start: 2026-02-01\nplanned_end: 2026-09-30\nforecast_end: 2027-01-31\nmilestones:\n"
       "  - {what: Pilot, due: 2026-04-30, done: 2026-05-05}\n"
       "  - {what: All stores, due: 2026-09-30}\n  - {what: Review, due: 2027-01-15}\n"},
      {"projects/old.yaml",
       "title: Long done\ncustomer: anna\nstatus: done\nstart: 2024-01-01\n"
       "planned_end: 2024-06-30\nended: 2024-06-30\n"},
  });
}

}  // namespace

TEST_CASE("report: the pack shows plans in effect, projects with overdue milestones, levels") {
  auto l = delivery_repository();
  REQUIRE(l.findings.empty());
  std::string md = render_report(l.repo, at("anna"), ReportFormat::Markdown);
  CHECK(md.find("| Strategy<br>strategy, from 2026-01-01<br>for Per | Open stores | Store "
                "systems | 2026-11-01<br>overdue |") != std::string::npos);
  CHECK(md.find("Old plan") == std::string::npos);
  CHECK(md.find("Later plan") == std::string::npos);
  CHECK(md.find("| Rollout<br>manager Ola | active<br>health amber | start 2026-02-01<br>planned "
                "end 2026-09-30<br>forecast 2027-01-31<br>late | All stores, due 2026-09-30, "
                "overdue<br>Review, due 2027-01-15 |") != std::string::npos);
  CHECK(md.find("Long done") == std::string::npos);
  // Agreed against delivered: the latest result by the day, met or breached in the level's
  // direction, and the last results oldest first.
  CHECK(md.find("| mail | up | 99.5% or more | 99.4%<br>2026-10-01<br>to 2026-10-31 | breached | "
                "99.9% \u2192 99.7% \u2192 99.4%, worse |") != std::string::npos);
  CHECK(md.find("| mail | fix | 4 h or less | 3.5 h<br>2026-10-01<br>to 2026-10-31 | met | 3 h "
                "\u2192 3.5 h \u2192 3.5 h, unchanged |") != std::string::npos);
  CHECK(md.find("| mail | calls | 80% or more | - | not reported |") != std::string::npos);
  CHECK(md.find("Bo's deal") == std::string::npos);
}

TEST_CASE("report: levels agreed and delivered per agreement, and what is overdue") {
  auto l = delivery_repository();
  std::string md = render_report(l.repo, at(), ReportFormat::Markdown);
  auto levels = md.find("## Service levels agreed and delivered");
  REQUIRE(levels != std::string::npos);
  CHECK(md.find("### Anna: Retail", levels) != std::string::npos);
  CHECK(md.find("Active agreements with service levels but no result yet: Bo's deal (Bo).",
                levels) != std::string::npos);
  auto overdue = md.find("## Overdue on 2026-11-26");
  REQUIRE(overdue != std::string::npos);
  CHECK(md.find("| Overdue milestone | 2026-09-30 | 57 | All stores (project Rollout, manager "
                "Ola; Anna) |",
                overdue) != std::string::npos);
  CHECK(md.find("| Plan review due | 2026-11-01 | 25 | Strategy (Per): review overdue |",
                overdue) != std::string::npos);
  // Breached levels and items ahead are on the agenda, not overdue.
  CHECK(md.find("Level breached", overdue) == std::string::npos);
  CHECK(md.find("Review, due", overdue) == std::string::npos);
}

}  // namespace brm

#include "brm/measure.hpp"

namespace brm {
namespace {

// A survey round whose two respondents answer `below` and `at`, the threshold's edge.
std::pair<std::string, std::string> edge_survey(const std::string& title, const std::string& scale,
                                                int below, int at) {
  return {"surveys/2026-06-01-edge.yaml",
          "title: " + title + "\ndate: 2026-06-01\n" + scale + "responses:\n" +
              "  - {customer: anna, score: " + std::to_string(below) + "}\n" +
              "  - {customer: bo, score: " + std::to_string(at) + "}\n"};
}

}  // namespace

// The satisfied threshold is MEASURES.md's ceil(satisfied * scale / brm.yaml scale); the
// measure and the report's rounds must agree on it, the answer exactly at it counting.
TEST_CASE("report and measure: one satisfied threshold on every survey scale") {
  struct Case {
    const char* settings;
    const char* scale;  // the survey's own, or none
    int below, at;      // the scores either side of the threshold
  };
  const Case cases[] = {
      {"", "scale: 5\n", 3, 4},                                        // 4 as it is
      {"", "scale: 10\n", 7, 8},                                       // 4 * 10 / 5 = 8
      {"", "scale: 7\n", 5, 6},                                        // 5.6 rounds up to 6
      {"", "", 3, 4},                                                  // brm.yaml's own scale
      {"survey:\n  scale: 10\n  satisfied: 7\n", "scale: 5\n", 3, 4},  // 3.5 rounds up to 4
      {"survey:\n  scale: 10\n  satisfied: 7\n", "", 6, 7},
  };
  for (const Case& c : cases) {
    std::string where = std::string(c.settings) + c.scale;
    CAPTURE(where);
    auto l = test::load({{"customers/anna.yaml", "name: Anna\nrole: customer\n"},
                         {"customers/bo.yaml", "name: Bo\nrole: customer\n"},
                         edge_survey("Edge", c.scale, c.below, c.at)},
                        std::string("brm: 1\norganisation: Test\n") + c.settings);
    for (const Diagnostic& d : l.findings) FAIL_CHECK(format_text(d));
    REQUIRE(l.repo.of(KindId::Survey).size() == 1);
    CHECK(satisfied_threshold(l.repo.of(KindId::Survey).front(), l.repo.settings) == c.at);
    Measures m = compute_measures(l.repo, Date{2026, 11, 26});
    CHECK(m.responses == 2);
    CHECK(m.satisfied == 1);
    std::string md = render_report(l.repo, at(), ReportFormat::Markdown);
    // The round's row: title, date, responses, mean, satisfied, CSAT.
    auto row = md.find("| Edge | 2026-06-01 | 2 |");
    REQUIRE(row != std::string::npos);
    CHECK(md.substr(row, md.find('\n', row) - row).ends_with("| 1 | 50.0% |"));
  }
}

}  // namespace brm

#include "brm/agenda.hpp"

#include <doctest/doctest.h>

#include "brm/error.hpp"
#include "brm/json.hpp"
#include "repo_fixture.hpp"

namespace brm {
namespace {

const Date today_{2026, 11, 26};

std::vector<AgendaItem> agenda(const test::Loaded& l, std::string account = {},
                               std::optional<int> days = {}) {
  AgendaOptions o;
  o.today = today_;
  o.account = std::move(account);
  o.days = days;
  return build_agenda(l.repo, o);
}

std::vector<const AgendaItem*> of(const std::vector<AgendaItem>& items, AgendaCategory c) {
  std::vector<const AgendaItem*> out;
  for (const AgendaItem& i : items)
    if (i.category == c) out.push_back(&i);
  return out;
}

const std::pair<std::string, std::string> anna = {
    "customers/anna.yaml", "name: Anna Berg\nrole: customer\nit_contact: Erik Lund\n"};
const std::pair<std::string, std::string> per = {
    "customers/per.yaml",
    "name: Per Holm\nrole: purchaser\ncustomer: anna\nit_contact: Erik Lund\n"};
const std::pair<std::string, std::string> bo = {"customers/bo.yaml",
                                                "name: Bo Ek\nrole: customer\n"};
const std::pair<std::string, std::string> written = {
    "agreements/anna-2026.yaml",
    "title: Retail 2026\ncustomer: anna\nstatus: active\nsigned: 2025-12-01\nstart: 2026-01-01\n"
    "services:\n  - service: email\n"};
const std::pair<std::string, std::string> recent_meeting = {
    "meetings/2026-11-01-anna.yaml", "date: 2026-11-01\ncustomer: anna\nattendees: [Anna Berg]\n"};

}  // namespace

TEST_CASE("agenda: open actions are overdue before today, due within the window, else left out") {
  auto l = test::load({anna,
                       written,
                       {"meetings/2026-11-01-per.yaml",
                        "date: 2026-11-01\ncustomer: per\nattendees: [Per Holm]\nactions:\n"
                        "  - {what: Late, owner: Erik, due: 2026-11-25}\n"
                        "  - {what: Done, owner: Erik, due: 2026-11-20, done: 2026-11-21}\n"
                        "  - {what: Today, owner: Erik, due: 2026-11-26}\n"
                        "  - {what: Soon, owner: Erik, due: 2026-12-06}\n"
                        "  - {what: Later, owner: Erik, due: 2027-06-01}\n"},
                       per});
  auto items = agenda(l, {}, 10);
  auto overdue = of(items, AgendaCategory::OverdueAction);
  REQUIRE(overdue.size() == 1);
  CHECK(overdue[0]->action == 1);
  CHECK(overdue[0]->days == 1);
  CHECK(overdue[0]->account == "anna");  // the purchaser's meeting rolls up
  CHECK(overdue[0]->urgency == Urgency::High);
  auto due = of(items, AgendaCategory::ActionDue);
  REQUIRE(due.size() == 2);
  CHECK(due[0]->action == 3);
  CHECK(due[0]->days == 0);
  CHECK(due[1]->action == 4);
  CHECK(due[1]->days == -10);
}

TEST_CASE(
    "agenda: agreement reviews and ends within the window; an active agreement past its end") {
  auto l = test::load(
      {anna,
       recent_meeting,
       {"agreements/a.yaml",
        "title: A\ncustomer: anna\nstatus: active\nsigned: 2025-01-01\nstart: 2025-01-01\n"
        "end: 2027-01-25\nreview: 2026-12-01\nservices:\n  - service: email\n"},
       {"agreements/b.yaml",
        "title: B\ncustomer: anna\nstatus: active\nsigned: 2025-01-01\nstart: 2025-01-01\n"
        "end: 2026-10-31\nservices:\n  - service: email\n"},
       {"agreements/c.yaml",
        "title: C\ncustomer: anna\nstatus: expired\nstart: 2024-01-01\nend: 2024-12-31\n"
        "review: 2024-10-01\nservices:\n  - service: email\n"}});
  auto items = agenda(l);  // window: review_warning_days, 60
  auto review = of(items, AgendaCategory::AgreementReview);
  REQUIRE(review.size() == 1);
  CHECK(review[0]->id == "a");
  CHECK(review[0]->days == -5);
  auto ending = of(items, AgendaCategory::AgreementEnding);
  REQUIRE(ending.size() == 1);
  CHECK(ending[0]->id == "a");
  CHECK(ending[0]->days == -60);
  auto ended = of(items, AgendaCategory::AgreementEnded);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0]->id == "b");
  CHECK(ended[0]->days == 26);
  // a's end is outside a shorter window
  CHECK(of(agenda(l, {}, 59), AgendaCategory::AgreementEnding).empty());
}

TEST_CASE("agenda: open complaints oldest first, with their age; closed ones are not listed") {
  auto complaint = [](std::string received, std::string status, std::string severity) {
    std::string text = "customer: per\nreceived: " + received + "\nseverity: " + severity +
                       "\nsummary: S\nstatus: " + status + "\n";
    if (status == "resolved") text += "closed: 2026-11-20\nresolution: fixed\n";
    return text;
  };
  auto l = test::load(
      {anna,
       per,
       written,
       recent_meeting,
       {"complaints/2026-11-20-new.yaml", complaint("2026-11-20", "open", "high")},
       {"complaints/2026-09-01-old.yaml", complaint("2026-09-01", "in-progress", "low")},
       {"complaints/2026-08-01-done.yaml", complaint("2026-08-01", "resolved", "high")}});
  auto items = agenda(l);
  auto open = of(items, AgendaCategory::OpenComplaint);
  REQUIRE(open.size() == 2);
  CHECK(open[0]->id == "2026-09-01-old");
  CHECK(open[0]->days == 86);
  CHECK(open[0]->urgency == Urgency::Low);
  CHECK(open[1]->id == "2026-11-20-new");
  CHECK(open[1]->urgency == Urgency::High);
  CHECK(open[1]->account == "anna");
}

TEST_CASE(
    "agenda: customers not met within meeting_interval_days, meetings with purchasers counting") {
  auto l = test::load(
      {anna,
       per,
       bo,
       written,
       {"meetings/2026-09-01-per.yaml", "date: 2026-09-01\ncustomer: per\nattendees: [P]\n"},
       {"meetings/2026-05-01-bo.yaml", "date: 2026-05-01\ncustomer: bo\nattendees: [B]\n"},
       {"meetings/2026-12-10-bo.yaml", "date: 2026-12-10\ncustomer: bo\nattendees: [B]\n"}});
  auto all = agenda(l);
  auto none = of(all, AgendaCategory::NoMeeting);
  REQUIRE(none.size() == 1);
  CHECK(none[0]->id == "bo");
  CHECK(none[0]->date == Date{2026, 5, 1});
  CHECK(none[0]->message.find("next meeting planned 2026-12-10") != std::string::npos);

  auto never = test::load({bo});
  auto never_items = agenda(never);
  auto items = of(never_items, AgendaCategory::NoMeeting);
  REQUIRE(items.size() == 1);
  CHECK_FALSE(items[0]->date);
  CHECK(items[0]->message.find("never met") != std::string::npos);
}

TEST_CASE("agenda: missing IT contacts and written agreements follow the measures' definitions") {
  auto l = test::load(
      {anna,
       bo,
       written,
       recent_meeting,
       {"customers/ida.yaml", "name: Ida\nrole: purchaser\ncustomer: bo\nit_contact: '  '\n"},
       {"customers/old.yaml", "name: Old\nrole: customer\nstatus: inactive\n"},
       {"customers/new.yaml", "name: New\nrole: customer\nsince: 2027-01-01\n"},
       {"agreements/bo-draft.yaml",
        "title: Draft\ncustomer: bo\nstatus: active\nstart: 2026-01-01\n"
        "services:\n  - service: email\n"}});
  auto items = agenda(l);
  auto contact = of(items, AgendaCategory::NoItContact);
  REQUIRE(contact.size() == 2);
  CHECK(contact[0]->id == "bo");
  CHECK(contact[1]->id == "ida");  // a blank contact is no contact
  CHECK(contact[1]->account == "bo");
  auto agreement = of(items, AgendaCategory::NoWrittenAgreement);
  REQUIRE(agreement.size() == 1);
  CHECK(agreement[0]->id == "bo");  // active but not signed
  CHECK(agreement[0]->message.find("1 agreement, none active") != std::string::npos);
}

const std::pair<std::string, std::string> levels_agreed = {
    "agreements/anna-2026.yaml",
    "title: Retail 2026\ncustomer: anna\nstatus: active\nsigned: 2025-12-01\nstart: 2026-01-01\n"
    "services:\n  - service: email\n    levels:\n      - metric: up\n        target: 99.5\n"
    "        unit: percent\n      - metric: fix\n        target: 4\n        unit: hours\n"};

std::pair<std::string, std::string> result(std::string id, std::string start, std::string end,
                                           std::string up, std::string fix) {
  return {"results/" + id + ".yaml", "agreement: anna-2026\nstart: " + start + "\nend: " + end +
                                         "\nlevels:\n  - service: email\n    metric: up\n"
                                         "    achieved: " +
                                         up +
                                         "\n  - service: email\n    metric: fix\n"
                                         "    achieved: " +
                                         fix + "\n"};
}

TEST_CASE("agenda: the levels breached in each agreement's latest result, and only those") {
  // September missed both levels; October, the latest, misses only the hours to fix.
  // A result whose period ends after today is not delivered yet.
  auto l = test::load({anna, levels_agreed, result("sep", "2026-09-01", "2026-09-30", "98", "9"),
                       result("oct", "2026-10-01", "2026-10-31", "99.5", "4.5"),
                       result("dec", "2026-12-01", "2026-12-31", "90", "90")});
  REQUIRE(l.findings.empty());
  auto items = agenda(l);
  auto breached = of(items, AgendaCategory::BreachedLevel);
  REQUIRE(breached.size() == 1);
  CHECK(breached[0]->id == "oct");
  CHECK(breached[0]->kind == KindId::Result);
  CHECK(breached[0]->date == Date{2026, 10, 31});
  CHECK(breached[0]->message ==
        "Retail 2026 (Anna Berg): email fix 4.5 h against 4 h agreed (2026-10-01 to 2026-10-31)");
  // Lower is better for hours: exactly on the target is met.
  auto met =
      test::load({anna, levels_agreed, result("oct", "2026-10-01", "2026-10-31", "99.5", "4")});
  CHECK(of(agenda(met), AgendaCategory::BreachedLevel).empty());
}

const std::pair<std::string, std::string> project_of(std::string id, std::string fields) {
  return {"projects/" + id + ".yaml",
          "title: " + id + "\ncustomer: anna\nstart: 2026-01-01\nmanager: Ola Nordmann\n" + fields};
}

TEST_CASE("agenda: projects late or red, and their overdue milestones with the manager as owner") {
  auto l =
      test::load({anna,
                  project_of("late",
                             "status: active\nhealth: green\nplanned_end: 2026-12-31\n"
                             "forecast_end: 2027-02-01\nmilestones:\n"
                             "  - {what: Pilot, due: 2026-11-25}\n"
                             "  - {what: Done one, due: 2026-10-01, done: 2026-10-02}\n"
                             "  - {what: Today, due: 2026-11-26}\n"),
                  project_of("red", "status: active\nhealth: red\nplanned_end: 2027-06-30\n"),
                  project_of("fine", "status: active\nhealth: amber\nplanned_end: 2027-06-30\n"),
                  project_of("ended",
                             "status: done\nplanned_end: 2026-06-30\nended: 2026-07-01\n"
                             "milestones:\n  - {what: Old, due: 2026-05-01}\n")});
  REQUIRE(l.findings.empty());
  auto items = agenda(l);
  auto late = of(items, AgendaCategory::LateProject);
  REQUIRE(late.size() == 2);
  CHECK(late[0]->id == "late");
  CHECK(late[0]->message ==
        "late (Anna Berg): late, planned end 2026-12-31, forecast 2027-02-01; health green");
  CHECK(late[0]->urgency == Urgency::Medium);
  CHECK_FALSE(is_overdue(*late[0]));  // late by its forecast; its planned end is ahead
  CHECK(late[1]->id == "red");
  CHECK(late[1]->message == "red (Anna Berg): health red");
  CHECK(late[1]->urgency == Urgency::High);
  auto milestones = of(items, AgendaCategory::OverdueMilestone);
  REQUIRE(milestones.size() == 1);
  CHECK(milestones[0]->message == "Pilot (project late, manager Ola Nordmann; Anna Berg)");
  CHECK(milestones[0]->days == 1);
  CHECK(is_overdue(*milestones[0]));
  // --owner: the manager's milestones, not the projects themselves.
  AgendaOptions o;
  o.today = today_;
  o.owner = " ola NORDMANN";
  auto owned = build_agenda(l.repo, o);
  REQUIRE(owned.size() == 1);
  CHECK(owned[0].category == AgendaCategory::OverdueMilestone);
}

TEST_CASE("agenda: current plans due for review within the window, and open escalations") {
  auto plan = [](std::string id, std::string review, std::string status) {
    return std::pair<std::string, std::string>{"plans/" + id + ".yaml",
                                               "title: " + id +
                                                   "\ncustomer: anna\ntype: strategy\n"
                                                   "start: 2026-01-01\nreview: " +
                                                   review + "\nstatus: " + status + "\n"};
  };
  auto complaint = [](std::string id, std::string rest) {
    return std::pair<std::string, std::string>{
        "complaints/" + id + ".yaml",
        "customer: anna\nreceived: 2026-10-01\nseverity: high\nsummary: " + id + "\n" + rest};
  };
  auto l = test::load(
      {anna, plan("missed", "2026-11-01", "current"), plan("soon", "2027-01-25", "current"),
       plan("later", "2027-01-26", "current"), plan("old", "2026-01-01", "superseded"),
       complaint("up", "status: open\nescalation: {date: 2026-10-05, to: IT steering group}\n"),
       complaint("done",
                 "status: resolved\nclosed: 2026-10-20\nresolution: R\n"
                 "escalation: {date: 2026-10-05, to: IT steering group}\n"),
       complaint("plain", "status: in-progress\n")});
  REQUIRE(l.findings.empty());
  auto items = agenda(l);
  auto plans = of(items, AgendaCategory::PlanReview);
  REQUIRE(plans.size() == 2);
  CHECK(plans[0]->message == "missed (Anna Berg): review overdue");
  CHECK(plans[0]->urgency == Urgency::High);
  CHECK(is_overdue(*plans[0]));
  CHECK(plans[1]->message == "soon (Anna Berg): review due");
  CHECK_FALSE(is_overdue(*plans[1]));
  auto escalated = of(items, AgendaCategory::OpenEscalation);
  REQUIRE(escalated.size() == 1);
  CHECK(escalated[0]->id == "up");
  CHECK(escalated[0]->message == "up (Anna Berg): escalated to IT steering group");
  CHECK(escalated[0]->date == Date{2026, 10, 5});
}

TEST_CASE("agenda: --customer keeps one account, its purchasers included") {
  auto l = test::load(
      {anna,
       per,
       bo,
       {"complaints/2026-11-01-x.yaml",
        "customer: per\nreceived: 2026-11-01\nseverity: low\nsummary: S\nstatus: open\n"}});
  auto items = agenda(l, "anna");
  CHECK_FALSE(items.empty());
  for (const AgendaItem& i : items) CHECK(i.account == "anna");
  CHECK(of(items, AgendaCategory::OpenComplaint).size() == 1);
  CHECK(account_for(l.repo, "per") == "anna");
  CHECK(account_for(l.repo, "anna") == "anna");
  CHECK_THROWS_AS(account_for(l.repo, "anne"), Error);
}

TEST_CASE("agenda: the categories come in order of urgency") {
  auto l = test::load({bo,
                       {"meetings/2026-01-01-bo.yaml",
                        "date: 2026-01-01\ncustomer: bo\nattendees: [B]\nactions:\n"
                        "  - {what: W, owner: O, due: 2026-02-01}\n"}});
  auto items = agenda(l);
  REQUIRE(items.size() == 4);
  CHECK(items[0].category == AgendaCategory::OverdueAction);
  CHECK(items[1].category == AgendaCategory::NoMeeting);
  CHECK(items[2].category == AgendaCategory::NoItContact);
  CHECK(items[3].category == AgendaCategory::NoWrittenAgreement);
}

TEST_CASE("agenda: JSON items have the same keys, null where an item has no value") {
  auto l = test::load({bo});
  Value doc;
  JsonError err;
  REQUIRE(parse_json(agenda_json(agenda(l)), &doc, &err));
  REQUIRE(doc.entries().size() == 2);
  CHECK(doc.entries()[0].key == "version");
  CHECK(doc.entries()[0].value.as_int() == 1);
  REQUIRE(doc.find("items"));
  const Value& v = *doc.find("items");
  REQUIRE(v.is_sequence());
  REQUIRE(v.size() == 3);
  for (const Value& item : v.items()) {
    std::vector<std::string> keys;
    for (const auto& e : item.entries()) keys.push_back(e.key);
    CHECK(keys == std::vector<std::string>{"category", "urgency", "kind", "id", "path", "account",
                                           "action", "date", "days", "message"});
  }
  CHECK(v.items()[0].find("category")->as_string() == "no-meeting");
  CHECK(v.items()[0].find("date")->is_null());
  CHECK(v.items()[0].find("path")->as_string() == "customers/bo.yaml");
}

TEST_CASE("agenda: Markdown escapes record text; the terminal never sees control characters") {
  auto l = test::load({{"customers/bo.yaml", "name: \"Bo *Ek* | \\e[31mred\"\nrole: customer\n"}});
  AgendaHeading h{"Org", today_, 60, "", ""};
  std::string md = agenda_markdown(agenda(l), h);
  CHECK(md.find("Bo \\*Ek\\* \\| \\[31mred") != std::string::npos);
  std::string text = agenda_text(agenda(l), h, false);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("Customers not met recently (1)") != std::string::npos);
}

}  // namespace brm

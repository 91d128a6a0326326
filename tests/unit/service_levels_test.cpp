// Service levels agreed and delivered: which way is better, met and breached.
#include "brm/service_levels.hpp"

#include <doctest/doctest.h>

#include "brm/record_status.hpp"
#include "repo_fixture.hpp"

using namespace brm;
using brm::test::load;

TEST_CASE("service levels: better defaults by unit, and an explicit better wins") {
  CHECK(higher_is_better("percent", ""));
  CHECK(higher_is_better("count", ""));
  CHECK_FALSE(higher_is_better("hours", ""));
  CHECK_FALSE(higher_is_better("minutes", ""));
  CHECK_FALSE(higher_is_better("days", ""));
  CHECK_FALSE(higher_is_better("count", "lower"));
  CHECK(higher_is_better("hours", "higher"));
}

TEST_CASE("service levels: met is on or beyond the target in the better direction") {
  AgreedLevel up{"email", "availability", "percent", 99.5, true};
  CHECK(up.is_met(99.5));
  CHECK(up.is_met(99.9));
  CHECK_FALSE(up.is_met(99.4));
  AgreedLevel down{"email", "p1 resolution", "hours", 4, false};
  CHECK(down.is_met(4));
  CHECK(down.is_met(3));
  CHECK_FALSE(down.is_met(4.5));
}

TEST_CASE("service levels: a result is breached when any level misses its agreed target") {
  auto l = load({{"customers/c.yaml", "name: C\nrole: customer\n"},
                 {"agreements/a.yaml",
                  "title: A\ncustomer: c\nstatus: draft\nstart: 2026-01-01\nservices:\n"
                  "  - service: email\n    levels:\n      - metric: up\n        target: 99\n"
                  "        unit: percent\n      - metric: reopened\n        target: 10\n"
                  "        unit: count\n        better: lower\n"},
                 {"results/met.yaml",
                  "agreement: a\nstart: 2026-01-01\nend: 2026-01-31\nlevels:\n"
                  "  - service: email\n    metric: up\n    achieved: 99\n"
                  "  - service: email\n    metric: reopened\n    achieved: 10\n"},
                 {"results/breached.yaml",
                  "agreement: a\nstart: 2026-02-01\nend: 2026-02-28\nlevels:\n"
                  "  - service: email\n    metric: up\n    achieved: 99.5\n"
                  "  - service: email\n    metric: reopened\n    achieved: 11\n"}});
  CHECK(l.findings.empty());
  const Record* met = l.repo.find(KindId::Result, "met");
  const Record* breached = l.repo.find(KindId::Result, "breached");
  REQUIRE(met);
  REQUIRE(breached);
  Date today = *Date::parse("2026-11-26");
  CHECK_FALSE(result_breached(l.repo, *met, today));
  CHECK(result_breached(l.repo, *breached, today));
  auto levels = delivered_levels(l.repo, *breached);
  REQUIRE(levels.size() == 2);
  CHECK_FALSE(levels[0].is_breached());
  CHECK(levels[1].is_breached());
  REQUIRE(levels[1].agreed);
  CHECK(levels[1].agreed->target == 10);
}

TEST_CASE("record status: a project is late when not ended and behind its plan") {
  auto project = [](std::string fields) {
    return std::pair<std::string, std::string>{
        "projects/p.yaml",
        "title: P\ncustomer: c\nstatus: active\nhealth: green\n"
        "start: 2026-01-01\n" +
            fields};
  };
  Date today = *Date::parse("2026-11-26");
  auto late = [&](std::string fields) {
    auto l = load({{"customers/c.yaml", "name: C\nrole: customer\n"}, project(fields)});
    const Record* p = l.repo.find(KindId::Project, "p");
    REQUIRE(p);
    return project_late(l.repo, *p, today);
  };
  CHECK_FALSE(late("planned_end: 2026-12-31\n"));
  CHECK_FALSE(late("planned_end: 2026-11-26\n"));  // due today is not past
  CHECK(late("planned_end: 2026-11-25\n"));
  CHECK(late("planned_end: 2026-12-31\nforecast_end: 2027-01-01\n"));
  CHECK_FALSE(late("planned_end: 2026-12-31\nforecast_end: 2026-12-31\n"));
}

TEST_CASE("record status: a milestone is overdue when open and due before today") {
  Date today = *Date::parse("2026-11-26");
  auto overdue = [&](std::string fields) {
    auto l =
        load({{"customers/c.yaml", "name: C\nrole: customer\n"},
              {"projects/p.yaml",
               "title: P\ncustomer: c\nstart: 2026-01-01\nplanned_end: 2027-12-31\n" + fields}});
    const Record* p = l.repo.find(KindId::Project, "p");
    REQUIRE(p);
    return project_overdue_milestone(l.repo, *p, today);
  };
  std::string active = "status: active\nhealth: green\n";
  CHECK_FALSE(overdue(active));  // no milestones at all
  CHECK(overdue(active + "milestones:\n  - what: M\n    due: 2026-11-25\n"));
  CHECK_FALSE(overdue(active + "milestones:\n  - what: M\n    due: 2026-11-26\n"));  // due today
  CHECK_FALSE(
      overdue(active + "milestones:\n  - what: M\n    due: 2026-11-25\n    done: 2026-11-27\n"));
  // Any one open milestone in the past is enough, wherever it stands in the list.
  CHECK(overdue(active + "milestones:\n  - what: A\n    due: 2026-01-31\n    done: 2026-01-30\n"
                         "  - what: B\n    due: 2026-12-31\n  - what: C\n    due: 2026-10-01\n"));
  // An ended project has nothing overdue any more.
  CHECK_FALSE(
      overdue("status: done\nended: 2026-11-01\nmilestones:\n  - what: M\n"
              "    due: 2026-10-01\n"));
}

TEST_CASE("service levels: an agreement's levels, its results by the day, what each reports") {
  auto l = load({{"customers/c.yaml", "name: C\nrole: customer\n"},
                 {"agreements/a.yaml",
                  "title: A\ncustomer: c\nstatus: active\nstart: 2026-01-01\nservices:\n"
                  "  - service: desk\n  - service: email\n    levels:\n"
                  "      - {metric: up, target: 99.5, unit: percent}\n"
                  "      - {metric: fix, target: 4, unit: hours}\n"
                  "      - {metric: reopened, target: 10, unit: count, better: lower}\n"},
                 {"agreements/b.yaml",
                  "title: B\ncustomer: c\nstatus: active\nstart: 2026-01-01\nservices:\n"
                  "  - service: email\n    levels:\n"
                  "      - {metric: up, target: 99, unit: percent}\n"},
                 {"results/oct.yaml",
                  "agreement: a\nstart: 2026-10-01\nend: 2026-10-31\nlevels:\n"
                  "  - {service: email, metric: up, achieved: 99.41}\n"},
                 {"results/sep.yaml",
                  "agreement: a\nstart: 2026-09-01\nend: 2026-09-30\nlevels:\n"
                  "  - {service: email, metric: up, achieved: 99.9}\n"
                  "  - {service: email, metric: fix, achieved: 3}\n"},
                 {"results/b-oct.yaml",
                  "agreement: b\nstart: 2026-10-01\nend: 2026-10-31\nlevels:\n"
                  "  - {service: email, metric: up, achieved: 98}\n"}});
  REQUIRE(l.findings.empty());
  const Record* a = l.repo.find(KindId::Agreement, "a");
  REQUIRE(a);
  auto levels = agreed_levels(*a);
  REQUIRE(levels.size() == 3);  // the service without levels has none
  CHECK(levels[0].metric == "up");
  CHECK(levels[1].metric == "fix");
  CHECK_FALSE(levels[1].higher_is_better);
  CHECK(levels[2].target == 10);
  CHECK_FALSE(levels[2].higher_is_better);

  // Oldest first, only this agreement's, only those ended by the day.
  auto results = results_of(l.repo, "a", Date{2026, 11, 26});
  REQUIRE(results.size() == 2);
  CHECK(results[0]->id == "sep");
  CHECK(results[1]->id == "oct");
  auto by_october = results_of(l.repo, "a", Date{2026, 10, 30});
  REQUIRE(by_october.size() == 1);
  CHECK(by_october[0]->id == "sep");

  CHECK(achieved_in(*results[1], "email", "up") == 99.41);
  CHECK_FALSE(achieved_in(*results[1], "email", "fix"));  // October does not report it
  CHECK(achieved_in(*results[0], "email", "fix") == 3);

  CHECK(level_trend(levels[0], 99.9, 99.41) == LevelTrend::Worse);
  CHECK(level_trend(levels[0], 99.41, 99.9) == LevelTrend::Better);
  CHECK(level_trend(levels[1], 5, 3) == LevelTrend::Better);  // fewer hours is better
  CHECK(level_trend(levels[1], 3, 3) == LevelTrend::Steady);

  CHECK(level_figure(99.41, "percent") == "99.41%");
  CHECK(level_figure(6.5, "hours") == "6.5 h");
  CHECK(level_figure(15, "minutes") == "15 min");
  CHECK(level_figure(2, "days") == "2 d");
  CHECK(level_figure(1000000, "count") == "1000000");
}

// What a record's fields mean for the relationship manager's attention: a complaint
// still open, a meeting's actions overdue, a project late, a plan due for review, a
// result with a level breached. Lists, the agenda and reports ask the same questions.
#pragma once

#include "brm/date.hpp"
#include "brm/repository.hpp"

namespace brm {

// Not resolved or rejected.
bool complaint_open(const Repository& repo, const Record& complaint, Date today);
// With actions not done.
bool meeting_open(const Repository& repo, const Record& meeting, Date today);
// With an action not done whose due date is past.
bool meeting_overdue(const Repository& repo, const Record& meeting, Date today);
// Proposed or accepted.
bool requirement_open(const Repository& repo, const Record& requirement, Date today);
// Not ended, and its forecast_end is later than its planned_end or its planned_end is
// past.
bool project_late(const Repository& repo, const Record& project, Date today);
// A milestone that is not done and whose due date is past.
bool project_overdue_milestone(const Repository& repo, const Record& project, Date today);
// Current, with a review on or before today + review_warning_days.
bool plan_due(const Repository& repo, const Record& plan, Date today);
// A level not met (FORMAT.md: achieved against the agreement's target, by `better`).
bool result_breached(const Repository& repo, const Record& result, Date today);

// The open actions of a meeting (mappings without `done`).
std::size_t open_actions(const Record& meeting);

}  // namespace brm

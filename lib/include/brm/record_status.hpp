// What a record's fields mean for the relationship manager's attention: a complaint
// still open, a meeting's actions overdue. Lists, the agenda and reports ask the same
// questions.
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
// The open actions of a meeting (mappings without `done`).
std::size_t open_actions(const Record& meeting);

}  // namespace brm

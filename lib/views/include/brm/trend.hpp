// Trends by the records' own dates (MEASURES.md, "History"): the figures at each month or
// quarter end, computed from the records as they are now. Unlike compute_trend, which
// reads the git history, this needs no history at all: a one-commit repository, or data
// entered after the fact, has a trend too.
#pragma once

#include <vector>

#include "brm/date.hpp"
#include "brm/history.hpp"
#include "brm/repository.hpp"

namespace brm {

// The period ends of a trend: from..to when `from` is given, else the twelve period ends
// up to `to` (MEASURES.md's default range).
std::vector<Date> trend_ends(TrendStep step, std::optional<Date> from, Date to);

// One row per day in `ends`, each the figures (without by_account) with as_of = that day
// and the year up to it as the period. The rows carry no commit.
Trend compute_date_trend(const Repository& repo, const std::vector<Date>& ends);

// The days a report's trend chart shows: the ends of the eleven months before as_of's
// month, and as_of itself, so that the last point is the report's own figure.
std::vector<Date> report_trend_days(Date as_of);

}  // namespace brm

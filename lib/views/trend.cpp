// The date trend: compute_measures at each period end, over one loaded repository. Every
// figure of MEASURES.md is already defined for any as_of, so a trend by the records' own
// dates is nothing but that definition applied at each end.
#include "brm/trend.hpp"

#include "brm/measure.hpp"

namespace brm {

namespace {

Date months_before(Date d, int months) {
  int index = d.year * 12 + (d.month - 1) - months;
  return Date{index / 12, index % 12 + 1, 1};
}

}  // namespace

std::vector<Date> trend_ends(TrendStep step, std::optional<Date> from, Date to) {
  if (from) return period_ends(step, *from, to);
  int months = step == TrendStep::Monthly ? 1 : 3;
  // Twelve periods back is far enough: the first day of the month 12 steps earlier.
  std::vector<Date> ends = period_ends(step, months_before(to, 12 * months), to);
  if (ends.size() > 12) ends.erase(ends.begin(), ends.end() - 12);
  return ends;
}

Trend compute_date_trend(const Repository& repo, const std::vector<Date>& ends) {
  Trend trend;
  trend.by_commit = false;
  std::size_t left_out = 0;
  for (const auto& records : repo.records)
    for (const Record& r : records) left_out += !r.valid;
  for (Date end : ends) {
    TrendRow row;
    row.period_end = end;
    row.measures = compute_measures(repo, end, std::nullopt, MeasureDetail::Figures);
    row.measures.left_out = left_out;
    trend.rows.push_back(std::move(row));
  }
  return trend;
}

std::vector<Date> report_trend_days(Date as_of) {
  std::vector<Date> days;
  for (int back = 11; back >= 1; --back) days.push_back(months_before(as_of, back).end_of_month());
  days.push_back(as_of);
  return days;
}

}  // namespace brm

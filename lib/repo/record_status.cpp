// The attention questions of record_status.hpp, each from FORMAT.md's fields.
#include "brm/record_status.hpp"

#include <algorithm>
#include <span>

#include "brm/service_levels.hpp"

namespace brm {
namespace {

std::span<const Value> items_of(const Record& r, std::string_view list) {
  const Value* v = r.field(list);
  return v ? v->items() : std::span<const Value>();
}

std::optional<Date> date_in(const Value& item, std::string_view key) {
  const Value* v = item.find(key);
  return v && v->is_string() ? Date::parse(v->as_string()) : std::nullopt;
}

// Items that are not done and whose due date is before today (actions, milestones).
bool any_overdue(std::span<const Value> items, Date today) {
  return std::any_of(items.begin(), items.end(), [&](const Value& i) {
    auto due = date_in(i, "due");
    return i.is_mapping() && !i.find("done") && due && *due < today;
  });
}

}  // namespace

bool complaint_open(const Repository&, const Record& r, Date) {
  std::string_view s = r.text("status");
  return s != "resolved" && s != "rejected";
}

std::size_t open_actions(const Record& r) {
  auto actions = items_of(r, "actions");
  return static_cast<std::size_t>(std::count_if(actions.begin(), actions.end(), [](const Value& a) {
    return a.is_mapping() && !a.find("done");
  }));
}

bool meeting_open(const Repository&, const Record& r, Date) { return open_actions(r) > 0; }

bool meeting_overdue(const Repository&, const Record& r, Date today) {
  return any_overdue(items_of(r, "actions"), today);
}

bool requirement_open(const Repository&, const Record& r, Date) {
  std::string_view s = r.text("status");
  return s == "proposed" || s == "accepted";
}

bool project_late(const Repository&, const Record& r, Date today) {
  if (r.field("ended")) return false;
  auto planned = r.date("planned_end");
  if (!planned) return false;
  auto forecast = r.date("forecast_end");
  return *planned < today || (forecast && *forecast > *planned);
}

bool project_overdue_milestone(const Repository&, const Record& r, Date today) {
  return !r.field("ended") && any_overdue(items_of(r, "milestones"), today);
}

bool plan_due(const Repository& repo, const Record& r, Date today) {
  auto review = r.date("review");
  return r.text("status") == "current" && review &&
         *review <= today.add_days(repo.settings.review_warning_days);
}

bool result_breached(const Repository& repo, const Record& r, Date) {
  auto levels = delivered_levels(repo, r);
  return std::any_of(levels.begin(), levels.end(),
                     [](const DeliveredLevel& l) { return l.is_breached(); });
}

}  // namespace brm

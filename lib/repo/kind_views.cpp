// How `brm KIND list` and `show` present each kind: its columns, its list filters, and how
// its records show among the records that refer to another. Apart from the kinds' table,
// which the loader and the schemas read, because these read the repository model.
#include "brm/kind_views.hpp"

#include <fmt/format.h>

#include <string>

#include "brm/record_status.hpp"
#include "brm/service_levels.hpp"

namespace brm {
namespace {

using K = KindId;

std::size_t count_of(const Record& r, std::string_view list) {
  const Value* v = r.field(list);
  return v ? v->items().size() : 0;
}

std::string attendees_cell(const Repository&, const Record& r, Date) {
  return std::to_string(count_of(r, "attendees"));
}
std::string open_actions_cell(const Repository&, const Record& r, Date) {
  return std::to_string(open_actions(r));
}
std::string responses_cell(const Repository&, const Record& r, Date) {
  return std::to_string(count_of(r, "responses"));
}
std::string mean_score_cell(const Repository&, const Record& r, Date) {
  double sum = 0;
  std::size_t n = 0;
  if (const Value* responses = r.field("responses"))
    for (const Value& resp : responses->items())
      if (const Value* s = resp.find("score"); s && s->is_number()) {
        sum += s->as_double();
        ++n;
      }
  return n == 0 ? std::string() : fmt::format("{:.1f}", sum / static_cast<double>(n));
}
// "1 of 3" levels breached; empty when none is.
std::string breached_cell(const Repository& repo, const Record& r, Date) {
  auto levels = delivered_levels(repo, r);
  std::size_t breached = 0;
  for (const DeliveredLevel& l : levels) breached += l.is_breached() ? 1 : 0;
  return breached == 0 ? std::string() : fmt::format("{} of {}", breached, levels.size());
}

constexpr Column customer_columns[] = {{"ID", "id"},
                                       {"NAME", "name"},
                                       {"ROLE", "role"},
                                       {"CUSTOMER", "customer"},
                                       {"IT CONTACT", "it_contact"},
                                       {"STATUS", "status"}};
constexpr Column agreement_columns[] = {
    {"ID", "id"},       {"TITLE", "title"}, {"CUSTOMER", "customer"}, {"STATUS", "status"},
    {"START", "start"}, {"END", "end"},     {"REVIEW", "review"}};
constexpr Column complaint_columns[] = {{"ID", "id"},
                                        {"SUMMARY", "summary"},
                                        {"CUSTOMER", "customer"},
                                        {"SEVERITY", "severity"},
                                        {"STATUS", "status"}};
constexpr ListFilter complaint_filters[] = {
    {"open", "Only complaints not resolved or rejected", complaint_open}};
constexpr Column meeting_columns[] = {{"ID", "id"},
                                      {"CUSTOMER", "customer"},
                                      {"TYPE", "type"},
                                      {"ATTENDEES", {}, attendees_cell},
                                      {"OPEN ACTIONS", {}, open_actions_cell}};
constexpr ListFilter meeting_filters[] = {
    {"open", "Only meetings with open actions", meeting_open},
    {"overdue", "Only meetings with actions past due and not done", meeting_overdue}};
constexpr Column survey_columns[] = {{"ID", "id"},
                                     {"TITLE", "title"},
                                     {"RESPONSES", {}, responses_cell},
                                     {"MEAN SCORE", {}, mean_score_cell}};
constexpr Column service_columns[] = {
    {"ID", "id"}, {"NAME", "name"}, {"STATUS", "status"}, {"OWNER", "owner"}};
constexpr Column requirement_columns[] = {{"ID", "id"},
                                          {"TITLE", "title"},
                                          {"CUSTOMER", "customer"},
                                          {"TYPE", "type"},
                                          {"STATUS", "status"}};
constexpr ListFilter requirement_filters[] = {
    {"open", "Only requirements proposed or accepted", requirement_open}};
constexpr Column plan_columns[] = {{"ID", "id"},     {"TITLE", "title"},   {"CUSTOMER", "customer"},
                                   {"TYPE", "type"}, {"STATUS", "status"}, {"REVIEW", "review"}};
constexpr ListFilter plan_filters[] = {
    {"due", "Only current plans whose review falls within review_warning_days or is past",
     plan_due}};
constexpr Column project_columns[] = {{"ID", "id"},
                                      {"TITLE", "title"},
                                      {"CUSTOMER", "customer"},
                                      {"STATUS", "status"},
                                      {"HEALTH", "health"},
                                      {"PLANNED END", "planned_end"},
                                      {"FORECAST END", "forecast_end"}};
constexpr ListFilter project_filters[] = {
    {"late",
     "Only projects not ended whose forecast_end is after planned_end, or whose "
     "planned_end is past",
     project_late}};
constexpr Column result_columns[] = {{"ID", "id"},         {"AGREEMENT", "agreement"},
                                     {"START", "start"},   {"END", "end"},
                                     {"LEVELS", "levels"}, {"BREACHED", {}, breached_cell}};
constexpr ListFilter result_filters[] = {
    {"breached", "Only results with a level not met", result_breached}};

constexpr std::array<KindView, kind_count> views = {{
    {customer_columns, {}, {.heading = "purchasers"}},
    {agreement_columns, {}, {.heading = "agreements"}},
    {complaint_columns, complaint_filters, {.heading = "open complaints", .only = complaint_open}},
    {meeting_columns, meeting_filters, {.heading = "last meetings", .newest = 3}},
    {survey_columns, {}, {.heading = "surveys"}},
    {service_columns, {}, {.heading = "services"}},
    {requirement_columns, requirement_filters, {.heading = "requirements"}},
    {plan_columns, plan_filters, {.heading = "plans"}},
    {project_columns, project_filters, {.heading = "projects"}},
    {result_columns, result_filters, {.heading = "results", .newest = 3}},
}};

constexpr bool every_kind_has_columns() {
  for (const KindView& v : views)
    if (v.columns.empty() || v.referrer.heading.empty()) return false;
  return true;
}
static_assert(every_kind_has_columns(), "kind_views.cpp: each KindId needs its row, in enum order");

}  // namespace

const KindView& view_of(KindId id) { return views[static_cast<std::size_t>(id)]; }

}  // namespace brm

// The table of kinds. FORMAT.md is the source of every row; kinds_test checks each row
// against its kind's schema (fields exist, dates are dates, references are ids).
#include "brm/kinds.hpp"

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

// --- One block per kind, in FORMAT.md's order ---

constexpr Reference customer_refs[] = {{"customer", K::Customer, true}};
constexpr Column customer_columns[] = {{"ID", "id"},
                                       {"NAME", "name"},
                                       {"ROLE", "role"},
                                       {"CUSTOMER", "customer"},
                                       {"IT CONTACT", "it_contact"},
                                       {"STATUS", "status"}};

constexpr Reference agreement_refs[] = {{"customer", K::Customer, true},
                                        {"services[].service", K::Service, false, true}};
constexpr DateOrder agreement_dates[] = {{"start", "end"}};
constexpr Column agreement_columns[] = {
    {"ID", "id"},       {"TITLE", "title"}, {"CUSTOMER", "customer"}, {"STATUS", "status"},
    {"START", "start"}, {"END", "end"},     {"REVIEW", "review"}};
constexpr FieldDefault agreement_defaults[] = {{"status", "draft"}};

constexpr Reference complaint_refs[] = {{"customer", K::Customer},
                                        {"service", K::Service, false, true}};
constexpr DateOrder complaint_dates[] = {{"received", "closed"}, {"received", "escalation.date"}};
constexpr std::string_view complaint_future[] = {"received", "escalation.date"};
constexpr Column complaint_columns[] = {{"ID", "id"},
                                        {"SUMMARY", "summary"},
                                        {"CUSTOMER", "customer"},
                                        {"SEVERITY", "severity"},
                                        {"STATUS", "status"}};
constexpr ListFilter complaint_filters[] = {
    {"open", "Only complaints not resolved or rejected", complaint_open}};
constexpr FieldDefault complaint_defaults[] = {{"status", "open"}};

constexpr Reference meeting_refs[] = {{"customer", K::Customer}};
constexpr std::string_view meeting_future[] = {"date"};
constexpr Column meeting_columns[] = {{"ID", "id"},
                                      {"CUSTOMER", "customer"},
                                      {"TYPE", "type"},
                                      {"ATTENDEES", {}, attendees_cell},
                                      {"OPEN ACTIONS", {}, open_actions_cell}};
constexpr ListFilter meeting_filters[] = {
    {"open", "Only meetings with open actions", meeting_open},
    {"overdue", "Only meetings with actions past due and not done", meeting_overdue}};

constexpr Reference survey_refs[] = {{"responses[].customer", K::Customer}};
constexpr Column survey_columns[] = {{"ID", "id"},
                                     {"TITLE", "title"},
                                     {"RESPONSES", {}, responses_cell},
                                     {"MEAN SCORE", {}, mean_score_cell}};

constexpr Column service_columns[] = {
    {"ID", "id"}, {"NAME", "name"}, {"STATUS", "status"}, {"OWNER", "owner"}};

constexpr Reference requirement_refs[] = {{"customer", K::Customer}, {"meeting", K::Meeting}};
constexpr DateOrder requirement_dates[] = {{"raised", "decided"}, {"decided", "delivered"}};
constexpr std::string_view requirement_future[] = {"raised"};
constexpr Column requirement_columns[] = {{"ID", "id"},
                                          {"TITLE", "title"},
                                          {"CUSTOMER", "customer"},
                                          {"TYPE", "type"},
                                          {"STATUS", "status"}};
constexpr ListFilter requirement_filters[] = {
    {"open", "Only requirements proposed or accepted", requirement_open}};
constexpr FieldDefault requirement_defaults[] = {{"status", "proposed"}};

constexpr Reference plan_refs[] = {{"customer", K::Customer}, {"requirements[]", K::Requirement}};
constexpr DateOrder plan_dates[] = {{"start", "end"}};
constexpr std::string_view plan_future[] = {"received"};
constexpr Column plan_columns[] = {{"ID", "id"},     {"TITLE", "title"},   {"CUSTOMER", "customer"},
                                   {"TYPE", "type"}, {"STATUS", "status"}, {"REVIEW", "review"}};
constexpr ListFilter plan_filters[] = {
    {"due", "Only current plans whose review falls within review_warning_days or is past",
     plan_due}};
constexpr FieldDefault plan_defaults[] = {{"status", "current"}};

constexpr Reference project_refs[] = {{"customer", K::Customer},
                                      {"requirements[]", K::Requirement},
                                      {"services[]", K::Service, false, true}};
constexpr DateOrder project_dates[] = {
    {"start", "planned_end"}, {"start", "forecast_end"}, {"start", "ended"}};
constexpr std::string_view project_future[] = {"reviewed"};
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
constexpr FieldDefault project_defaults[] = {{"status", "proposed"}};

constexpr Reference result_refs[] = {{"agreement", K::Agreement},
                                     {"levels[].service", K::Service, false, true}};
constexpr DateOrder result_dates[] = {{"start", "end"}};
constexpr std::string_view result_future[] = {"end"};
constexpr Column result_columns[] = {{"ID", "id"},         {"AGREEMENT", "agreement"},
                                     {"START", "start"},   {"END", "end"},
                                     {"LEVELS", "levels"}, {"BREACHED", {}, breached_cell}};
constexpr ListFilter result_filters[] = {
    {"breached", "Only results with a level not met", result_breached}};

constexpr std::array<Kind, kind_count> table = {{
    {K::Customer,
     "customer",
     "customers",
     "schema/customer.schema.yaml",
     "name",
     "",
     "since",
     customer_refs,
     {},
     {},
     customer_columns,
     {},
     {},
     {.heading = "purchasers"}},
    {K::Agreement,
     "agreement",
     "agreements",
     "schema/agreement.schema.yaml",
     "title",
     "",
     "start",
     agreement_refs,
     agreement_dates,
     {},
     agreement_columns,
     {},
     agreement_defaults,
     {.heading = "agreements"}},
    {K::Complaint,
     "complaint",
     "complaints",
     "schema/complaint.schema.yaml",
     "summary",
     "received",
     "received",
     complaint_refs,
     complaint_dates,
     complaint_future,
     complaint_columns,
     complaint_filters,
     complaint_defaults,
     {.heading = "open complaints", .only = complaint_open}},
    {K::Meeting,
     "meeting",
     "meetings",
     "schema/meeting.schema.yaml",
     "",
     "date",
     "date",
     meeting_refs,
     {},
     meeting_future,
     meeting_columns,
     meeting_filters,
     {},
     {.heading = "last meetings", .newest = 3}},
    {K::Survey,
     "survey",
     "surveys",
     "schema/survey.schema.yaml",
     "title",
     "date",
     "date",
     survey_refs,
     {},
     {},
     survey_columns,
     {},
     {},
     {.heading = "surveys"}},
    {K::Service,
     "service",
     "services",
     "schema/service.schema.yaml",
     "name",
     "",
     "",
     {},
     {},
     {},
     service_columns,
     {},
     {},
     {.heading = "services"}},
    {K::Requirement,
     "requirement",
     "requirements",
     "schema/requirement.schema.yaml",
     "title",
     "raised",
     "raised",
     requirement_refs,
     requirement_dates,
     requirement_future,
     requirement_columns,
     requirement_filters,
     requirement_defaults,
     {.heading = "requirements"}},
    {K::Plan,
     "plan",
     "plans",
     "schema/plan.schema.yaml",
     "title",
     "",
     "start",
     plan_refs,
     plan_dates,
     plan_future,
     plan_columns,
     plan_filters,
     plan_defaults,
     {.heading = "plans"}},
    {K::Project,
     "project",
     "projects",
     "schema/project.schema.yaml",
     "title",
     "",
     "start",
     project_refs,
     project_dates,
     project_future,
     project_columns,
     project_filters,
     project_defaults,
     {.heading = "projects"}},
    {K::Result,
     "result",
     "results",
     "schema/result.schema.yaml",
     "",
     "end",
     "end",
     result_refs,
     result_dates,
     result_future,
     result_columns,
     result_filters,
     {},
     {.heading = "results", .newest = 3, .through = Through{K::Agreement, "customer"}}},
}};

// A row left out leaves a default row behind (id 0, no name); rows out of order would
// make kind_of() answer for the wrong kind. Either fails the build here.
constexpr bool every_kind_has_its_row() {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (static_cast<std::size_t>(table[i].id) != i || table[i].name.empty() ||
        table[i].folder.empty() || table[i].schema.empty() || table[i].columns.empty())
      return false;
  return true;
}
static_assert(every_kind_has_its_row(), "kinds.cpp: each KindId needs its row, in enum order");

}  // namespace

const std::array<Kind, kind_count>& kinds() { return table; }

const Kind& kind_of(KindId id) { return table[static_cast<std::size_t>(id)]; }

const Kind* find_kind(std::string_view word) {
  for (const Kind& k : table)
    if (k.name == word || k.folder == word) return &k;
  return nullptr;
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && c == '-');
    if (!ok) return false;
  }
  return true;
}

std::string record_path(KindId kind, std::string_view id) {
  std::string path(kind_of(kind).folder);
  path += '/';
  path += id;
  path += ".yaml";
  return path;
}

const Kind* kind_of_record_path(std::string_view path, std::string_view* id) {
  constexpr std::string_view suffix = ".yaml";
  std::size_t slash = path.find('/');
  if (slash == std::string_view::npos || path.find('/', slash + 1) != std::string_view::npos)
    return nullptr;
  std::string_view folder = path.substr(0, slash);
  const Kind* k = find_kind(folder);
  if (!k || k->folder != folder || path.size() <= suffix.size() ||
      path.substr(path.size() - suffix.size()) != suffix)
    return nullptr;
  if (id) *id = path.substr(slash + 1, path.size() - suffix.size() - slash - 1);
  return k;
}

}  // namespace brm

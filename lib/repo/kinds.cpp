// The table of kinds. FORMAT.md is the source of every row; kinds_test checks each row
// against its kind's schema (fields exist, dates are dates, references are ids).
#include "brm/kinds.hpp"

#include <string>

namespace brm {
namespace {

using K = KindId;

// --- One block per kind, in FORMAT.md's order ---

constexpr Reference customer_refs[] = {{"customer", K::Customer, true}};

constexpr Reference agreement_refs[] = {{"customer", K::Customer, true},
                                        {"services[].service", K::Service, false, true}};
constexpr DateOrder agreement_dates[] = {{"start", "end"}};
constexpr FieldDefault agreement_defaults[] = {{"status", "draft"}};

constexpr Reference complaint_refs[] = {{"customer", K::Customer},
                                        {"service", K::Service, false, true}};
constexpr DateOrder complaint_dates[] = {{"received", "closed"}, {"received", "escalation.date"}};
constexpr std::string_view complaint_future[] = {"received", "escalation.date"};
constexpr FieldDefault complaint_defaults[] = {{"status", "open"}};

constexpr Reference meeting_refs[] = {{"customer", K::Customer}};
constexpr std::string_view meeting_future[] = {"date"};

constexpr Reference survey_refs[] = {{"responses[].customer", K::Customer}};

constexpr Reference requirement_refs[] = {{"customer", K::Customer}, {"meeting", K::Meeting}};
constexpr DateOrder requirement_dates[] = {{"raised", "decided"}, {"decided", "delivered"}};
constexpr std::string_view requirement_future[] = {"raised"};
constexpr FieldDefault requirement_defaults[] = {{"status", "proposed"}};

constexpr Reference plan_refs[] = {{"customer", K::Customer}, {"requirements[]", K::Requirement}};
constexpr DateOrder plan_dates[] = {{"start", "end"}};
constexpr std::string_view plan_future[] = {"received"};
constexpr FieldDefault plan_defaults[] = {{"status", "current"}};

constexpr Reference project_refs[] = {{"customer", K::Customer},
                                      {"requirements[]", K::Requirement},
                                      {"services[]", K::Service, false, true}};
constexpr DateOrder project_dates[] = {
    {"start", "planned_end"}, {"start", "forecast_end"}, {"start", "ended"}};
constexpr std::string_view project_future[] = {"reviewed"};
constexpr FieldDefault project_defaults[] = {{"status", "proposed"}};

constexpr Reference result_refs[] = {{"agreement", K::Agreement},
                                     {"levels[].service", K::Service, false, true}};
constexpr DateOrder result_dates[] = {{"start", "end"}};
constexpr std::string_view result_future[] = {"end"};

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
     {},
     {}},
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
     agreement_defaults,
     {}},
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
     complaint_defaults,
     {}},
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
     {},
     {}},
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
     {},
     {}},
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
     {},
     {}},
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
     requirement_defaults,
     {}},
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
     plan_defaults,
     {}},
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
     project_defaults,
     {}},
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
     {},
     Through{K::Agreement, "customer"}},
}};

// A row left out leaves a default row behind (id 0, no name); rows out of order would
// make kind_of() answer for the wrong kind. Either fails the build here.
constexpr bool every_kind_has_its_row() {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (static_cast<std::size_t>(table[i].id) != i || table[i].name.empty() ||
        table[i].folder.empty() || table[i].schema.empty())
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

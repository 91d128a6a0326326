// brm agenda: what needs the relationship manager's attention now, most urgent first,
// built from the repository model and rendered as text, JSON or Markdown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brm/date.hpp"
#include "brm/kinds.hpp"
#include "brm/repository.hpp"

namespace brm {

// In the order the agenda shows them: what is overdue, then what falls due within the
// window, then the standing gaps in the relationship.
enum class AgendaCategory : std::uint8_t {
  OverdueAction,      // an open meeting action whose due date has passed
  OverdueMilestone,   // an open milestone of a project not ended, its due date passed
  AgreementEnded,     // an active agreement already past its end
  BreachedLevel,      // a level breached in the latest result of an active agreement
  OpenEscalation,     // an escalated complaint still open or in progress
  LateProject,        // a project not ended that is late, or active and red
  ActionDue,          // an open action due within the window
  AgreementReview,    // an active agreement whose review date falls within the window (or passed)
  AgreementEnding,    // an active agreement whose end falls within the window
  PlanReview,         // a current plan whose review date falls within the window (or passed)
  OpenComplaint,      // open or in progress, oldest first
  NoMeeting,          // a current customer not met for longer than meeting_interval_days
  NoItContact,        // a current customer or purchaser without a designated IT contact
  NoWrittenAgreement  // a current customer without a written agreement (MEASURES.md, 2)
};
inline constexpr std::size_t agenda_category_count = 14;

enum class Urgency : std::uint8_t { Low, Medium, High };

std::string_view category_key(AgendaCategory c);    // "overdue-action": stable, for JSON
std::string_view category_title(AgendaCategory c);  // "Overdue actions": a group's heading
std::string_view category_label(AgendaCategory c);  // "Overdue action": one item's kind
std::string_view urgency_name(Urgency u);           // "low", "medium", "high"

struct AgendaItem {
  AgendaCategory category = AgendaCategory::OverdueAction;
  Urgency urgency = Urgency::Low;
  KindId kind = KindId::Customer;
  std::string id;            // the record the item is about
  std::string path;          // its file
  std::string account;       // the customer account it belongs to (purchasers roll up)
  int action = 0;            // meeting actions: the number `brm meeting done` takes; 0 otherwise
  std::optional<Date> date;  // due, review, end, received, last meeting
  std::optional<std::int64_t> days;  // today - date: positive is past (overdue, age)
  std::string message;               // one line, record text as it is
  std::string owner;  // who is to do it: an action's owner, a milestone's project manager
};

// Past its date: what the published report lists as overdue (overdue actions and
// milestones, agreements past their end or review, plans past their review, projects past
// their planned end).
bool is_overdue(const AgendaItem& item);

struct AgendaOptions {
  Date today;
  std::optional<int> days;  // the window; default brm.yaml review_warning_days
  std::string account;      // only this customer account; empty: all
  // Only the items this person owns (meeting actions, and the milestones of the projects
  // they manage), compared without regard to case or surrounding blanks; empty: all items.
  std::string owner;
};

// The account that a `--customer ID` flag names: the customer itself, or a purchaser's
// customer. Throws Error(DataErrors) when there is no such record (with a "did you mean").
std::string account_for(const Repository& repo, std::string_view customer_id);

// Records with errors (valid = false) are passed over: their fields cannot be trusted,
// and `brm check` reports them.
std::vector<AgendaItem> build_agenda(const Repository& repo, const AgendaOptions& options);

struct AgendaHeading {
  std::string organisation;
  Date today;
  int days = 0;              // the window used
  std::string account;       // as in AgendaOptions
  std::string account_name;  // its customer's name, for the heading
  std::string owner = {};    // as in AgendaOptions
};

std::string agenda_text(const std::vector<AgendaItem>& items, const AgendaHeading& heading,
                        bool color);
// An array of objects with the keys category, urgency, kind, id, path, account, action,
// date, days, message (null where an item has none).
std::string agenda_json(const std::vector<AgendaItem>& items);
std::string agenda_markdown(const std::vector<AgendaItem>& items, const AgendaHeading& heading);

}  // namespace brm

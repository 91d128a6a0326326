// The agenda: every rule reads the repository model at one `today`, so that the same
// files and BRM_TODAY always give the same list.
#include "brm/agenda.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "brm/error.hpp"
#include "brm/json.hpp"
#include "brm/markup.hpp"
#include "brm/measure.hpp"
#include "brm/record_status.hpp"
#include "brm/service_levels.hpp"

namespace brm {
namespace {

constexpr std::array<std::string_view, agenda_category_count> category_keys = {
    "overdue-action",   "overdue-milestone",   "agreement-ended", "breached-level",
    "open-escalation",  "late-project",        "action-due",      "agreement-review",
    "agreement-ending", "plan-review",         "open-complaint",  "no-meeting",
    "no-it-contact",    "no-written-agreement"};
constexpr std::array<std::string_view, agenda_category_count> category_titles = {
    "Overdue actions",
    "Overdue milestones",
    "Active agreements past their end",
    "Service levels breached",
    "Open escalations",
    "Projects late or red",
    "Actions due soon",
    "Agreement reviews due",
    "Agreements ending",
    "Plan reviews due",
    "Open complaints",
    "Customers not met recently",
    "Without an IT contact",
    "Customers without a written agreement"};

constexpr std::array<std::string_view, agenda_category_count> category_labels = {
    "Overdue action",  "Overdue milestone",   "Agreement past its end",
    "Level breached",  "Escalated",           "Project late or red",
    "Action due",      "Review due",          "Agreement ending",
    "Plan review due", "Open complaint",      "Not met recently",
    "No IT contact",   "No written agreement"};

std::size_t index(AgendaCategory c) { return static_cast<std::size_t>(c); }

// MEASURES.md: status active (or absent) and `since` absent or <= the day.
bool is_current(const Record& r, Date day) {
  std::string_view status = r.text("status");
  if (!status.empty() && status != "active") return false;
  auto since = r.date("since");
  return !since || *since <= day;
}

// "erik lund " names Erik Lund: people type names as they remember them.
bool same_person(std::string_view a, std::string_view b) {
  auto trim = [](std::string_view s) {
    std::size_t first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return std::string_view();
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
  };
  a = trim(a);
  b = trim(b);
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string text_in(const Value& item, std::string_view key) {
  const Value* v = item.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}

std::optional<Date> date_in(const Value& item, std::string_view key) {
  const Value* v = item.find(key);
  return v && v->is_string() ? Date::parse(v->as_string()) : std::nullopt;
}

class AgendaBuilder {
 public:
  AgendaBuilder(const Repository& repo, const AgendaOptions& o)
      : repo_(repo),
        today_(o.today),
        account_(o.account),
        owner_(o.owner),
        window_(o.days.value_or(repo.settings.review_warning_days)) {}

  std::vector<AgendaItem> build() {
    for (const GapEntry& g : compute_measures(repo_, today_).customers_without_agreement)
      without_agreement_.insert(g.id);
    index_meetings();
    for (const Record* m : records(KindId::Meeting)) meeting_actions(m);
    for (const Record* p : records(KindId::Project)) project(*p);
    for (const Record* a : records(KindId::Agreement)) agreement(a);
    for (const Record* p : records(KindId::Plan)) plan(*p);
    for (const Record* c : records(KindId::Complaint)) complaint(c);
    for (const Record* c : records(KindId::Customer)) customer(c);
    if (!owner_.empty())
      std::erase_if(items_,
                    [&](const AgendaItem& item) { return !same_person(item.owner, owner_); });
    std::stable_sort(items_.begin(), items_.end(), [](const AgendaItem& a, const AgendaItem& b) {
      if (a.category != b.category) return a.category < b.category;
      // Within a category the oldest date is the most pressing; items without a date
      // (never met) come first, since they have waited longest.
      if (a.date != b.date) return !a.date || (b.date && *a.date < *b.date);
      if (a.urgency != b.urgency) return a.urgency > b.urgency;
      if (a.id != b.id) return a.id < b.id;
      return a.action < b.action;
    });
    return std::move(items_);
  }

 private:
  std::vector<const Record*> records(KindId k) const { return repo_.valid_records(k); }

  std::string name_of(std::string_view customer_id) const {
    return repo_.label_of(KindId::Customer, customer_id);
  }

  // Within the window ahead, or already past.
  bool within(Date d) const { return d.days() - today_.days() <= window_; }

  // Purchasers roll up into their customer's account; false when the filter rules it out.
  bool wanted(std::string_view account) const { return account_.empty() || account == account_; }

  AgendaItem& add(AgendaCategory c, Urgency u, const Record& r, std::string_view account,
                  std::optional<Date> date, std::string message) {
    AgendaItem item;
    item.category = c;
    item.urgency = u;
    item.kind = r.kind;
    item.id = r.id;
    item.path = r.path();
    item.account = std::string(account);
    item.date = date;
    if (date) item.days = today_.days() - date->days();
    item.message = std::move(message);
    items_.push_back(std::move(item));
    return items_.back();
  }

  void meeting_actions(const Record* m) {
    std::string_view account = repo_.account_of(m->text("customer"));
    if (!wanted(account)) return;
    const Value* actions = m->field("actions");
    if (!actions || !actions->is_sequence()) return;
    int number = 0;
    for (const Value& action : actions->items()) {
      ++number;
      if (!action.is_mapping() || action.find("done")) continue;
      auto due = date_in(action, "due");
      if (!due || !within(*due)) continue;
      bool overdue = *due < today_;
      std::string message = fmt::format("{} ({}; meeting with {})", text_in(action, "what"),
                                        text_in(action, "owner"), name_of(m->text("customer")));
      AgendaItem& item =
          add(overdue ? AgendaCategory::OverdueAction : AgendaCategory::ActionDue,
              overdue ? Urgency::High : Urgency::Medium, *m, account, due, std::move(message));
      item.action = number;
      item.owner = text_in(action, "owner");
    }
  }

  void agreement(const Record* a) {
    if (a->text("status") != "active") return;
    std::string_view account = repo_.account_of(a->text("customer"));
    if (!wanted(account)) return;
    std::string who = fmt::format("{} ({})", a->label(), name_of(a->text("customer")));
    breached_levels(*a, account, who);
    if (auto review = a->date("review"); review && within(*review)) {
      bool missed = *review < today_;
      add(AgendaCategory::AgreementReview, missed ? Urgency::High : Urgency::Medium, *a, account,
          review, fmt::format("{}: {}", who, missed ? "review overdue" : "review due"));
    }
    if (auto end = a->date("end")) {
      if (*end < today_)
        add(AgendaCategory::AgreementEnded, Urgency::High, *a, account, end,
            fmt::format("{}: still active after its end; renew it or set it expired", who));
      else if (within(*end))
        add(AgendaCategory::AgreementEnding, Urgency::Medium, *a, account, end,
            fmt::format("{}: ends", who));
    }
  }

  void complaint(const Record* c) {
    std::string_view status = c->text("status");
    if (status != "open" && status != "in-progress") return;
    auto received = c->date("received");
    if (received && *received > today_) return;  // not received yet as of today
    std::string_view account = repo_.account_of(c->text("customer"));
    if (!wanted(account)) return;
    std::string_view severity = c->text("severity");
    Urgency u = severity == "high"     ? Urgency::High
                : severity == "medium" ? Urgency::Medium
                                       : Urgency::Low;
    add(AgendaCategory::OpenComplaint, u, *c, account, received,
        fmt::format("{} ({}; {} severity, {})", c->label(), name_of(c->text("customer")), severity,
                    status));
    escalation(*c, account);
  }

  // An open complaint taken to the IT steering group stays in sight until it is closed.
  void escalation(const Record& c, std::string_view account) {
    const Value* e = c.field("escalation");
    auto date = e && e->is_mapping() ? date_in(*e, "date") : std::nullopt;
    if (!date || *date > today_) return;
    add(AgendaCategory::OpenEscalation, Urgency::High, c, account, date,
        fmt::format("{} ({}): escalated to {}", c.label(), name_of(c.text("customer")),
                    text_in(*e, "to")));
  }

  // The levels the latest result of an agreement missed: what was delivered last.
  void breached_levels(const Record& a, std::string_view account, const std::string& who) {
    std::vector<const Record*> results = results_of(repo_, a.id, today_);
    if (results.empty()) return;
    const Record& latest = *results.back();
    for (const DeliveredLevel& l : delivered_levels(repo_, latest)) {
      if (!l.is_breached()) continue;
      add(AgendaCategory::BreachedLevel, Urgency::High, latest, account, latest.date("end"),
          fmt::format("{}: {} {} {} against {} agreed ({} to {})", who,
                      repo_.label_of(KindId::Service, l.service), l.metric,
                      level_figure(*l.achieved, l.agreed->unit),
                      level_figure(l.agreed->target, l.agreed->unit), latest.text("start"),
                      latest.text("end")));
    }
  }

  void project(const Record& p) {
    std::string_view account = repo_.account_of(p.text("customer"));
    if (!wanted(account) || p.field("ended")) return;
    overdue_milestones(p, account);
    bool active = p.text("status") == "active";
    bool late = project_late(repo_, p, today_), red = active && p.text("health") == "red";
    if (!late && !red) return;
    std::string why;
    if (late) {
      why = fmt::format("late, planned end {}", p.text("planned_end"));
      if (!p.text("forecast_end").empty())
        why += ", forecast " + std::string(p.text("forecast_end"));
    }
    if (active && !p.text("health").empty())
      why += (why.empty() ? "health " : "; health ") + std::string(p.text("health"));
    add(AgendaCategory::LateProject, red ? Urgency::High : Urgency::Medium, p, account,
        p.date("planned_end"),
        fmt::format("{} ({}): {}", p.label(), name_of(p.text("customer")), why));
  }

  // A milestone belongs to the project's manager: FORMAT.md gives milestones no owner.
  void overdue_milestones(const Record& p, std::string_view account) {
    const Value* milestones = p.field("milestones");
    if (!milestones || !milestones->is_sequence()) return;
    std::string manager(p.text("manager"));
    for (const Value& m : milestones->items()) {
      auto due = m.is_mapping() ? date_in(m, "due") : std::nullopt;
      if (!due || m.find("done") || *due >= today_) continue;
      AgendaItem& item = add(
          AgendaCategory::OverdueMilestone, Urgency::High, p, account, due,
          fmt::format("{} (project {}{}; {})", text_in(m, "what"), p.label(),
                      manager.empty() ? "" : ", manager " + manager, name_of(p.text("customer"))));
      item.owner = manager;
    }
  }

  void plan(const Record& p) {
    auto review = p.date("review");
    std::string_view account = repo_.account_of(p.text("customer"));
    if (p.text("status") != "current" || !review || !within(*review) || !wanted(account)) return;
    bool missed = *review < today_;
    add(AgendaCategory::PlanReview, missed ? Urgency::High : Urgency::Medium, p, account, review,
        fmt::format("{} ({}): {}", p.label(), name_of(p.text("customer")),
                    missed ? "review overdue" : "review due"));
  }

  void customer(const Record* c) {
    if (!is_current(*c, today_)) return;
    bool purchaser = c->text("role") == "purchaser";
    std::string_view account = purchaser ? c->text("customer") : std::string_view(c->id);
    if (!wanted(account)) return;
    std::string who(c->label());
    if (auto unit = c->text("unit"); !unit.empty()) who += fmt::format(" ({})", unit);

    auto contact = c->text("it_contact");
    if (contact.find_first_not_of(" \t") == std::string_view::npos)
      // The customer holds the mandate: a gap there matters more than a purchaser's.
      add(AgendaCategory::NoItContact, purchaser ? Urgency::Low : Urgency::Medium, *c, account,
          std::nullopt,
          fmt::format("{} {}: no designated IT contact", purchaser ? "purchaser" : "customer",
                      who));
    if (purchaser) return;

    no_meeting(*c, who);
    no_written_agreement(*c, who);
  }

  // The last meeting held and the next one planned, per account, in one pass over the
  // meetings rather than one per customer. Meetings with a customer's purchasers count:
  // the relationship is the account's.
  void index_meetings() {
    for (const Record* m : records(KindId::Meeting)) {
      auto d = m->date("date");
      if (!d) continue;
      MeetingDates& dates = meetings_[std::string(repo_.account_of(m->text("customer")))];
      if (*d <= today_) {
        if (!dates.last || *d > *dates.last) dates.last = d;
      } else if (!dates.next || *d < *dates.next) {
        dates.next = d;
      }
    }
  }

  void no_meeting(const Record& c, const std::string& who) {
    std::optional<Date> last, next;
    if (auto it = meetings_.find(c.id); it != meetings_.end()) {
      last = it->second.last;
      next = it->second.next;
    }
    if (last && today_.days() - last->days() <= repo_.settings.meeting_interval_days) return;
    std::string message =
        last ? fmt::format("{}: last met {}", who, last->str()) : fmt::format("{}: never met", who);
    if (next) message += fmt::format("; next meeting planned {}", next->str());
    add(AgendaCategory::NoMeeting, Urgency::Medium, c, c.id, last, std::move(message));
  }

  // The same definition as the measure (MEASURES.md, 2), computed by it, at today.
  void no_written_agreement(const Record& c, const std::string& who) {
    if (!without_agreement_.count(c.id)) return;
    std::size_t agreements = 0;
    for (const Record& a : repo_.of(KindId::Agreement))
      agreements += a.valid && a.text("customer") == c.id;
    add(AgendaCategory::NoWrittenAgreement, Urgency::Low, c, c.id, std::nullopt,
        agreements == 0 ? fmt::format("{}: no agreement on record", who)
                        : fmt::format("{}: {} agreement{}, none active, signed and in force", who,
                                      agreements, agreements == 1 ? "" : "s"));
  }

  const Repository& repo_;
  Date today_;
  std::string account_;
  std::string owner_;
  int window_;
  std::vector<AgendaItem> items_;
  std::set<std::string, std::less<>> without_agreement_;
  struct MeetingDates {
    std::optional<Date> last, next;
  };
  std::map<std::string, MeetingDates, std::less<>> meetings_;
};

std::string plural(std::int64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 || n == -1 ? "" : "s");
}

// "26 days overdue", "in 5 days", "today": the date read relative to today.
std::string relative(const AgendaItem& item) {
  if (!item.days) return item.category == AgendaCategory::NoMeeting ? "never" : "";
  std::int64_t d = *item.days;
  if (d == 0) return "today";
  if (d < 0) return "in " + plural(-d, "day");
  switch (item.category) {
    case AgendaCategory::OverdueAction:
    case AgendaCategory::OverdueMilestone:
    case AgendaCategory::AgreementReview:
    case AgendaCategory::PlanReview:
      return plural(d, "day") + " overdue";
    case AgendaCategory::LateProject:
      return plural(d, "day") + " late";
    case AgendaCategory::OpenComplaint:
      return plural(d, "day") + " old";
    default:
      return plural(d, "day") + " ago";
  }
}

std::string reference(const AgendaItem& item) {
  std::string ref = fmt::format("{} {}", kind_of(item.kind).name, item.id);
  if (item.action > 0) ref += fmt::format(" #{}", item.action);
  return ref;
}

std::string heading_line(const std::vector<AgendaItem>& items, const AgendaHeading& h) {
  std::string line = "Agenda";
  if (!h.organisation.empty()) line += " for " + h.organisation;
  line += " on " + h.today.str();
  if (!h.account.empty())
    line += fmt::format(", customer {}", h.account_name.empty() ? h.account : h.account_name);
  if (!h.owner.empty()) line += fmt::format(", owner {}", h.owner);
  line += fmt::format(": {} (window {})",
                      items.empty() ? std::string("nothing needs attention")
                                    : plural(static_cast<std::int64_t>(items.size()), "item"),
                      plural(h.days, "day"));
  return line;
}

template <class Fn>
void for_each_group(const std::vector<AgendaItem>& items, Fn fn) {
  for (std::size_t i = 0; i < items.size();) {
    std::size_t j = i;
    while (j < items.size() && items[j].category == items[i].category) ++j;
    fn(items[i].category, i, j);
    i = j;
  }
}

}  // namespace

bool is_overdue(const AgendaItem& item) {
  switch (item.category) {
    case AgendaCategory::OverdueAction:
    case AgendaCategory::OverdueMilestone:
    case AgendaCategory::AgreementEnded:
      return true;
    // Late by its forecast, or red, is not yet overdue: its planned end must have passed.
    case AgendaCategory::LateProject:
    case AgendaCategory::AgreementReview:
    case AgendaCategory::PlanReview:
      return item.days && *item.days > 0;
    default:
      return false;
  }
}

std::string_view category_key(AgendaCategory c) { return category_keys[index(c)]; }
std::string_view category_title(AgendaCategory c) { return category_titles[index(c)]; }
std::string_view category_label(AgendaCategory c) { return category_labels[index(c)]; }
std::string_view urgency_name(Urgency u) {
  return u == Urgency::High ? "high" : u == Urgency::Medium ? "medium" : "low";
}

std::string account_for(const Repository& repo, std::string_view id) {
  if (repo.find(KindId::Customer, id)) {
    std::string_view account = repo.account_of(id);
    // A purchaser whose customer is missing is its own account: still worth a look.
    return std::string(account.empty() ? id : account);
  }
  std::vector<std::string_view> ids;
  for (const Record& c : repo.of(KindId::Customer)) ids.push_back(c.id);
  std::string hint;
  if (auto near = closest_match(id, ids); !near.empty())
    hint = fmt::format(" (did you mean '{}'?)", near);
  throw Error(ExitCode::DataErrors, fmt::format("no customer '{}' in customers/{}", id, hint));
}

std::vector<AgendaItem> build_agenda(const Repository& repo, const AgendaOptions& options) {
  return AgendaBuilder(repo, options).build();
}

std::string agenda_text(const std::vector<AgendaItem>& items, const AgendaHeading& h, bool color) {
  auto paint = [&](std::string_view sgr, std::string_view text) {
    return color ? fmt::format("\033[{}m{}\033[0m", sgr, text) : std::string(text);
  };
  std::string out = paint("1", one_line(heading_line(items, h))) + "\n";
  // The relative column is as wide as its widest entry, so that messages line up.
  std::size_t when_width = 0;
  for (const AgendaItem& item : items) when_width = std::max(when_width, relative(item).size());
  for_each_group(items, [&](AgendaCategory c, std::size_t from, std::size_t to) {
    out += fmt::format("\n{} ({})\n", paint("1", category_title(c)), to - from);
    // Gaps have no date: their lines start with the message instead of blank columns.
    bool dated = std::any_of(items.begin() + static_cast<std::ptrdiff_t>(from),
                             items.begin() + static_cast<std::ptrdiff_t>(to),
                             [](const AgendaItem& i) { return !relative(i).empty(); });
    for (std::size_t i = from; i < to; ++i) {
      const AgendaItem& item = items[i];
      std::string_view sgr = item.urgency == Urgency::High     ? "31"
                             : item.urgency == Urgency::Medium ? "33"
                                                               : "2";
      out += "  ";
      if (dated) {
        std::string date = item.date ? item.date->str() : std::string(10, ' ');
        std::string when = fmt::format("{:<{}}", relative(item), when_width);
        out += fmt::format("{}  {}  ", paint(sgr, date), paint(sgr, when));
      }
      out += fmt::format("{}  {}\n", one_line(item.message),
                         paint("2", fmt::format("[{}]", reference(item))));
    }
  });
  return out;
}

std::string agenda_json(const std::vector<AgendaItem>& items) {
  Value list = Value::sequence();
  for (const AgendaItem& item : items) {
    Value o = Value::mapping();
    o.set("category", Value::string(std::string(category_key(item.category))));
    o.set("urgency", Value::string(std::string(urgency_name(item.urgency))));
    o.set("kind", Value::string(std::string(kind_of(item.kind).name)));
    o.set("id", Value::string(item.id));
    o.set("path", Value::string(item.path));
    o.set("account", item.account.empty() ? Value::null() : Value::string(item.account));
    o.set("action", item.action > 0 ? Value::integer(item.action) : Value::null());
    o.set("date", item.date ? Value::string(item.date->str()) : Value::null());
    o.set("days", item.days ? Value::integer(*item.days) : Value::null());
    o.set("message", Value::string(item.message));
    list.push_back(std::move(o));
  }
  return to_json(versioned(std::move(list), "items"), 2) + "\n";
}

std::string agenda_markdown(const std::vector<AgendaItem>& items, const AgendaHeading& h) {
  std::string out = "# " + escape_markdown(heading_line(items, h)) + "\n";
  for_each_group(items, [&](AgendaCategory c, std::size_t from, std::size_t to) {
    out += fmt::format("\n## {} ({})\n\n", category_title(c), to - from);
    for (std::size_t i = from; i < to; ++i) {
      const AgendaItem& item = items[i];
      out += "- ";
      if (item.date)
        out += fmt::format("**{}** ({}): ", item.date->str(), relative(item));
      else if (item.category == AgendaCategory::NoMeeting)
        out += "**never met**: ";
      out += escape_markdown(item.message);
      out += fmt::format(" `{}`\n", reference(item));
    }
  });
  return out;
}

}  // namespace brm

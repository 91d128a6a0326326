// The four measures of the process, to the letter of MEASURES.md, so that any second
// implementation agrees to the unit; and the text, JSON, Markdown and CSV views of them.
#include "brm/measure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "brm/csv.hpp"
#include "brm/json.hpp"
#include "brm/markup.hpp"
#include "brm/table.hpp"

namespace brm {

Date default_since(Date as_of) { return as_of.minus_one_year().add_days(1); }

std::optional<double> median(std::vector<std::int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  if (n % 2 == 1) return static_cast<double>(values[n / 2]);
  // The sum of two day counts is exact in a double; halving it is too.
  return static_cast<double>(values[n / 2 - 1] + values[n / 2]) / 2.0;
}

double score_on_scale(std::int64_t score, std::int64_t survey_scale, std::int64_t scale) {
  if (survey_scale == scale || survey_scale < 2) return static_cast<double>(score);
  return 1.0 + static_cast<double>(score - 1) * static_cast<double>(scale - 1) /
                   static_cast<double>(survey_scale - 1);
}

std::int64_t satisfied_threshold(const Record& survey, const Settings& s) {
  auto scale = whole_number(survey.field("scale"));
  if (!scale || s.survey_scale <= 0) return s.survey_satisfied;
  std::int64_t num = std::int64_t{s.survey_satisfied} * *scale;
  std::int64_t den = s.survey_scale;
  return num >= 0 ? (num + den - 1) / den : num / den;
}

bool is_written_at(const Record& agreement, Date as_of) {
  std::string_view status = agreement.text("status");
  auto signed_on = agreement.date("signed");
  auto start = agreement.date("start");
  auto end = agreement.date("end");
  // An agreement that ended says so by its status; its `end` tells until when it ran.
  bool ran = status == "active" || ((status == "expired" || status == "terminated") && end);
  return ran && signed_on && *signed_on <= as_of && start && *start <= as_of &&
         (!end || *end >= as_of);
}

namespace {

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos;
}

// `status` active or absent, and `since` absent or not after the day.
bool is_current(const Record& r, Date as_of) {
  std::string_view status = r.text("status");
  if (!status.empty() && status != "active") return false;
  auto since = r.date("since");
  return !since || *since <= as_of;
}

bool has_contact(const Record& r) {
  const Value* v = r.field("it_contact");
  return v && v->is_string() && !is_blank(v->as_string());
}

GapEntry gap(const Record& r) {
  return {r.id, std::string(r.label()), std::string(r.text("customer"))};
}

}  // namespace

const FieldSelection& measured_fields() {
  static const FieldSelection fields = [] {
    FieldSelection f;
    auto of = [&](KindId k) -> std::vector<std::string_view>& {
      return f[static_cast<std::size_t>(k)];
    };
    // label() of a customer is its name; gap() adds a purchaser's customer.
    of(KindId::Customer) = {"name", "role", "status", "since", "it_contact", "customer"};
    of(KindId::Agreement) = {"customer", "status", "signed", "start", "end"};
    of(KindId::Survey) = {"date", "scale", "responses"};
    of(KindId::Complaint) = {"customer", "received", "closed", "status"};
    return f;
  }();
  return fields;
}

namespace {

// One computation of the measures: the repository, the day and period, and the accounts
// (current customers) that the per-account figures roll up to when the detail is full.
class Tally {
 public:
  Tally(const Repository& repo, Measures& m, bool full) : repo_(repo), m_(m), full_(full) {}

  void count_left_out() {
    for (const auto& records : repo_.records)
      for (const Record& r : records)
        if (!r.valid) ++m_.left_out;
  }

  // 1. Contacts, and the accounts: every current customer, in id order.
  void list_accounts() {
    for (const Record& r : repo_.of(KindId::Customer)) {
      if (!r.valid || !is_current(r, m_.as_of) || r.text("role") != "customer") continue;
      if (full_) account_index_.emplace(r.id, m_.by_account.size());
      AccountFigures a;
      a.id = r.id;
      if (full_) a.name = std::string(r.label());
      a.has_contact = has_contact(r);
      m_.by_account.push_back(std::move(a));
    }
  }

  void count_contacts() {
    for (const Record& r : repo_.of(KindId::Customer)) {
      if (!r.valid || !is_current(r, m_.as_of)) continue;
      std::string_view role = r.text("role");
      if (role == "customer")
        count_customer(r);
      else if (role == "purchaser")
        count_purchaser(r);
    }
  }

  // 2. Written agreements: the agreement names the customer itself (FORMAT.md requires
  // role customer there), so no roll-up is needed.
  void count_agreements() {
    std::unordered_set<std::string_view> with_agreement;
    for (const Record& r : repo_.of(KindId::Agreement))
      if (r.valid && is_written_at(r, m_.as_of)) with_agreement.insert(r.text("customer"));
    for (AccountFigures& a : m_.by_account) {
      ++m_.agreements_total;
      a.written_agreement = with_agreement.count(a.id) > 0;
      if (a.written_agreement) {
        ++m_.with_written_agreement;
      } else if (full_) {
        const Record* r = repo_.find(KindId::Customer, a.id);
        m_.customers_without_agreement.push_back(gap(*r));
      }
    }
  }

  // 3. Satisfaction, every score on brm.yaml's scale.
  void count_satisfaction() {
    account_sums_.assign(m_.by_account.size(), 0);
    for (const Record& r : repo_.of(KindId::Survey))
      if (r.valid && in_period(r.date("date"))) count_survey(r);
    if (m_.responses > 0) {
      m_.mean = score_sum_ / static_cast<double>(m_.responses);
      m_.csat = static_cast<double>(m_.satisfied) / static_cast<double>(m_.responses);
    }
    for (std::size_t i = 0; i < m_.by_account.size(); ++i) {
      AccountFigures& a = m_.by_account[i];
      if (a.responses > 0) a.mean = account_sums_[i] / static_cast<double>(a.responses);
    }
  }

  // 4. Complaints.
  void count_complaints() {
    std::vector<std::int64_t> days_to_close;
    for (const Record& r : repo_.of(KindId::Complaint))
      if (r.valid) count_complaint(r, days_to_close);
    m_.median_days_to_close = median(std::move(days_to_close));
  }

 private:
  bool in_period(const std::optional<Date>& d) const {
    return d && *d >= m_.since && *d <= m_.as_of;
  }

  // The account of a customer or purchaser id, through valid records only.
  std::string_view account_of(std::string_view id) const {
    const Record* r = repo_.find(KindId::Customer, id);
    if (!r || !r->valid) return {};
    return r->text("role") == "purchaser" ? r->text("customer") : std::string_view(r->id);
  }

  AccountFigures* account_figures(std::string_view id) {
    if (!full_) return nullptr;
    auto it = account_index_.find(account_of(id));
    return it == account_index_.end() ? nullptr : &m_.by_account[it->second];
  }

  void count_customer(const Record& r) {
    ++m_.customers.total;
    if (has_contact(r))
      ++m_.customers.with_contact;
    else if (full_)
      m_.customers_without_contact.push_back(gap(r));
  }

  void count_purchaser(const Record& r) {
    bool contact = has_contact(r);
    ++m_.purchasers.total;
    if (contact)
      ++m_.purchasers.with_contact;
    else if (full_)
      m_.purchasers_without_contact.push_back(gap(r));
    if (AccountFigures* a = account_figures(r.id)) {
      ++a->purchasers;
      if (contact) ++a->purchasers_with_contact;
    }
  }

  void count_survey(const Record& r) {
    std::int64_t threshold = satisfied_threshold(r, repo_.settings);
    std::int64_t scale = repo_.settings.survey_scale;
    std::int64_t own_scale = survey_scale(r, repo_.settings);
    const Value* responses = r.field("responses");
    if (!responses || !responses->is_sequence()) return;
    for (const Value& response : responses->items()) {
      auto score = whole_number(response.find("score"));
      if (!score) continue;
      double on_scale = score_on_scale(*score, own_scale, scale);
      ++m_.responses;
      score_sum_ += on_scale;
      if (*score >= threshold) ++m_.satisfied;
      const Value* who = response.find("customer");
      if (AccountFigures* a =
              who && who->is_string() ? account_figures(who->as_string()) : nullptr) {
        ++a->responses;
        account_sums_[static_cast<std::size_t>(a - m_.by_account.data())] += on_scale;
      }
    }
  }

  // One closed after the day is still open on the day.
  void count_complaint(const Record& r, std::vector<std::int64_t>& days_to_close) {
    auto received = r.date("received");
    auto closed = r.date("closed");
    std::string_view status = r.text("status");
    AccountFigures* a = account_figures(r.text("customer"));
    if (in_period(received)) {
      ++m_.complaints_received;
      if (a) ++a->complaints_received;
    }
    bool open = received && *received <= m_.as_of &&
                (status == "open" || status == "in-progress" || (closed && *closed > m_.as_of));
    if (open) {
      ++m_.complaints_open;
      if (a) ++a->complaints_open;
    }
    if (in_period(closed)) {
      ++m_.complaints_closed;
      if (received) days_to_close.push_back(closed->days() - received->days());
    }
  }

  const Repository& repo_;
  Measures& m_;
  const bool full_;
  std::unordered_map<std::string_view, std::size_t> account_index_;
  double score_sum_ = 0;
  std::vector<double> account_sums_;
};

}  // namespace

Measures compute_measures(const Repository& repo, Date as_of, std::optional<Date> since,
                          MeasureDetail detail) {
  const bool full = detail == MeasureDetail::Full;
  Measures m;
  m.as_of = as_of;
  m.since = since.value_or(default_since(as_of));
  Tally tally(repo, m, full);
  tally.count_left_out();
  tally.list_accounts();
  tally.count_contacts();
  tally.count_agreements();
  tally.count_satisfaction();
  tally.count_complaints();
  m.targets = repo.settings.targets;
  if (!full) std::vector<AccountFigures>().swap(m.by_account);
  return m;
}

// ---- Targets ----

double TargetResult::shortfall() const {
  if (!actual) return 0;
  return key == TargetKey::ComplaintsOpen ? *actual - target : (target - *actual) * 100.0;
}

std::string_view target_key(TargetKey k) {
  switch (k) {
    case TargetKey::Contacts:
      return "contacts";
    case TargetKey::Agreements:
      return "agreements";
    case TargetKey::Csat:
      return "csat";
    case TargetKey::ComplaintsOpen:
      return "complaints_open";
  }
  return "";
}

namespace {

std::optional<double> share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

TargetResult against(TargetKey key, double target, std::optional<double> actual) {
  TargetResult t{key, target, actual, std::nullopt};
  // At most so many open complaints; at least the share for the others.
  if (actual) t.met = key == TargetKey::ComplaintsOpen ? *actual <= target : *actual >= target;
  return t;
}

}  // namespace

std::vector<TargetResult> compare_with_targets(const Measures& m) {
  const Targets& t = m.targets;
  std::vector<TargetResult> out;
  if (t.contacts)
    out.push_back(against(TargetKey::Contacts, *t.contacts,
                          share(m.customers.with_contact + m.purchasers.with_contact,
                                m.customers.total + m.purchasers.total)));
  if (t.agreements)
    out.push_back(against(TargetKey::Agreements, *t.agreements,
                          share(m.with_written_agreement, m.agreements_total)));
  if (t.csat) out.push_back(against(TargetKey::Csat, *t.csat, m.csat));
  if (t.complaints_open)
    out.push_back(against(TargetKey::ComplaintsOpen, static_cast<double>(*t.complaints_open),
                          static_cast<double>(m.complaints_open)));
  return out;
}

std::string target_figure(const TargetResult& t) {
  return t.key == TargetKey::ComplaintsOpen ? fmt::format("at most {} open", t.target)
                                            : fmt::format("{:g}%", t.target * 100.0);
}

std::string actual_figure(const TargetResult& t) {
  if (!t.actual) return "-";
  return t.key == TargetKey::ComplaintsOpen ? fmt::format("{}", *t.actual)
                                            : fmt::format("{:.1f}%", *t.actual * 100.0);
}

std::string target_status(const TargetResult& t) {
  if (!t.met) return "no figure to compare";
  if (*t.met) return "met";
  return t.key == TargetKey::ComplaintsOpen ? fmt::format("missed by {}", t.shortfall())
                                            : fmt::format("missed by {:.1f} points", t.shortfall());
}

std::string target_text(const TargetResult& t) {
  return fmt::format("target {}: {}{}", target_figure(t),
                     t.actual ? actual_figure(t) + ", " : std::string(), target_status(t));
}

// ---- JSON ----

namespace {

Value count(std::int64_t n) { return Value::integer(n); }

Value number_or_null(const std::optional<double>& d) {
  if (!d) return Value::null();
  // Whole numbers (a median of 6 days) read best without a fraction.
  if (*d == static_cast<double>(static_cast<std::int64_t>(*d)))
    return Value::integer(static_cast<std::int64_t>(*d));
  return Value::floating(*d);
}

Value mean_value(const std::optional<double>& d) { return d ? Value::floating(*d) : Value::null(); }

}  // namespace

Value measures_to_value(const Measures& m, bool with_accounts) {
  Value out = Value::mapping();
  out.set("as_of", Value::string(m.as_of.str()));
  out.set("since", Value::string(m.since.str()));

  Value contacts = Value::mapping();
  auto role = [](const Measures::RoleContacts& c) {
    Value v = Value::mapping();
    v.set("total", count(c.total));
    v.set("with_contact", count(c.with_contact));
    return v;
  };
  contacts.set("customers", role(m.customers));
  contacts.set("purchasers", role(m.purchasers));
  out.set("contacts", std::move(contacts));

  Value agreements = Value::mapping();
  agreements.set("total", count(m.agreements_total));
  agreements.set("with_written_agreement", count(m.with_written_agreement));
  out.set("agreements", std::move(agreements));

  Value satisfaction = Value::mapping();
  satisfaction.set("responses", count(m.responses));
  satisfaction.set("mean", mean_value(m.mean));
  satisfaction.set("satisfied", count(m.satisfied));
  satisfaction.set("csat", mean_value(m.csat));
  out.set("satisfaction", std::move(satisfaction));

  Value complaints = Value::mapping();
  complaints.set("received", count(m.complaints_received));
  complaints.set("open", count(m.complaints_open));
  complaints.set("closed", count(m.complaints_closed));
  complaints.set("median_days_to_close", number_or_null(m.median_days_to_close));
  out.set("complaints", std::move(complaints));

  if (with_accounts) {
    Value accounts = Value::mapping();
    for (const AccountFigures& a : m.by_account) {
      Value v = Value::mapping();
      v.set("purchasers", count(a.purchasers));
      v.set("purchasers_with_contact", count(a.purchasers_with_contact));
      v.set("has_contact", Value::boolean(a.has_contact));
      v.set("written_agreement", Value::boolean(a.written_agreement));
      v.set("responses", count(a.responses));
      v.set("mean", mean_value(a.mean));
      v.set("complaints_received", count(a.complaints_received));
      v.set("complaints_open", count(a.complaints_open));
      accounts.set(a.id, std::move(v));
    }
    out.set("by_account", std::move(accounts));
  }
  std::vector<TargetResult> targets = compare_with_targets(m);
  if (!targets.empty()) {
    Value v = Value::mapping();
    for (const TargetResult& t : targets) {
      Value one = Value::mapping();
      one.set("target", number_or_null(t.target));
      one.set("actual",
              t.key == TargetKey::ComplaintsOpen ? number_or_null(t.actual) : mean_value(t.actual));
      one.set("met", t.met ? Value::boolean(*t.met) : Value::null());
      v.set(std::string(target_key(t.key)), std::move(one));
    }
    out.set("targets", std::move(v));
  }
  return out;
}

std::string measures_to_json(const Measures& m) {
  return to_json(versioned(measures_to_value(m)), 2) + "\n";
}

// ---- Text and Markdown ----

std::string format_percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string format_mean(const std::optional<double>& mean) {
  return mean ? fmt::format("{:.2f}", *mean) : "-";
}

namespace {

std::string done_of(std::int64_t done, std::int64_t total) {
  return fmt::format("{} of {} ({})", done, total, format_percent(done, total));
}

std::string days(double d) {
  std::string n = d == static_cast<double>(static_cast<std::int64_t>(d)) ? fmt::format("{}", d)
                                                                         : fmt::format("{:.1f}", d);
  return n + (d == 1.0 ? " day" : " days");
}

std::string pad(std::string_view s, std::size_t width) {
  std::size_t w = display_width(s);
  return std::string(s) + std::string(width > w ? width - w : 0, ' ');
}

// Rows of cells aligned in columns, indented, without a header: the lists of gaps.
// Cells are record text on their way to a terminal: one_line drops escape sequences.
std::string aligned(std::vector<std::vector<std::string>> rows, std::string_view indent) {
  for (auto& row : rows)
    for (std::string& cell : row) cell = one_line(cell);
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line(indent);
    for (std::size_t i = 0; i < row.size(); ++i)
      line += i + 1 < row.size() ? pad(row[i], widths[i] + 2) : row[i];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string complaints_line(const Measures& m) {
  std::string closed = fmt::format("{} closed", m.complaints_closed);
  if (m.median_days_to_close)
    closed += fmt::format(" (median {} to close)", days(*m.median_days_to_close));
  return fmt::format("{} received in the period, {}, {} open on {}", m.complaints_received, closed,
                     m.complaints_open, m.as_of.str());
}

std::string satisfaction_line(const Measures& m) {
  if (m.responses == 0) return "no responses to surveys closed in the period";
  return fmt::format("{} satisfied, mean score {}", done_of(m.satisfied, m.responses),
                     format_mean(m.mean));
}

// The line under a measure that compares it with its target; empty without one.
std::string target_line(const Measures& m, TargetKey key) {
  for (const TargetResult& t : compare_with_targets(m))
    if (t.key == key) return "  " + target_text(t) + "\n";
  return "";
}

std::string title(const Measures& m, const std::string& organisation) {
  return organisation.empty() ? fmt::format("Measures on {}", m.as_of.str())
                              : fmt::format("Measures for {} on {}", organisation, m.as_of.str());
}

}  // namespace

std::string measures_to_text(const Measures& m, const std::string& organisation) {
  std::string out = one_line(title(m, organisation)) + "\n";
  out += fmt::format("period {} to {}\n\n", m.since.str(), m.as_of.str());

  out += "Contacts: customers and purchasers with a designated contact in IT\n";
  out += aligned({{"customers", done_of(m.customers.with_contact, m.customers.total)},
                  {"purchasers", done_of(m.purchasers.with_contact, m.purchasers.total)}},
                 "  ");
  out += target_line(m, TargetKey::Contacts);
  if (!m.customers_without_contact.empty() || !m.purchasers_without_contact.empty()) {
    out += "  without a contact:\n";
    std::vector<std::vector<std::string>> rows;
    for (const GapEntry& g : m.customers_without_contact)
      rows.push_back({"customer", g.id, g.name});
    for (const GapEntry& g : m.purchasers_without_contact)
      rows.push_back(
          {"purchaser", g.id, g.account.empty() ? g.name : g.name + ", for " + g.account});
    out += aligned(rows, "    ");
  }

  out +=
      "\nAgreements: customers with a written agreement in force (signed, started, not "
      "ended)\n";
  out += "  " + done_of(m.with_written_agreement, m.agreements_total) + "\n";
  out += target_line(m, TargetKey::Agreements);
  if (!m.customers_without_agreement.empty()) {
    out += "  without a written agreement:\n";
    std::vector<std::vector<std::string>> rows;
    for (const GapEntry& g : m.customers_without_agreement) rows.push_back({g.id, g.name});
    out += aligned(rows, "    ");
  }

  out += "\nSatisfaction: responses to customer surveys closed in the period\n";
  out += "  " + satisfaction_line(m) + "\n";
  out += target_line(m, TargetKey::Csat);

  out += "\nComplaints from the customers\n";
  out += "  " + complaints_line(m) + "\n";
  out += target_line(m, TargetKey::ComplaintsOpen);
  return out;
}

namespace {

// Markdown table cells: a pipe would end the cell, a newline the row.
std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string_view target_title(TargetKey k) {
  switch (k) {
    case TargetKey::Contacts:
      return "Customers and purchasers with a contact in IT";
    case TargetKey::Agreements:
      return "Customers with a written agreement";
    case TargetKey::Csat:
      return "Satisfied survey responses (CSAT)";
    case TargetKey::ComplaintsOpen:
      return "Complaints open";
  }
  return "";
}

namespace {

// One row of the Markdown figures, with the target it is measured against, if any.
struct FigureRow {
  std::string measure;
  std::string figure;
  std::optional<TargetKey> target = {};
};

// The contacts target counts customers and purchasers together: with targets, that sum
// gets a row of its own so that the target stands beside the figure it is about.
std::vector<FigureRow> figure_rows(const Measures& m, bool with_targets) {
  std::vector<FigureRow> rows = {
      {"Customers with a contact in IT", done_of(m.customers.with_contact, m.customers.total)},
      {"Purchasers with a contact in IT", done_of(m.purchasers.with_contact, m.purchasers.total)}};
  if (with_targets)
    rows.push_back({"Customers and purchasers with a contact in IT",
                    done_of(m.customers.with_contact + m.purchasers.with_contact,
                            m.customers.total + m.purchasers.total),
                    TargetKey::Contacts});
  rows.push_back({"Customers with a written agreement",
                  done_of(m.with_written_agreement, m.agreements_total), TargetKey::Agreements});
  rows.push_back({"Satisfied survey responses",
                  m.responses == 0 ? "no responses" : done_of(m.satisfied, m.responses),
                  TargetKey::Csat});
  rows.push_back({"Mean survey score", format_mean(m.mean)});
  rows.push_back({"Complaints received", fmt::format("{}", m.complaints_received)});
  rows.push_back({"Complaints closed", fmt::format("{}", m.complaints_closed)});
  rows.push_back({"Median days to close",
                  m.median_days_to_close ? fmt::format("{}", *m.median_days_to_close) : "-"});
  rows.push_back({fmt::format("Complaints open on {}", m.as_of.str()),
                  fmt::format("{}", m.complaints_open), TargetKey::ComplaintsOpen});
  return rows;
}

// The figures table; with targets, each figure's target and status beside it.
std::string markdown_figures(const Measures& m) {
  std::vector<TargetResult> targets = compare_with_targets(m);
  if (targets.empty()) {
    std::string out = "| Measure | Figure |\n|---|---|\n";
    for (const FigureRow& r : figure_rows(m, false))
      out += fmt::format("| {} | {} |\n", r.measure, r.figure);
    return out;
  }
  std::string out = "| Measure | Figure | Target | Status |\n|---|---|---|---|\n";
  for (const FigureRow& r : figure_rows(m, true)) {
    auto t = std::find_if(targets.begin(), targets.end(),
                          [&](const TargetResult& x) { return r.target && x.key == *r.target; });
    bool has = t != targets.end();
    out += fmt::format("| {} | {} | {} | {} |\n", r.measure, r.figure, has ? target_figure(*t) : "",
                       has ? target_status(*t) : "");
  }
  return out;
}

}  // namespace

std::string measures_to_markdown(const Measures& m, const std::string& organisation) {
  std::string out = "# " + md_cell(title(m, organisation)) + "\n\n";
  out += fmt::format("Period {} to {}.\n\n", m.since.str(), m.as_of.str());
  out += markdown_figures(m);

  auto list = [&](std::string_view heading, const std::vector<GapEntry>& gaps) {
    if (gaps.empty()) return;
    out += fmt::format("\n## {}\n\n", heading);
    for (const GapEntry& g : gaps) out += fmt::format("- {} (`{}`)\n", md_cell(g.name), g.id);
  };
  list("Customers without a contact in IT", m.customers_without_contact);
  list("Purchasers without a contact in IT", m.purchasers_without_contact);
  list("Customers without a written agreement", m.customers_without_agreement);

  if (!m.by_account.empty()) {
    out += "\n## By account\n\n";
    out +=
        "| Account | Purchasers | With contact | Contact | Written agreement | Responses | "
        "Mean | Complaints received | Open |\n";
    out += "|---|--:|--:|---|---|--:|--:|--:|--:|\n";
    for (const AccountFigures& a : m.by_account)
      out +=
          fmt::format("| {} (`{}`) | {} | {} | {} | {} | {} | {} | {} | {} |\n", md_cell(a.name),
                      a.id, a.purchasers, a.purchasers_with_contact, a.has_contact ? "yes" : "no",
                      a.written_agreement ? "yes" : "no", a.responses, format_mean(a.mean),
                      a.complaints_received, a.complaints_open);
  }
  return out;
}

std::string measures_to_csv(const Measures& m) {
  std::string out = csv_line({"account", "purchasers", "purchasers_with_contact", "has_contact",
                              "written_agreement", "responses", "mean", "complaints_received",
                              "complaints_open"});
  for (const AccountFigures& a : m.by_account)
    out += csv_line(
        {a.id, fmt::format("{}", a.purchasers), fmt::format("{}", a.purchasers_with_contact),
         a.has_contact ? "true" : "false", a.written_agreement ? "true" : "false",
         fmt::format("{}", a.responses), a.mean ? fmt::format("{}", *a.mean) : "",
         fmt::format("{}", a.complaints_received), fmt::format("{}", a.complaints_open)});
  return out;
}

}  // namespace brm

// The rules beyond one file (FORMAT.md, "Rules beyond one file") and the checks a
// schema cannot express. The ones every kind shares come from the kinds table
// (references, date order, typo-guard dates, extra keys); the few that belong to one
// kind are the rows of kind_rules below.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>

#include "brm/repository.hpp"
#include "brm/service_levels.hpp"
#include "brm/value.hpp"

namespace brm {
namespace {

class RuleContext {
 public:
  RuleContext(const Repository& repo, Diagnostics* findings, Date today)
      : repo_(repo), findings_(findings), today_(today) {}

  void add(const Record& r, Mark m, Severity s, std::string_view rule, std::string message) {
    findings_->push_back({r.path(), m.line, m.column, s, std::string(rule), std::move(message)});
  }

  // A reference to a file that does not parse: its own error is the cause, so the
  // referring file gets one note at most, not an error per reference.
  bool refers_to_unparsed(const Record& r, const Value& v, KindId target, bool* noted) {
    const auto& broken = repo_.unparsed[static_cast<std::size_t>(target)];
    if (std::find(broken.begin(), broken.end(), v.as_string()) == broken.end()) return false;
    if (!*noted)
      add(r, v.mark(), Severity::Note, "broken-reference",
          fmt::format("'{}' is in {}, which does not parse; this file's references to it are "
                      "checked once it does",
                      v.as_string(), record_path(target, v.as_string())));
    *noted = true;
    return true;
  }

  void references(const Record& r) {
    bool noted = false;
    for (const Reference& ref : kind_of(r.kind).references) {
      const Kind& target = kind_of(ref.target);
      if (ref.only_with_catalogue && repo_.of(ref.target).empty()) continue;
      // A customer's own `customer` field is forbidden by its schema; only purchasers refer.
      if (r.kind == KindId::Customer && r.text("role") != "purchaser") continue;
      for_each_path_value(r.doc, ref.path, [&](const Value& v) {
        if (!v.is_string()) return;
        const std::string& id = v.as_string();
        const Record* t = repo_.find(ref.target, id);
        if (!t && refers_to_unparsed(r, v, ref.target, &noted)) return;
        if (!t) {
          std::string hint;
          std::vector<std::string_view> ids;
          for (const Record& c : repo_.of(ref.target)) ids.push_back(c.id);
          if (auto near = closest_match(id, ids); !near.empty())
            hint = fmt::format(" (did you mean '{}'?)", near);
          add(r, v.mark(), Severity::Error, "unknown-reference",
              fmt::format("no {} '{}' in {}/{}", target.name, id, target.folder, hint));
          return;
        }
        if (ref.needs_role_customer && t->text("role") == "purchaser") {
          if (r.kind == KindId::Customer)
            add(r, v.mark(), Severity::Error, "purchaser-chain",
                fmt::format("'{}' is a purchaser; a purchaser orders under a customer's mandate, "
                            "not another purchaser's",
                            id));
          else
            add(r, v.mark(), Severity::Error, "wrong-role",
                fmt::format("'{}' is a purchaser; an {} belongs to a customer (role customer)", id,
                            kind_of(r.kind).name));
        }
      });
    }
  }

  // The one value at a path (dotted paths for nested fields: escalation.date).
  static const Value* value_at(const Record& r, std::string_view path) {
    const Value* found = nullptr;
    for_each_path_value(r.doc, path, [&](const Value& v) { found = &v; });
    return found;
  }
  static std::optional<Date> date_at(const Value* v) {
    return v && v->is_string() ? Date::parse(v->as_string()) : std::nullopt;
  }

  void date_order(const Record& r, const DateOrder& order) {
    const Value* later = value_at(r, order.later);
    auto a = date_at(value_at(r, order.earlier)), b = date_at(later);
    if (a && b && *b < *a)
      add(r, later->mark(), Severity::Error, "date-order",
          fmt::format("{} {} is before {} {}", order.later, b->str(), order.earlier, a->str()));
  }

  void not_far_future(const Record& r, std::string_view path) {
    const Value* v = value_at(r, path);
    auto d = date_at(v);
    if (d && *d > today_.add_days(366))
      add(r, v->mark(), Severity::Warning, "future-date",
          fmt::format("{} {} is more than a year ahead; a typo?", path, d->str()));
  }

  // FORMAT.md: keys inside extra, at any depth, match [A-Za-z_][A-Za-z0-9_-]*, so that
  // dotted paths (set, CSV columns) reach every one.
  void extra_keys(const Record& r, const Value& v) {
    auto good = [](std::string_view key) {
      auto word = [](char c, bool first) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
               (!first && ((c >= '0' && c <= '9') || c == '-'));
      };
      if (key.empty() || !word(key[0], true)) return false;
      return std::all_of(key.begin() + 1, key.end(), [&](char c) { return word(c, false); });
    };
    for (const Value::Entry& e : v.entries()) {
      if (!good(e.key))
        add(r, e.key_mark, Severity::Error, "bad-extra-key",
            fmt::format("extra key '{}': use letters, digits, '_' and '-', starting with a "
                        "letter or '_' (no dots: dotted paths address nested keys)",
                        e.key));
      extra_keys(r, e.value);
    }
    for (const Value& item : v.items()) extra_keys(r, item);
  }

  void every_kind(const Record& r) {
    const Kind& k = kind_of(r.kind);
    references(r);
    for (const DateOrder& order : k.date_order) date_order(r, order);
    for (std::string_view path : k.future_dates) not_far_future(r, path);
    if (const Value* extra = r.field("extra")) extra_keys(r, *extra);
  }

  void agreement(const Record& r) {
    auto end = r.date("end");
    if (r.text("status") == "active" && end && *end < today_)
      add(r, r.field("end")->mark(), Severity::Warning, "agreement-expired",
          fmt::format("the agreement is active but ended on {}; set its status to expired or "
                      "extend it",
                      end->str()));
  }

  void survey(const Record& r) {
    std::int64_t scale = survey_scale(r, repo_.settings);
    std::vector<std::string_view> questions;
    if (const Value* qs = r.field("questions"); qs && qs->is_sequence()) {
      for (const Value& q : qs->items()) {
        const Value* id = q.find("id");
        if (!id || !id->is_string()) continue;
        if (std::find(questions.begin(), questions.end(), id->as_string()) != questions.end())
          add(r, id->mark(), Severity::Error, "duplicate-question",
              fmt::format("question id '{}' is used twice", id->as_string()));
        questions.push_back(id->as_string());
      }
    }
    auto in_scale = [&](const Value& v, std::string_view what) {
      std::optional<std::int64_t> n = whole_number(&v);
      if (n && (*n < 1 || *n > scale))
        add(r, v.mark(), Severity::Error, "score-out-of-scale",
            fmt::format("{} {} is outside the scale 1..{}", what, *n, scale));
    };
    const Value* responses = r.field("responses");
    if (!responses || !responses->is_sequence()) return;
    for (const Value& resp : responses->items()) {
      if (const Value* score = resp.find("score")) in_scale(*score, "score");
      const Value* answers = resp.find("answers");
      if (!answers || !answers->is_mapping()) continue;
      for (const auto& e : answers->entries()) {
        if (std::find(questions.begin(), questions.end(), e.key) == questions.end()) {
          std::string hint;
          if (auto near = closest_match(e.key, questions); !near.empty())
            hint = fmt::format(" (did you mean '{}'?)", near);
          add(r, e.key_mark, Severity::Error, "unknown-question",
              fmt::format("no question '{}' in this survey's questions{}", e.key, hint));
        }
        in_scale(e.value, fmt::format("answer '{}'", e.key));
      }
    }
  }

  // One respondent answering twice counts twice in every satisfaction figure; a forms
  // tool that allows several submissions per person is the usual cause.
  void respondents_once(const Record& r) {
    const Value* responses = r.field("responses");
    if (!responses || !responses->is_sequence()) return;
    std::vector<std::string_view> seen;
    for (const Value& resp : responses->items()) {
      const Value* who = resp.find("customer");
      if (!who || !who->is_string()) continue;
      if (std::find(seen.begin(), seen.end(), who->as_string()) != seen.end())
        add(r, who->mark(), Severity::Warning, "duplicate-respondent",
            fmt::format("'{}' answered this survey more than once; each answer counts",
                        who->as_string()));
      seen.push_back(who->as_string());
    }
  }

  // FORMAT.md: a result's service and metric must be a service level of its agreement.
  void result_levels(const Record& r) {
    const Record* agreement = repo_.find(KindId::Agreement, r.text("agreement"));
    if (!agreement) return;  // an unknown-reference already
    bool catalogue = !repo_.of(KindId::Service).empty();
    for (const DeliveredLevel& l : delivered_levels(repo_, r)) {
      if (l.agreed || l.service.empty() || l.metric.empty()) continue;
      // A service missing from the catalogue is an unknown-reference already.
      if (catalogue && !repo_.find(KindId::Service, l.service)) continue;
      bool covered = false;
      for_each_path_value(agreement->doc, "services[].service", [&](const Value& v) {
        covered = covered || (v.is_string() && v.as_string() == l.service);
      });
      if (covered)
        add(r, l.item->find("metric")->mark(), Severity::Error, "unknown-level",
            fmt::format("agreement '{}' has no service level '{}' for service '{}'", agreement->id,
                        l.metric, l.service));
      else
        add(r, l.item->find("service")->mark(), Severity::Error, "unknown-level",
            fmt::format("agreement '{}' does not cover service '{}'", agreement->id, l.service));
    }
  }

  // Two results of one agreement must not cover the same day for the same level: the
  // later one (by start, then id) is blamed, naming the earlier.
  void result_overlaps() {
    struct Period {
      std::string_view agreement, service, metric;
      Date start, end;
      const Record* result;
      Mark mark;
    };
    std::vector<Period> periods;
    for (const Record& r : repo_.of(KindId::Result)) {
      auto start = r.date("start"), end = r.date("end");
      if (!start || !end || *end < *start) continue;
      for (const DeliveredLevel& l : delivered_levels(repo_, r))
        periods.push_back(
            {r.text("agreement"), l.service, l.metric, *start, *end, &r, l.item->mark()});
    }
    auto key = [](const Period& p) { return std::tie(p.agreement, p.service, p.metric); };
    std::sort(periods.begin(), periods.end(), [&](const Period& a, const Period& b) {
      return std::tuple(key(a), a.start, a.result->id) < std::tuple(key(b), b.start, b.result->id);
    });
    const Period* last = nullptr;  // of the same level, the one that ends last
    for (const Period& p : periods) {
      if (last && key(*last) == key(p) && p.start <= last->end && last->result != p.result)
        add(*p.result, p.mark, Severity::Error, "overlapping-results",
            fmt::format("{} {} from {} to {} overlaps {} ({} to {})", p.service, p.metric,
                        p.start.str(), p.end.str(), last->result->path(), last->start.str(),
                        last->end.str()));
      if (!last || key(*last) != key(p) || p.end > last->end) last = &p;
    }
  }

  void settings() {
    const Settings& s = repo_.settings;
    if (s.survey_satisfied > s.survey_scale)
      findings_->push_back({"brm.yaml", 0, 0, Severity::Error, "bad-setting",
                            fmt::format("survey.satisfied {} is above survey.scale {}",
                                        s.survey_satisfied, s.survey_scale)});
  }

 private:
  const Repository& repo_;
  Diagnostics* findings_;
  Date today_;
};

}  // namespace

namespace {

// The rules of one kind beyond what the kinds table gives every kind.
struct KindRule {
  KindId kind;
  void (RuleContext::*check)(const Record&);
};
constexpr KindRule kind_rules[] = {
    {KindId::Agreement, &RuleContext::agreement},
    {KindId::Survey, &RuleContext::survey},
    {KindId::Survey, &RuleContext::respondents_once},
    {KindId::Result, &RuleContext::result_levels},
};

// The fields the rules read beyond the table's paths: keep in step with the rules
// above (the unit tests' loader checks every load both ways, whole and trimmed).
struct ReadField {
  KindId kind;
  std::string_view field;
};
constexpr ReadField rule_fields[] = {
    {KindId::Customer, "role"},      {KindId::Agreement, "status"}, {KindId::Agreement, "end"},
    {KindId::Agreement, "services"}, {KindId::Survey, "scale"},     {KindId::Survey, "questions"},
    {KindId::Survey, "responses"},   {KindId::Result, "agreement"}, {KindId::Result, "start"},
    {KindId::Result, "end"},         {KindId::Result, "levels"},
};

std::string_view top_field(std::string_view path) {
  return path.substr(0, std::min(path.find('.'), path.find('[')));
}

}  // namespace

const FieldSelection& rule_read_fields() {
  static const FieldSelection fields = [] {
    FieldSelection f;
    auto keep = [&](KindId kind, std::string_view path) {
      auto& list = f[static_cast<std::size_t>(kind)];
      std::string_view top = top_field(path);
      if (std::find(list.begin(), list.end(), top) == list.end()) list.push_back(top);
    };
    for (const Kind& k : kinds()) {
      for (const Reference& ref : k.references) keep(k.id, ref.path);
      for (const DateOrder& order : k.date_order) {
        keep(k.id, order.earlier);
        keep(k.id, order.later);
      }
      for (std::string_view path : k.future_dates) keep(k.id, path);
      keep(k.id, "extra");
    }
    for (const ReadField& r : rule_fields) keep(r.kind, r.field);
    return f;
  }();
  return fields;
}

namespace {

void record_rules(RuleContext& ctx, const Record& r) {
  ctx.every_kind(r);
  for (const KindRule& rule : kind_rules)
    if (rule.kind == r.kind) (ctx.*rule.check)(r);
}

}  // namespace

void check_rules(const Repository& repo, Diagnostics* findings, Date today) {
  RuleContext ctx(repo, findings, today);
  ctx.settings();
  for (const auto& records : repo.records)
    for (const Record& r : records) record_rules(ctx, r);
  ctx.result_overlaps();  // a pass over the whole repository: see whole_repository_rule
}

void check_record_rules(const Repository& repo, std::span<const Record* const> records,
                        Diagnostics* findings, Date today) {
  RuleContext ctx(repo, findings, today);
  for (const Record* r : records) record_rules(ctx, *r);
}

bool whole_repository_rule(std::string_view rule) {
  return rule == "overlapping-results" || rule == "bad-setting";
}

bool reference_rule(std::string_view rule) {
  return rule == "unknown-reference" || rule == "broken-reference";
}

bool add_reaches_only_references(KindId kind) {
  // Results are compared with each other (overlapping-results) and read their agreement's
  // levels and the service catalogue: a new one of those kinds reaches further.
  return kind != KindId::Result && kind != KindId::Agreement && kind != KindId::Service;
}

}  // namespace brm

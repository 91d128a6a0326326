// The rules beyond one file (FORMAT.md, "Rules beyond one file") and the checks a
// schema cannot express: date order, survey scales, question ids.
#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "brm/repository.hpp"

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

  void date_order(const Record& r, std::string_view earlier, std::string_view later) {
    auto a = r.date(earlier), b = r.date(later);
    if (a && b && *b < *a)
      add(r, r.field(later)->mark(), Severity::Error, "date-order",
          fmt::format("{} {} is before {} {}", later, b->str(), earlier, a->str()));
  }

  void not_far_future(const Record& r, std::string_view field) {
    auto d = r.date(field);
    if (d && *d > today_.add_days(366))
      add(r, r.field(field)->mark(), Severity::Warning, "future-date",
          fmt::format("{} {} is more than a year ahead; a typo?", field, d->str()));
  }

  void agreement(const Record& r) {
    date_order(r, "start", "end");
    auto end = r.date("end");
    if (r.text("status") == "active" && end && *end < today_)
      add(r, r.field("end")->mark(), Severity::Warning, "agreement-expired",
          fmt::format("the agreement is active but ended on {}; set its status to expired or "
                      "extend it",
                      end->str()));
  }

  void survey(const Record& r) {
    int scale = repo_.settings.survey_scale;
    if (const Value* s = r.field("scale"); s && s->type() == Value::Type::Int)
      scale = static_cast<int>(s->as_int());
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
      if (v.type() != Value::Type::Int) return;
      if (v.as_int() < 1 || v.as_int() > scale)
        add(r, v.mark(), Severity::Error, "score-out-of-scale",
            fmt::format("{} {} is outside the scale 1..{}", what, v.as_int(), scale));
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

// The fields the rules below read, beyond the kinds' references: keep in step with them
// (the unit tests' loader checks every load both ways, whole and trimmed).
std::span<const std::string_view> rule_fields(KindId kind) {
  static constexpr std::string_view customer[] = {"role"};
  static constexpr std::string_view agreement[] = {"start", "end", "status"};
  static constexpr std::string_view complaint[] = {"received", "closed"};
  static constexpr std::string_view meeting[] = {"date"};
  static constexpr std::string_view survey[] = {"scale", "questions", "responses"};
  static constexpr std::string_view requirement[] = {"raised", "decided", "delivered"};
  switch (kind) {
    case KindId::Customer:
      return customer;
    case KindId::Agreement:
      return agreement;
    case KindId::Complaint:
      return complaint;
    case KindId::Meeting:
      return meeting;
    case KindId::Survey:
      return survey;
    case KindId::Requirement:
      return requirement;
    case KindId::Service:
      break;
  }
  return {};
}

}  // namespace

const FieldSelection& rule_read_fields() {
  static const FieldSelection fields = [] {
    FieldSelection f;
    for (const Kind& k : kinds()) {
      auto& keep = f[static_cast<std::size_t>(k.id)];
      for (const Reference& ref : k.references) {
        std::string_view top = ref.path.substr(0, ref.path.find("[]."));
        if (std::find(keep.begin(), keep.end(), top) == keep.end()) keep.push_back(top);
      }
      for (std::string_view field : rule_fields(k.id))
        if (std::find(keep.begin(), keep.end(), field) == keep.end()) keep.push_back(field);
    }
    return f;
  }();
  return fields;
}

void check_rules(const Repository& repo, Diagnostics* findings, Date today) {
  RuleContext ctx(repo, findings, today);
  ctx.settings();
  for (const auto& records : repo.records) {
    for (const Record& r : records) {
      ctx.references(r);
      switch (r.kind) {
        case KindId::Agreement: ctx.agreement(r); break;
        case KindId::Complaint:
          ctx.date_order(r, "received", "closed");
          ctx.not_far_future(r, "received");
          break;
        case KindId::Meeting: ctx.not_far_future(r, "date"); break;
        case KindId::Survey:
          ctx.survey(r);
          ctx.respondents_once(r);
          break;
        case KindId::Requirement:
          ctx.date_order(r, "raised", "decided");
          ctx.date_order(r, "decided", "delivered");
          ctx.not_far_future(r, "raised");
          break;
        default: break;
      }
    }
  }
}

}  // namespace brm

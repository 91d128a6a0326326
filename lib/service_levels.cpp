// Service levels agreed and delivered: the lookups that rules, lists and reports share.
#include "brm/service_levels.hpp"

namespace brm {

bool higher_is_better(std::string_view unit, std::string_view better) {
  if (better == "higher") return true;
  if (better == "lower") return false;
  return !(unit == "hours" || unit == "minutes" || unit == "days");
}

bool AgreedLevel::is_met(double achieved) const {
  return higher_is_better ? achieved >= target : achieved <= target;
}

namespace {

std::string_view text_of(const Value& item, std::string_view key) {
  const Value* v = item.find(key);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

}  // namespace

std::optional<AgreedLevel> agreed_level(const Record& agreement, std::string_view service,
                                        std::string_view metric) {
  const Value* services = agreement.field("services");
  if (!services || !services->is_sequence()) return std::nullopt;
  for (const Value& s : services->items()) {
    if (!s.is_mapping() || text_of(s, "service") != service) continue;
    const Value* levels = s.find("levels");
    if (!levels || !levels->is_sequence()) continue;
    for (const Value& l : levels->items()) {
      if (!l.is_mapping() || text_of(l, "metric") != metric) continue;
      const Value* target = l.find("target");
      if (!target || !target->is_number()) continue;
      std::string_view unit = text_of(l, "unit");
      return AgreedLevel{service, metric, unit, target->as_double(),
                         brm::higher_is_better(unit, text_of(l, "better"))};
    }
  }
  return std::nullopt;
}

std::vector<DeliveredLevel> delivered_levels(const Repository& repo, const Record& result) {
  std::vector<DeliveredLevel> out;
  const Value* levels = result.field("levels");
  if (!levels || !levels->is_sequence()) return out;
  const Record* agreement = repo.find(KindId::Agreement, result.text("agreement"));
  for (const Value& l : levels->items()) {
    if (!l.is_mapping()) continue;
    DeliveredLevel d;
    d.item = &l;
    d.service = text_of(l, "service");
    d.metric = text_of(l, "metric");
    if (const Value* a = l.find("achieved"); a && a->is_number()) d.achieved = a->as_double();
    if (agreement) d.agreed = agreed_level(*agreement, d.service, d.metric);
    out.push_back(d);
  }
  return out;
}

}  // namespace brm

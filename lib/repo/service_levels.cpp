// Service levels agreed and delivered: the lookups that rules, lists and reports share.
#include "brm/service_levels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

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

std::vector<AgreedLevel> agreed_levels(const Record& agreement) {
  std::vector<AgreedLevel> out;
  const Value* services = agreement.field("services");
  if (!services || !services->is_sequence()) return out;
  for (const Value& s : services->items()) {
    const Value* levels = s.is_mapping() ? s.find("levels") : nullptr;
    if (!levels || !levels->is_sequence()) continue;
    for (const Value& l : levels->items()) {
      const Value* target = l.is_mapping() ? l.find("target") : nullptr;
      if (!target || !target->is_number()) continue;
      std::string_view unit = text_of(l, "unit");
      out.push_back(AgreedLevel{text_of(s, "service"), text_of(l, "metric"), unit,
                                target->as_double(),
                                brm::higher_is_better(unit, text_of(l, "better"))});
    }
  }
  return out;
}

std::optional<AgreedLevel> agreed_level(const Record& agreement, std::string_view service,
                                        std::string_view metric) {
  for (const AgreedLevel& l : agreed_levels(agreement))
    if (l.service == service && l.metric == metric) return l;
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

std::vector<const Record*> results_of(const Repository& repo, std::string_view agreement,
                                      Date as_of) {
  std::vector<const Record*> out;
  for (const Record* r : repo.valid_records(KindId::Result)) {
    auto end = r->date("end");
    if (r->text("agreement") == agreement && end && *end <= as_of) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const Record* a, const Record* b) {
    auto ea = *a->date("end"), eb = *b->date("end");
    return ea != eb ? ea < eb : a->id < b->id;
  });
  return out;
}

std::optional<double> achieved_in(const Record& result, std::string_view service,
                                  std::string_view metric) {
  const Value* levels = result.field("levels");
  if (!levels || !levels->is_sequence()) return std::nullopt;
  for (const Value& l : levels->items()) {
    if (!l.is_mapping() || text_of(l, "service") != service || text_of(l, "metric") != metric)
      continue;
    if (const Value* a = l.find("achieved"); a && a->is_number()) return a->as_double();
  }
  return std::nullopt;
}

LevelTrend level_trend(const AgreedLevel& level, double before, double now) {
  if (now == before) return LevelTrend::Steady;
  return (now > before) == level.higher_is_better ? LevelTrend::Better : LevelTrend::Worse;
}

std::string_view unit_suffix(std::string_view unit) {
  if (unit == "percent") return "%";
  if (unit == "hours") return " h";
  if (unit == "minutes") return " min";
  if (unit == "days") return " d";
  return "";
}

std::string level_figure(double value, std::string_view unit) {
  // Whole numbers without exponent or point ("1000000", not "1e+06"); others as short as
  // they read back exactly ("99.41").
  bool whole = std::trunc(value) == value && std::fabs(value) < 1e15;
  std::string figure =
      whole ? fmt::format("{}", static_cast<long long>(value)) : fmt::format("{}", value);
  return figure + std::string(unit_suffix(unit));
}

}  // namespace brm

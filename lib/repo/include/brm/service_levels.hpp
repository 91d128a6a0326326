// Service levels agreed and delivered (FORMAT.md, agreements/ and results/): which way a
// level is better, where an agreement holds a level, and whether a result met it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brm/repository.hpp"

namespace brm {

// `better` as written, or its default by unit: lower for hours, minutes and days,
// higher for percent, count and anything else.
bool higher_is_better(std::string_view unit, std::string_view better);

// One agreed level of an agreement: services[].levels[] with its service.
struct AgreedLevel {
  std::string_view service;
  std::string_view metric;
  std::string_view unit;
  double target = 0;
  bool higher_is_better = true;

  // achieved >= target (higher is better) or <= target (lower is better).
  bool is_met(double achieved) const;
};

// Every level an agreement holds, in file order (services[], then their levels[]).
std::vector<AgreedLevel> agreed_levels(const Record& agreement);

// The level `metric` of `service` in an agreement; nullopt when it has none.
std::optional<AgreedLevel> agreed_level(const Record& agreement, std::string_view service,
                                        std::string_view metric);

// One level of a result, with the agreed level it is measured against when the
// result's agreement has it.
struct DeliveredLevel {
  const Value* item = nullptr;  // the levels[] item, for its marks
  std::string_view service;
  std::string_view metric;
  std::optional<double> achieved;
  std::optional<AgreedLevel> agreed;

  bool is_breached() const { return achieved && agreed && !agreed->is_met(*achieved); }
};

// The levels of a result in file order, looked up in its agreement.
std::vector<DeliveredLevel> delivered_levels(const Repository& repo, const Record& result);

// The valid results of an agreement whose period ended on or before `as_of`, oldest first
// (by end, then id): what had been delivered by that day.
std::vector<const Record*> results_of(const Repository& repo, std::string_view agreement,
                                      Date as_of);

// What a result reports as achieved for one level; nullopt when it does not report it.
std::optional<double> achieved_in(const Record& result, std::string_view service,
                                  std::string_view metric);

// Whether `now` is better, worse or the same as `before`, in the level's better direction.
enum class LevelTrend { Better, Worse, Steady };
LevelTrend level_trend(const AgreedLevel& level, double before, double now);

// "%", " h", " min", " d", or nothing for a count: how a figure in `unit` is written.
std::string_view unit_suffix(std::string_view unit);
// A figure with its unit: "99.41%", "6.5 h", "12".
std::string level_figure(double value, std::string_view unit);

}  // namespace brm

// Service levels agreed and delivered (FORMAT.md, agreements/ and results/): which way a
// level is better, where an agreement holds a level, and whether a result met it.
#pragma once

#include <optional>
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

}  // namespace brm

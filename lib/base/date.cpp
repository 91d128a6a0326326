// Calendar dates on C++20's <chrono> calendar: exact, proleptic Gregorian, no time zones.
#include "brm/date.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

namespace brm {
namespace {

namespace chr = std::chrono;

chr::year_month_day calendar(const Date& d) { return chr::year{d.year} / d.month / d.day; }

Date date_of(const chr::year_month_day& ymd) {
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

Date date_of(chr::sys_days day) { return date_of(chr::year_month_day{day}); }

}  // namespace

bool is_leap_year(int y) { return chr::year{y}.is_leap(); }

int days_in_month(int y, int m) {
  return static_cast<int>(static_cast<unsigned>((chr::year{y} / m / chr::last).day()));
}

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t n) -> int {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  Date date{y, m, d};
  if (!calendar(date).ok()) return std::nullopt;  // 2026-02-30, month 13, day 0
  return date;
}

std::int64_t Date::days() const {
  return chr::sys_days(calendar(*this)).time_since_epoch().count();
}

Date Date::from_days(std::int64_t z) { return date_of(chr::sys_days{chr::days{z}}); }

std::string Date::str() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

Date Date::minus_one_year() const {
  chr::year_month_day before = calendar(*this) - chr::years{1};
  if (!before.ok()) before = before.year() / before.month() / chr::last;  // Feb 29 -> Feb 28
  return date_of(before);
}

Date Date::end_of_month() const {
  return date_of(chr::year_month_day{chr::year{year} / month / chr::last});
}

Date date_of_unix_time(std::int64_t seconds) {
  return date_of(chr::floor<chr::days>(chr::sys_seconds{chr::seconds{seconds}}));
}

Date today() {
  if (const char* fixed = std::getenv("BRM_TODAY")) {
    if (auto d = Date::parse(fixed)) return *d;
  }
  return date_of(chr::floor<chr::days>(chr::system_clock::now()));
}

}  // namespace brm

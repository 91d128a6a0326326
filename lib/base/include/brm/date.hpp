// Calendar dates (YYYY-MM-DD), the only time unit brm's records use.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brm {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Strict YYYY-MM-DD of a day that exists (2026-02-30 is not one).
  static std::optional<Date> parse(std::string_view text);
  static Date from_days(std::int64_t days);  // days since 1970-01-01

  std::int64_t days() const;  // days since 1970-01-01
  std::string str() const;
  Date add_days(std::int64_t n) const { return from_days(days() + n); }
  // One calendar year earlier; Feb 29 becomes Feb 28.
  Date minus_one_year() const;
  Date end_of_month() const;

  friend auto operator<=>(const Date&, const Date&) = default;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);

// Today in UTC, or BRM_TODAY (YYYY-MM-DD) when set, so that tests and reproducible
// reports can fix the day.
Date today();

// The UTC day of a Unix time.
Date date_of_unix_time(std::int64_t seconds);

}  // namespace brm

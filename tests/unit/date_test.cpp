#include "brm/date.hpp"

#include <doctest/doctest.h>

using namespace brm;

TEST_CASE("date: only days that exist parse") {
  CHECK(Date::parse("2026-03-04").has_value());
  CHECK(Date::parse("2024-02-29").has_value());
  CHECK_FALSE(Date::parse("2026-02-29").has_value());
  CHECK_FALSE(Date::parse("2026-02-30").has_value());
  CHECK_FALSE(Date::parse("2026-13-01").has_value());
  CHECK_FALSE(Date::parse("03/04/2026").has_value());
  CHECK_FALSE(Date::parse("2026-3-4").has_value());
  CHECK(Date::parse("1900-02-28").has_value());
  CHECK_FALSE(Date::parse("1900-02-29").has_value());
  CHECK(Date::parse("2000-02-29").has_value());
}

TEST_CASE("date: day arithmetic round-trips") {
  Date d = *Date::parse("2026-06-30");
  CHECK(Date::from_days(d.days()) == d);
  CHECK(d.add_days(1).str() == "2026-07-01");
  CHECK(Date::parse("1970-01-01")->days() == 0);
  CHECK(Date::parse("2024-12-31")->add_days(1).str() == "2025-01-01");
  CHECK(Date::parse("2026-03-10")->days() - Date::parse("2026-03-04")->days() == 6);
}

TEST_CASE("date: one year earlier turns Feb 29 into Feb 28") {
  CHECK(Date::parse("2028-02-29")->minus_one_year().str() == "2027-02-28");
  CHECK(Date::parse("2026-06-30")->minus_one_year().add_days(1).str() == "2025-07-01");
}

TEST_CASE("date: BRM_TODAY fixes today") {
  setenv("BRM_TODAY", "2026-11-26", 1);
  CHECK(today().str() == "2026-11-26");
  unsetenv("BRM_TODAY");
}

TEST_CASE("date: Unix times map to UTC days") {
  CHECK(date_of_unix_time(0).str() == "1970-01-01");
  CHECK(date_of_unix_time(86399).str() == "1970-01-01");
  CHECK(date_of_unix_time(-1).str() == "1969-12-31");
  CHECK(date_of_unix_time(1782777600).str() == "2026-06-30");
}

// Kinds as data: the table, ids, and the paths of record files.
#include <doctest/doctest.h>

#include "brm/kinds.hpp"

using namespace brm;

TEST_CASE("kinds: a record's path is its kind's folder and its id") {
  CHECK(record_path(KindId::Customer, "anna-berg") == "customers/anna-berg.yaml");
  CHECK(record_path(KindId::Meeting, "2026-01-05-review") == "meetings/2026-01-05-review.yaml");
}

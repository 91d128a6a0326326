// Kinds as data: the table, ids, and the paths of record files.
#include <doctest/doctest.h>

#include "brm/kinds.hpp"

using namespace brm;

TEST_CASE("kinds: a record's path is its kind's folder and its id") {
  CHECK(record_path(KindId::Customer, "anna-berg") == "customers/anna-berg.yaml");
  CHECK(record_path(KindId::Meeting, "2026-01-05-review") == "meetings/2026-01-05-review.yaml");
}

TEST_CASE("kinds: a record file's path gives back its kind and id") {
  std::string_view id;
  const Kind* k = kind_of_record_path("complaints/late-invoice.yaml", &id);
  REQUIRE(k);
  CHECK(k->id == KindId::Complaint);
  CHECK(id == "late-invoice");
  for (const Kind& kind : kinds()) {
    std::string path = record_path(kind.id, "x-1");
    REQUIRE(kind_of_record_path(path, &id) == &kind);
    CHECK(id == "x-1");
  }
}

TEST_CASE("kinds: paths that are no record file have no kind") {
  CHECK(!kind_of_record_path("brm.yaml"));
  CHECK(!kind_of_record_path("schema/customer.schema.yaml"));
  CHECK(!kind_of_record_path("customers"));
  CHECK(!kind_of_record_path("customers/old/anna-berg.yaml"));
  CHECK(!kind_of_record_path("customers/anna-berg.yml"));
  CHECK(!kind_of_record_path("customer/anna-berg.yaml"));  // the kind's name, not its folder
}

#include "brm/rename.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace brm;

TEST_CASE("rename: a plain reference is replaced where it stands, comments kept") {
  std::string text = "# lead\nname: Per\ncustomer: anna-berg  # her boss\n";
  auto out = replace_scalar_at(text, {3, 11}, "anna-berg", "anna-b");
  REQUIRE(out);
  CHECK(*out == "# lead\nname: Per\ncustomer: anna-b  # her boss\n");
}

TEST_CASE("rename: quoted references keep their quotes; a new id YAML would misread is quoted") {
  auto out = replace_scalar_at("customer: 'anna'\n", {1, 11}, "anna", "anna-2");
  REQUIRE(out);
  CHECK(*out == "customer: 'anna-2'\n");
  out = replace_scalar_at("customer: anna\n", {1, 11}, "anna", "123");
  REQUIRE(out);
  CHECK(*out == "customer: \"123\"\n");
  out = replace_scalar_at("services: [email, desk]\n", {1, 12}, "email", "mail");
  REQUIRE(out);
  CHECK(*out == "services: [mail, desk]\n");
}

TEST_CASE("rename: text that is not the old id at the mark is left alone") {
  CHECK_FALSE(replace_scalar_at("customer: anna-berg-2\n", {1, 11}, "anna-berg", "x"));
  CHECK_FALSE(replace_scalar_at("customer: other\n", {1, 11}, "anna", "x"));
  CHECK_FALSE(replace_scalar_at("customer: anna\n", {5, 1}, "anna", "x"));
  CHECK_FALSE(replace_scalar_at("customer: anna\n", {0, 0}, "anna", "x"));
}

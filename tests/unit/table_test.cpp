#include "brm/table.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace brm;

TEST_CASE("table: columns are sized to their content, numbers right-aligned") {
  TextTable t({"ID", "NAME", "SCORE"});
  t.add_row({"anna-berg", "Anna Berg", "4.5"});
  t.add_row({"per-holm", "Per Holm", "10"});
  t.add_row({"x", "No score", "-"});
  CHECK(t.rows() == 3);
  CHECK(t.render() ==
        "ID         NAME       SCORE\n"
        "anna-berg  Anna Berg    4.5\n"
        "per-holm   Per Holm      10\n"
        "x          No score       -\n");
}

TEST_CASE("table: the widest column is shortened with an ellipsis to fit the width") {
  TextTable t({"ID", "SUMMARY"});
  t.add_row({"c1", "Email outages during Monday opening"});
  t.add_row({"c2", "Short"});
  std::string out = t.render(20);
  CHECK(out ==
        "ID  SUMMARY\n"
        "c1  Email outages d\xE2\x80\xA6\n"
        "c2  Short\n");
  for (std::size_t at = 0, end; (end = out.find('\n', at)) != std::string::npos; at = end + 1)
    CHECK(display_width(std::string_view(out).substr(at, end - at)) <= 20);
}

TEST_CASE("table: widths count characters, not bytes, and cells stay on one line") {
  TextTable t({"NAME", "N"});
  t.add_row({"Åsa Öberg", "1"});
  t.add_row({"two\nlines", "22"});
  CHECK(display_width("Åsa") == 3);
  CHECK(t.render() ==
        "NAME        N\n"
        "Åsa Öberg   1\n"
        "two lines  22\n");
}

TEST_CASE("table: a bold header keeps the columns aligned") {
  TextTable t({"A", "B"});
  t.add_row({"xx", "y"});
  CHECK(t.render(0, true) == "\033[1mA\033[0m   \033[1mB\033[0m\nxx  y\n");
}

TEST_CASE("table: rows shorter than the header are padded, an empty table is its header") {
  TextTable t({"A", "B", "C"});
  CHECK(t.render() == "A  B  C\n");
  t.add_row({"only"});
  CHECK(t.render() == "A     B  C\nonly\n");
}

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

TEST_CASE("table: widths are display columns: wide CJK and emoji, zero-width marks") {
  CHECK(display_width("\xE5\xB1\xB1\xE7\x94\xB0") == 4);  // 山田: two wide characters
  CHECK(display_width("Lena O\xCC\x88"
                      "berg") == 10);              // NFD: O + combining diaeresis
  CHECK(display_width("\xF0\x9F\x98\x80!") == 3);  // an emoji is two columns
  TextTable t({"NAME", "N"});
  t.add_row({"\xE5\xB1\xB1\xE7\x94\xB0", "1"});
  t.add_row({"O\xCC\x88sa", "2"});
  t.add_row({"\xF0\x9F\x98\x80 ok", "3"});
  CHECK(t.render() ==
        "NAME   N\n"
        "\xE5\xB1\xB1\xE7\x94\xB0   1\n"
        "O\xCC\x88sa    2\n"
        "\xF0\x9F\x98\x80 ok  3\n");
}

TEST_CASE("table: shortening never splits a wide character or drops a combining mark") {
  TextTable t({"ID", "NAME"});
  t.add_row({"a", "\xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA\xE9\x83\x8E\xE3\x81\x95\xE3\x82\x93"});
  t.add_row({"b",
             "A\xCC\x88"
             "A\xCC\x88"
             "A\xCC\x88"
             "A\xCC\x88"
             "A\xCC\x88"
             "A\xCC\x88"
             "A\xCC\x88"
             "A\xCC\x88"
             "A\xCC\x88"});
  std::string out = t.render(11);
  // 山田太郎さん is 12 columns: 8 fit with the ellipsis, a ninth would be half a character.
  CHECK(out ==
        "ID  NAME\n"
        "a   \xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA\xE2\x80\xA6\n"
        "b   A\xCC\x88"
        "A\xCC\x88"
        "A\xCC\x88"
        "A\xCC\x88"
        "A\xCC\x88"
        "A\xCC\x88\xE2\x80\xA6\n");
}

TEST_CASE("table: ids, dates and columns kept whole are never shortened; free text gives") {
  TextTable t({"ID", "TITLE", "CUSTOMER", "START"});
  t.keep_whole(0);
  t.keep_whole(2);  // a reference: an id too
  t.add_row({"finance-operations-agreement", "Finance operations and payroll services",
             "lena-oberg", "2026-01-01"});
  std::string out = t.render(63);
  CHECK(out ==
        "ID                            TITLE      CUSTOMER    START\n"
        "finance-operations-agreement  Finance\xE2\x80\xA6   lena-oberg  2026-01-01\n");
  // When only whole columns are left the table is wider than asked: the terminal wraps,
  // and every id can still be copied.
  std::string narrow = t.render(20);
  CHECK(narrow.find("finance-operations-agreement") != std::string::npos);
  CHECK(narrow.find("lena-oberg") != std::string::npos);
  CHECK(narrow.find("2026-01-01") != std::string::npos);
}

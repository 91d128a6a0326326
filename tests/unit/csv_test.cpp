#include "brm/csv.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace brm;

namespace {
std::vector<CsvRow> rows_of(std::string_view text) {
  std::vector<CsvRow> rows;
  std::string error;
  REQUIRE(parse_csv(text, &rows, &error));
  return rows;
}
}  // namespace

TEST_CASE("csv: rows, cells and the line each row starts on") {
  auto rows = rows_of("customer,score\r\nanna-berg,4\r\n\r\nper-holm,5\r\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells == std::vector<std::string>{"customer", "score"});
  CHECK(rows[1].line == 2);
  CHECK(rows[2].line == 4);  // the blank line is no row but still counts
  CHECK(rows[2].cells == std::vector<std::string>{"per-holm", "5"});
}

TEST_CASE("csv: quoted cells hold commas, quotes and line breaks") {
  auto rows = rows_of(
      "\xEF\xBB\xBF"
      "a,\"b, \"\"c\"\"\",\"two\nlines\"\nnext,,\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"a", "b, \"c\"", "two\nlines"});
  CHECK(rows[1].line == 3);
  CHECK(rows[1].cells == std::vector<std::string>{"next", "", ""});
}

TEST_CASE("csv: the last row needs no final newline") {
  auto rows = rows_of("a,b\nc,d");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].cells == std::vector<std::string>{"c", "d"});
}

TEST_CASE("csv: an unclosed quote is an error naming the line it opened on") {
  std::vector<CsvRow> rows;
  std::string error;
  CHECK_FALSE(parse_csv("a,b\nc,\"open\nstill open\n", &rows, &error));
  CHECK(error == "line 2: unclosed quote");
}

TEST_CASE("csv: cells are quoted when needed and formulas are neutralised") {
  CHECK(csv_cell("plain") == "plain");
  CHECK(csv_cell("a,b") == "\"a,b\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
  CHECK(csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(csv_cell("+1+cmd") == "'+1+cmd");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_cell("-2+3") == "'-2+3");
  CHECK(csv_cell("\tx") == "'\tx");
  CHECK(csv_cell("-12.5") == "-12.5");  // a number is not a formula
  CHECK(csv_cell("+4") == "+4");
  CHECK(csv_line({"id", "a,b", ""}) == "id,\"a,b\",\n");
}

TEST_CASE("csv: what csv_line writes parses back to the same cells") {
  std::vector<std::string> cells = {"x", "a,b", "q\"q", "multi\r\nline", "", " pad "};
  std::vector<CsvRow> rows;
  std::string error;
  REQUIRE(parse_csv(csv_line(cells) + csv_line(cells), &rows, &error));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].cells == cells);
  CHECK(rows[1].cells == cells);
  CHECK(rows[1].line == 3);
}

TEST_CASE("csv: a doubled quote is one quote wherever it stands in a quoted cell") {
  auto rows = rows_of("\"\"\"\",\"\"\"a\",\"a\"\"\",\"a\"\"\"\"b\",\"\"\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].cells == std::vector<std::string>{"\"", "\"a", "a\"", "a\"\"b", ""});
}

TEST_CASE("csv: a quote that closes a cell is not taken for a doubled one across a separator") {
  auto rows = rows_of("\"a\",\"b\"\n\"\",x\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"a", "b"});
  CHECK(rows[1].cells == std::vector<std::string>{"", "x"});
}

TEST_CASE("csv: the delimiter is the one the header uses most, outside quotes") {
  CHECK(detect_csv_delimiter("customer,score\n") == ',');
  CHECK(detect_csv_delimiter("\xEF\xBB\xBFKund;Betyg;\"Kommentar, fri\"\r\n1,5;2\n") == ';');
  CHECK(detect_csv_delimiter("customer\tscore\tcomment\n") == '\t');
  CHECK(detect_csv_delimiter("\"Which team, if any?\";score\n") == ';');
  CHECK(detect_csv_delimiter("customer\n") == ',');
  std::vector<CsvRow> rows;
  CsvError error;
  REQUIRE(parse_csv("a;\"b;c\";d\r\n1;2;3\r\n", ';', &rows, &error));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"a", "b;c", "d"});
  CHECK(rows[1].cells == std::vector<std::string>{"1", "2", "3"});
  CHECK(!parse_csv("a;b\n\"open;x\n", ';', &rows, &error));
  CHECK(error.line == 2);
  CHECK(error.message == "unclosed quote");
}

// CSV (RFC 4180) in and out: survey imports from forms tools, and the csv output of
// list, measure and export. Cells that a spreadsheet would run as a formula are
// neutralised on the way out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brm {

struct CsvRow {
  std::size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> cells;
};

struct CsvError {
  std::size_t line = 0;
  std::string message;  // "unclosed quote"
};

// A problem of an imported file, with the CSV line it is on (1 for the header).
struct CsvProblem {
  std::size_t line = 0;
  std::string message;  // "column 'Service levels': answer 'x' is not a whole number"
};

// A row of blank cells only: spreadsheets leave such rows behind, and imports skip them.
bool is_blank_row(const CsvRow& row);

// Parses CSV text (cells separated by `delimiter`, "" quoting, CRLF or LF, a UTF-8 BOM
// skipped). Returns false with *error on an unclosed quote.
bool parse_csv(std::string_view text, char delimiter, std::vector<CsvRow>* rows, CsvError* error);
// The same, comma separated, *error as "line N: ...".
bool parse_csv(std::string_view text, std::vector<CsvRow>* rows, std::string* error);

// The delimiter a spreadsheet used: the one of ',' ';' and tab that occurs most often
// outside quotes in the first row (Excel writes ';' where ',' is the decimal mark);
// ',' when none does.
char detect_csv_delimiter(std::string_view text);

// One cell, quoted when needed; a leading = + - @ (or tab/CR) gets a ' prefix so that
// spreadsheets show text instead of running it.
std::string csv_cell(std::string_view text);
// A whole row with a final "\n".
std::string csv_line(const std::vector<std::string>& cells);

}  // namespace brm

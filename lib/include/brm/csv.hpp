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

// Parses CSV text (comma separated, "" quoting, CRLF or LF, a UTF-8 BOM skipped).
// Returns false with *error ("line N: ...") on an unclosed quote.
bool parse_csv(std::string_view text, std::vector<CsvRow>* rows, std::string* error);

// One cell, quoted when needed; a leading = + - @ (or tab/CR) gets a ' prefix so that
// spreadsheets show text instead of running it.
std::string csv_cell(std::string_view text);
// A whole row with a final "\n".
std::string csv_line(const std::vector<std::string>& cells);

}  // namespace brm

// CSV as RFC 4180 describes it, with what forms tools and spreadsheets really write:
// CRLF or LF line ends, a UTF-8 byte-order mark, and quoted cells across lines.
#include "brm/csv.hpp"

#include <fmt/format.h>

namespace brm {

bool parse_csv(std::string_view text, char delimiter, std::vector<CsvRow>* rows, CsvError* error) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRow row;
    row.line = line;
    // A line with nothing on it is no row (blank lines between rows, a final newline).
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= n || text[i + 1] == '\n'))) {
      i += text[i] == '\r' ? 2 : 1;
      ++line;
      continue;
    }
    std::string cell;
    bool row_done = false;
    while (!row_done) {
      if (i < n && text[i] == '"') {
        std::size_t opened = line;
        ++i;
        bool closed = false;
        while (i < n) {
          char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              cell += '"';
              ++i;
              continue;
            }
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          cell += c;
        }
        if (!closed) {
          *error = {opened, "unclosed quote"};
          return false;
        }
      }
      // Unquoted text, or anything after a closing quote up to the separator (kept,
      // as spreadsheets do, rather than refused).
      while (i < n && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') cell += text[i++];
      row.cells.push_back(std::move(cell));
      cell.clear();
      if (i < n && text[i] == delimiter) {
        ++i;
        continue;
      }
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      row_done = true;
    }
    rows->push_back(std::move(row));
  }
  return true;
}

bool parse_csv(std::string_view text, std::vector<CsvRow>* rows, std::string* error) {
  CsvError e;
  if (parse_csv(text, ',', rows, &e)) return true;
  *error = fmt::format("line {}: {}", e.line, e.message);
  return false;
}

char detect_csv_delimiter(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (tabs > commas && tabs > semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

namespace {

// A number as a spreadsheet reads one: such a cell is not a formula even when it
// starts with - or +, and a ' would turn it into text.
bool is_plain_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

}  // namespace

std::string csv_cell(std::string_view text) {
  std::string cell;
  constexpr std::string_view formula_starts = "=+-@\t\r";
  if (!text.empty() && formula_starts.find(text.front()) != std::string_view::npos &&
      !is_plain_number(text))
    cell += '\'';
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_cell(cells[i]);
  }
  out += '\n';
  return out;
}

}  // namespace brm

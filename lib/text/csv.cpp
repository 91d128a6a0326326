// CSV as RFC 4180 describes it, with what forms tools and spreadsheets really write:
// CRLF or LF line ends, a UTF-8 byte-order mark, and quoted cells across lines.
#include "brm/csv.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "brm/strings.hpp"

namespace brm {

namespace {

class CsvReader {
 public:
  CsvReader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

  bool read(std::vector<CsvRow>* rows, CsvError* error) {
    while (i_ < text_.size()) {
      if (skip_empty_line()) continue;
      CsvRow row;
      row.line = line_;
      if (!read_row(&row, error)) return false;
      rows->push_back(std::move(row));
    }
    return true;
  }

 private:
  bool at(char c) const { return i_ < text_.size() && text_[i_] == c; }

  // A line with nothing on it is no row (blank lines between rows, a final newline).
  bool skip_empty_line() {
    bool crlf = at('\r') && (i_ + 1 >= text_.size() || text_[i_ + 1] == '\n');
    if (!at('\n') && !crlf) return false;
    i_ += crlf ? 2 : 1;
    ++line_;
    return true;
  }

  bool read_row(CsvRow* row, CsvError* error) {
    for (;;) {
      std::string cell;
      if (at('"') && !read_quoted(&cell, error)) return false;
      // Unquoted text, or anything after a closing quote up to the separator (kept,
      // as spreadsheets do, rather than refused).
      while (i_ < text_.size() && !at(delimiter_) && !at('\n') && !at('\r')) cell += text_[i_++];
      row->cells.push_back(std::move(cell));
      if (at(delimiter_)) {
        ++i_;
        continue;
      }
      if (at('\r')) ++i_;
      if (at('\n')) ++i_;
      ++line_;
      return true;
    }
  }

  // A quoted cell, the quote at i_: "" is one quote, and line ends are part of the text.
  bool read_quoted(std::string* cell, CsvError* error) {
    std::size_t opened = line_;
    ++i_;
    while (i_ < text_.size()) {
      char c = text_[i_++];
      if (c == '"' && at('"')) {
        *cell += '"';
        ++i_;
      } else if (c == '"') {
        return true;
      } else {
        if (c == '\n') ++line_;
        *cell += c;
      }
    }
    *error = {opened, "unclosed quote"};
    return false;
  }

  std::string_view text_;
  char delimiter_;
  std::size_t i_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

bool parse_csv(std::string_view text, char delimiter, std::vector<CsvRow>* rows, CsvError* error) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return CsvReader(text, delimiter).read(rows, error);
}

bool parse_csv(std::string_view text, std::vector<CsvRow>* rows, std::string* error) {
  CsvError e;
  if (parse_csv(text, ',', rows, &e)) return true;
  *error = fmt::format("line {}: {}", e.line, e.message);
  return false;
}

bool is_blank_row(const CsvRow& row) {
  return std::all_of(row.cells.begin(), row.cells.end(),
                     [](const std::string& c) { return trim_blanks(c).empty(); });
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

// Text tables for the terminal: columns sized to their content (in display columns) and
// fitted into the terminal's width by shortening the widest free-text columns with an
// ellipsis; ids, dates and numbers are never shortened.
#pragma once

#include <string>
#include <vector>

namespace brm {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::size_t rows() const { return rows_.size(); }
  // A column that is never shortened: ids and references are copied into the next
  // command. Columns of numbers or of dates are kept whole without being named.
  void keep_whole(std::size_t column);
  // Columns whose cells are numbers are right-aligned. `width` 0 means no limit; when the
  // columns kept whole alone are wider, the table is wider than `width`.
  std::string render(std::size_t width = 0, bool bold_header = false) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> whole_;
};

// Display width of UTF-8 text in terminal columns, as wcswidth counts them: East Asian
// wide characters and emoji take two, combining marks none (utf8proc's tables).
std::size_t display_width(std::string_view text);

}  // namespace brm

// Text tables for the terminal: columns sized to their content and fitted into the
// terminal's width by shortening the widest columns with an ellipsis.
#pragma once

#include <string>
#include <vector>

namespace brm {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::size_t rows() const { return rows_.size(); }
  // Columns whose cells are numbers are right-aligned. `width` 0 means no limit.
  std::string render(std::size_t width = 0, bool bold_header = false) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text (code points; no wide-character tables).
std::size_t display_width(std::string_view text);

}  // namespace brm

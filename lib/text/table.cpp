// Text tables: two spaces between columns, numbers right-aligned, no trailing blanks,
// and the widest free-text columns shortened with an ellipsis until the table fits.
#include "brm/table.hpp"

#include <utf8proc.h>

#include <algorithm>

namespace brm {
namespace {

// Digits with an optional sign, thousands commas, a fraction and a unit such as % or
// h: what measures and counts look like. "-" and "" (no value) do not decide.
bool is_number_cell(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == ',')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  std::string_view unit = s.substr(i);
  return unit.empty() || unit == "%" || unit == "h" || unit == "d" || unit == "min";
}

bool is_date_cell(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

bool is_placeholder(std::string_view s) { return s.empty() || s == "-" || s == "\u2014"; }

// A cell on one line: line breaks and other control characters become spaces.
std::string one_line(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

// The code point at the start of `s` and its length in bytes; an invalid byte is one
// column wide, as terminals show it (a replacement character).
std::pair<int, std::size_t> next_char(std::string_view s) {
  utf8proc_int32_t cp = 0;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                            static_cast<utf8proc_ssize_t>(s.size()), &cp);
  if (n <= 0) return {1, 1};
  return {std::max(0, utf8proc_charwidth(cp)), static_cast<std::size_t>(n)};
}

// The first `width` display columns of `s`, with "…" as the last when shortened. A wide
// character that would only half fit is left out; combining marks stay with their base.
std::string fit(const std::string& s, std::size_t width) {
  if (display_width(s) <= width) return s;
  if (width == 0) return {};
  std::string_view rest = s;
  std::size_t keep = width - 1, used = 0;
  while (!rest.empty()) {
    auto [w, bytes] = next_char(rest);
    if (used + static_cast<std::size_t>(w) > keep) break;
    used += static_cast<std::size_t>(w);
    rest.remove_prefix(bytes);
  }
  std::string out = s.substr(0, s.size() - rest.size());
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\u2026";
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  while (!text.empty()) {
    // Printable ASCII, most of any table, is a column a byte without utf8proc's tables.
    if (auto c = static_cast<unsigned char>(text.front()); c >= 0x20 && c < 0x7F) {
      ++n;
      text.remove_prefix(1);
      continue;
    }
    auto [w, bytes] = next_char(text);
    n += static_cast<std::size_t>(w);
    text.remove_prefix(bytes);
  }
  return n;
}

void TextTable::keep_whole(std::size_t column) {
  if (whole_.size() <= column) whole_.resize(column + 1, false);
  whole_[column] = true;
}

namespace {

// A table's cells, one line each, and how each column is laid out.
struct Layout {
  std::size_t columns = 0;
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> body;
  std::vector<std::size_t> widths;
  std::vector<bool> numeric;  // right-aligned
  std::vector<bool> whole;    // never shortened
};

std::vector<std::string> cells_of(const std::vector<std::string>& row, std::size_t columns) {
  std::vector<std::string> line(columns);
  for (std::size_t c = 0; c < columns && c < row.size(); ++c) line[c] = one_line(row[c]);
  return line;
}

// Widths from the widest cell; numbers right-aligned, numbers and dates kept whole.
void measure_column(Layout* l, std::size_t c, bool keep_whole) {
  l->widths[c] = display_width(l->head[c]);
  bool any_number = false, all_numbers = true, all_dates = true;
  for (const auto& line : l->body) {
    l->widths[c] = std::max(l->widths[c], display_width(line[c]));
    if (is_placeholder(line[c])) continue;
    bool number = is_number_cell(line[c]);
    any_number = any_number || number;
    all_numbers = all_numbers && number;
    all_dates = all_dates && is_date_cell(line[c]);
  }
  l->numeric[c] = any_number && all_numbers;
  l->whole[c] = l->numeric[c] || all_dates || keep_whole;
}

// Shortens the widest column of free text, one column at a time, down to a floor that
// keeps a few characters of each; what is kept whole is copied, so never shortened.
void shrink_to(Layout* l, std::size_t width) {
  constexpr std::size_t floor_width = 6;
  std::size_t total = 2 * (l->columns - 1);
  for (std::size_t w : l->widths) total += w;
  for (; total > width; --total) {
    std::size_t widest = l->columns;
    for (std::size_t c = 0; c < l->columns; ++c) {
      if (l->whole[c] || l->widths[c] <= floor_width) continue;
      if (widest == l->columns || l->widths[c] > l->widths[widest]) widest = c;
    }
    if (widest == l->columns) break;  // nothing left to shorten: let the terminal wrap
    --l->widths[widest];
  }
}

std::string render_line(const Layout& l, const std::vector<std::string>& line, bool bold) {
  std::string text;
  for (std::size_t c = 0; c < l.columns; ++c) {
    std::string v = fit(line[c], l.widths[c]);
    std::size_t pad = l.widths[c] - display_width(v);
    if (c > 0) text += "  ";
    if (bold && !v.empty()) v = "\033[1m" + v + "\033[0m";
    if (l.numeric[c]) text.append(pad, ' ');  // the header too, so that it stands over the numbers
    text += v;
    if (!l.numeric[c] && c + 1 < l.columns) text.append(pad, ' ');
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text + '\n';
}

}  // namespace

std::string TextTable::render(std::size_t width, bool bold_header) const {
  Layout l;
  l.columns = header_.size();
  for (const auto& r : rows_) l.columns = std::max(l.columns, r.size());
  if (l.columns == 0) return {};
  l.head = cells_of(header_, l.columns);
  l.body.reserve(rows_.size());
  for (const auto& r : rows_) l.body.push_back(cells_of(r, l.columns));
  l.widths.assign(l.columns, 0);
  l.numeric.assign(l.columns, false);
  l.whole.assign(l.columns, false);
  for (std::size_t c = 0; c < l.columns; ++c) measure_column(&l, c, c < whole_.size() && whole_[c]);
  if (width > 0) shrink_to(&l, width);
  std::string out = render_line(l, l.head, bold_header);
  for (const auto& line : l.body) out += render_line(l, line, false);
  return out;
}

}  // namespace brm

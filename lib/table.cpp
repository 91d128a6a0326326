// Text tables: two spaces between columns, numbers right-aligned, no trailing blanks,
// and the widest columns shortened with an ellipsis until the table fits.
#include "brm/table.hpp"

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

bool is_placeholder(std::string_view s) { return s.empty() || s == "-" || s == "\u2014"; }

// A cell on one line: line breaks and other control characters become spaces.
std::string one_line(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The first `width` display columns of `s`, with "…" as the last when shortened.
std::string fit(const std::string& s, std::size_t width) {
  if (display_width(s) <= width) return s;
  if (width == 0) return {};
  std::size_t keep = width - 1, count = 0, i = 0;
  for (; i < s.size(); ++i) {
    if (is_continuation(s[i])) continue;
    if (count == keep) break;
    ++count;
  }
  std::string out = s.substr(0, i);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\u2026";
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for (char c : text)
    if (!is_continuation(c)) ++n;
  return n;
}

std::string TextTable::render(std::size_t width, bool bold_header) const {
  std::size_t columns = header_.size();
  for (const auto& r : rows_) columns = std::max(columns, r.size());
  if (columns == 0) return {};

  auto cell = [](const std::vector<std::string>& row, std::size_t c) {
    return c < row.size() ? one_line(row[c]) : std::string();
  };
  std::vector<std::vector<std::string>> body;
  body.reserve(rows_.size());
  for (const auto& r : rows_) {
    std::vector<std::string> line(columns);
    for (std::size_t c = 0; c < columns; ++c) line[c] = cell(r, c);
    body.push_back(std::move(line));
  }
  std::vector<std::string> head(columns);
  for (std::size_t c = 0; c < columns; ++c) head[c] = cell(header_, c);

  std::vector<std::size_t> widths(columns, 0);
  std::vector<bool> numeric(columns, false);
  for (std::size_t c = 0; c < columns; ++c) {
    widths[c] = display_width(head[c]);
    bool any_number = false, all_numbers = true;
    for (const auto& line : body) {
      widths[c] = std::max(widths[c], display_width(line[c]));
      if (is_placeholder(line[c])) continue;
      if (is_number_cell(line[c]))
        any_number = true;
      else
        all_numbers = false;
    }
    numeric[c] = any_number && all_numbers;
  }

  // Shorten the widest column, one column of text at a time, down to a floor that
  // keeps a few characters of each (numbers are never shortened).
  if (width > 0) {
    auto total = [&] {
      std::size_t t = 2 * (columns - 1);
      for (std::size_t w : widths) t += w;
      return t;
    };
    constexpr std::size_t floor_width = 6;
    while (total() > width) {
      std::size_t widest = columns;
      for (std::size_t c = 0; c < columns; ++c) {
        if (numeric[c] || widths[c] <= floor_width) continue;
        if (widest == columns || widths[c] > widths[widest]) widest = c;
      }
      if (widest == columns) break;  // nothing left to shorten: let the terminal wrap
      --widths[widest];
    }
  }

  std::string out;
  auto emit = [&](const std::vector<std::string>& line, bool is_header) {
    std::string text;
    for (std::size_t c = 0; c < columns; ++c) {
      std::string v = fit(line[c], widths[c]);
      std::size_t pad = widths[c] - display_width(v);
      bool last = c + 1 == columns;
      if (c > 0) text += "  ";
      if (is_header && bold_header && !v.empty()) v = "\033[1m" + v + "\033[0m";
      if (numeric[c]) {  // the header too, so that it stands over the numbers
        text.append(pad, ' ');
        text += v;
      } else {
        text += v;
        if (!last) text.append(pad, ' ');
      }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  };
  emit(head, true);
  for (const auto& line : body) emit(line, false);
  return out;
}

}  // namespace brm

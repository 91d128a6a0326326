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
  std::vector<bool> numeric(columns, false), whole(columns, false);
  for (std::size_t c = 0; c < columns; ++c) {
    widths[c] = display_width(head[c]);
    bool any_number = false, all_numbers = true, all_dates = true;
    for (const auto& line : body) {
      widths[c] = std::max(widths[c], display_width(line[c]));
      if (is_placeholder(line[c])) continue;
      if (is_number_cell(line[c]))
        any_number = true;
      else
        all_numbers = false;
      all_dates = all_dates && is_date_cell(line[c]);
    }
    numeric[c] = any_number && all_numbers;
    whole[c] = numeric[c] || all_dates || (c < whole_.size() && whole_[c]);
  }

  // Shorten the widest column of free text, one column at a time, down to a floor that
  // keeps a few characters of each; what is kept whole is copied, so never shortened.
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
        if (whole[c] || widths[c] <= floor_width) continue;
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

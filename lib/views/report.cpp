// The report is built in two steps: what it says (a small document of headings, tiles,
// tables and charts, all plain text) and how a format shows it. Escaping happens in one
// place per format, at the very end, so that no piece of record text can skip it.
#include "brm/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <variant>

#include "brm/agenda.hpp"
#include "brm/markup.hpp"
#include "brm/measure.hpp"
#include "brm/record_status.hpp"
#include "brm/service_levels.hpp"
#include "brm/strings.hpp"
#include "brm/trend.hpp"
#include "brm/utf8.hpp"
#include "svg_chart.hpp"

namespace brm {
namespace {

// ---------------------------------------------------------------------------------------
// The document

struct Heading {
  int level = 2;  // 2: a section, 3: a part of one
  std::string text;
};

struct Paragraph {
  std::string text;
  bool note = false;  // an explanation in smaller print
};

struct Tile {
  std::string label;
  std::string figure;
  std::string detail;
};

struct Tiles {
  std::vector<Tile> tiles;
};

struct Facts {
  std::vector<std::pair<std::string, std::string>> rows;
};

// How a column's cells sit: text wraps; dates, states and amounts are kept on one line
// (a date broken at its hyphens reads badly); numbers are right-aligned.
enum class Col : std::uint8_t { Text, Nowrap, Number };

struct Table {
  std::vector<std::string> header;
  std::vector<Col> cols;                       // Text where missing
  std::vector<std::vector<std::string>> rows;  // a '\n' in a cell is a line break
  std::string empty = "None.";                 // said instead of a table without rows
  bool compact = false;                        // as wide as its content, not the page
  std::vector<int> widths = {};                // percent per column, so that tables align
};

struct Bar {
  std::string label;     // under the bar, shortened to fit
  std::string sublabel;  // a second, smaller line (a date)
  std::string title;     // the full name, as a tooltip and in the Markdown table
  std::optional<double> value;
  std::string value_label;
  bool thin = false;  // rests on a single response: drawn faint, and the label says so
};

struct Chart {
  std::string title;
  std::string value_header;  // the value column of the Markdown table
  std::vector<Bar> bars;
  std::optional<double> top;  // a fixed top of the scale (100 for percentages)
  std::string colour;
  bool table_in_markdown = true;  // false when a table beside it already has the figures
  bool horizontal = false;        // one row per bar, its full label wrapped beside it
};

// Each measure at the end of each month, with its target: a small line chart apiece.
struct TrendSeries {
  std::string title;
  std::vector<std::optional<double>> values;  // one per day: a percentage or a count
  std::optional<double> target;
  std::string target_label;  // "90%", "at most 5 open"
  bool percent = true;
};

struct Trends {
  std::vector<Date> days;
  std::vector<TrendSeries> series;
  std::string note;
};

struct Bullets {
  std::vector<std::string> items;
};

using Block = std::variant<Heading, Paragraph, Tiles, Facts, Table, Chart, Bullets, Trends>;

struct Document {
  std::string kicker;    // "Business relationship report"
  std::string title;     // the organisation, or the customer
  std::string subtitle;  // as-of date and period
  std::vector<Block> blocks;
  std::string footer;
};

// ---------------------------------------------------------------------------------------
// Numbers and text

std::string plural(std::int64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// 1200000 -> "1 200 000" with narrow no-break spaces (ISO 31-0): no locale, no confusion
// between decimal commas and points across the organisation's countries.
std::string group_digits(double amount) {
  bool whole = amount == std::floor(amount) && std::fabs(amount) < 1e15;
  std::string text =
      whole ? fmt::format("{}", static_cast<std::int64_t>(amount)) : fmt::format("{:.2f}", amount);
  std::size_t end = text.find('.');
  if (end == std::string::npos) end = text.size();
  std::size_t begin = text[0] == '-' ? 1 : 0;
  std::string out = text.substr(0, begin);
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin && (end - i) % 3 == 0) out += "\u202F";
    out += text[i];
  }
  return out + text.substr(end);
}

std::string percent(std::optional<double> ratio) {
  return ratio ? fmt::format("{:.1f}%", *ratio * 100.0) : "-";
}

std::string days_text(double d) {
  std::string n = d == std::floor(d) ? fmt::format("{}", static_cast<std::int64_t>(d))
                                     : fmt::format("{:.1f}", d);
  return n + (d == 1.0 ? " day" : " days");
}

// At most `max` code points, an ellipsis when shortened; never splits a UTF-8 sequence.
std::string shorten(std::string_view text, std::size_t max) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points == max - 1) {
      std::size_t rest = 0;
      for (std::size_t j = i; j < text.size(); ++j)
        rest += (static_cast<unsigned char>(text[j]) & 0xC0) != 0x80;
      if (rest > 1) return std::string(text.substr(0, i)) + "\u2026";
    }
    ++points;
  }
  return std::string(text);
}

std::string_view month_name(int m) {
  static constexpr std::array<std::string_view, 12> names = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return names[static_cast<std::size_t>(m - 1)];
}

std::string text_of(const Value* v) {
  if (!v || v->is_null()) return {};
  return v->to_display();
}

std::string text_of(const Value& v, std::string_view key) { return text_of(v.find(key)); }

// A list of strings (attendees, decisions) or nothing.
std::vector<std::string> strings_of(const Value* v) {
  std::vector<std::string> out;
  if (v && v->is_sequence())
    for (const Value& item : v->items())
      if (!item.is_null()) out.push_back(item.to_display());
  return out;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    lines.emplace_back(
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

// Each line of `text` escaped for the output, the lines joined by <br>: a cell of several
// lines in Markdown and in HTML alike.
std::string lines_joined_by_br(std::string_view text, std::string (*escape)(std::string_view)) {
  std::vector<std::string> lines = split_lines(text);
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += "<br>";
    out += escape(lines[i]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Markdown

std::string markdown_cell(std::string_view text) {
  return lines_joined_by_br(text, escape_markdown);
}

std::string markdown_table(const std::vector<std::string>& header, const std::vector<Col>& cols,
                           const std::vector<std::vector<std::string>>& rows) {
  std::string out = "|";
  for (const std::string& h : header) out += fmt::format(" {} |", markdown_cell(h));
  out += "\n|";
  for (std::size_t i = 0; i < header.size(); ++i)
    out += i < cols.size() && cols[i] == Col::Number ? "---:|" : "---|";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (std::size_t i = 0; i < header.size(); ++i)
      out += fmt::format(" {} |", i < row.size() ? markdown_cell(row[i]) : std::string());
    out += "\n";
  }
  return out;
}

std::string trend_value(const TrendSeries& s, std::optional<double> v) {
  if (!v) return "-";
  return s.percent ? fmt::format("{:.1f}%", *v) : fmt::format("{:g}", *v);
}

// "Mar" under a month end; "Nov 26" for a day within a month (the report's own as-of day).
std::string point_label(Date d) {
  std::string month(month_name(d.month));
  return d == d.end_of_month() ? month : fmt::format("{} {}", month, d.day);
}

struct MarkdownWriter {
  std::string out;

  void operator()(const Heading& h) {
    out += std::string(static_cast<std::size_t>(h.level), '#') + " " + escape_markdown(h.text) +
           "\n\n";
  }
  void operator()(const Paragraph& p) {
    out += p.note ? "_" + escape_markdown(p.text) + "_\n\n" : escape_markdown(p.text) + "\n\n";
  }
  void operator()(const Tiles& t) {
    for (const Tile& tile : t.tiles) {
      out += fmt::format("- **{}:** {}", escape_markdown(tile.label), escape_markdown(tile.figure));
      if (!tile.detail.empty())
        out += fmt::format(" ({})", escape_markdown(join(split_lines(tile.detail), "; ")));
      out += "\n";
    }
    out += "\n";
  }
  void operator()(const Facts& f) {
    for (const auto& [key, value] : f.rows) {
      std::vector<std::string> lines = split_lines(value);
      if (lines.size() == 1) {
        out += fmt::format("- **{}:** {}\n", escape_markdown(key), escape_markdown(value));
        continue;
      }
      out += fmt::format("- **{}:**\n", escape_markdown(key));
      for (const std::string& line : lines) out += fmt::format("  - {}\n", escape_markdown(line));
    }
    out += "\n";
  }
  void operator()(const Table& t) {
    if (t.rows.empty()) {
      out += "_" + escape_markdown(t.empty) + "_\n\n";
      return;
    }
    out += markdown_table(t.header, t.cols, t.rows) + "\n";
  }
  void operator()(const Chart& c) {
    if (!c.table_in_markdown || c.bars.empty()) return;
    std::vector<std::vector<std::string>> rows;
    for (const Bar& b : c.bars)
      rows.push_back({b.title.empty() ? b.label : b.title, b.value_label});
    out += "**" + escape_markdown(c.title) + "**\n\n";
    out += markdown_table({"", c.value_header}, {Col::Text, Col::Number}, rows) + "\n";
  }
  void operator()(const Bullets& b) {
    for (const std::string& item : b.items) out += "- " + markdown_cell(item) + "\n";
    out += "\n";
  }
  void operator()(const Trends& t) {
    std::vector<std::string> header = {"As of"};
    std::vector<Col> cols = {Col::Text};
    for (const TrendSeries& s : t.series) {
      header.push_back(s.title);
      cols.push_back(Col::Number);
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < t.days.size(); ++i) {
      rows.push_back({t.days[i].str()});
      for (const TrendSeries& s : t.series) rows.back().push_back(trend_value(s, s.values[i]));
    }
    if (std::any_of(t.series.begin(), t.series.end(),
                    [](const TrendSeries& s) { return s.target.has_value(); })) {
      rows.push_back({"Target"});
      for (const TrendSeries& s : t.series)
        rows.back().push_back(s.target_label.empty() ? "-" : s.target_label);
    }
    out += markdown_table(header, cols, rows) + "\n";
    if (!t.note.empty()) (*this)(Paragraph{t.note, true});
  }
};

std::string render_markdown(const Document& doc) {
  MarkdownWriter w;
  w.out = "# " + escape_markdown(doc.title) + "\n\n";
  if (!doc.kicker.empty()) w.out += fmt::format("**{}** \u00B7 ", escape_markdown(doc.kicker));
  w.out += escape_markdown(doc.subtitle) + "\n\n";
  for (const Block& b : doc.blocks) std::visit(w, b);
  w.out += "---\n\n_" + escape_markdown(doc.footer) + "_\n";
  return w.out;
}

// ---------------------------------------------------------------------------------------
// HTML

// One file that prints well: no web fonts, no scripts, nothing fetched. The policy meta
// tag is a second line of defence should escaping ever miss: the browser runs nothing.
constexpr std::string_view html_style = R"css(
:root { --ink: #1c2430; --muted: #5b6675; --rule: #d9dee5; --accent: #1f4e79; --soft: #f3f6f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums; }
body { padding: 0 32px; }
main, header, footer { max-width: 940px; margin: 0 auto; }
header { padding-top: 40px; padding-bottom: 16px; border-bottom: 3px solid var(--accent); }
header .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; font-weight: 600; color: var(--accent); margin: 0; }
h1 { font-size: 30px; line-height: 1.2; margin: 4px 0 6px; font-weight: 650; }
header .subtitle { margin: 0; color: var(--muted); }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); color: var(--accent); }
h3 { font-size: 16px; margin: 26px 0 8px; }
p { margin: 0 0 12px; }
p.note { color: var(--muted); font-size: 13px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 16px 0; }
.tile { border: 1px solid var(--rule); border-top: 4px solid var(--accent); border-radius: 4px; padding: 12px 14px; background: var(--soft); }
.tile .label { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.tile .figure { font-size: 28px; font-weight: 650; line-height: 1.25; margin: 4px 0; }
.tile .detail { font-size: 13px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13.5px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--rule); }
th { font-size: 11.5px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td .line { padding-left: 12px; text-indent: -12px; }
td .line + .line { margin-top: 3px; }
table.compact { width: auto; min-width: 50%; }
tbody tr:nth-child(even) td { background: var(--soft); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0 16px; }
dl.facts dt { color: var(--muted); font-weight: 600; }
dl.facts dd { margin: 0; }
dl.facts dd .line + .line { margin-top: 2px; }
figure { margin: 12px 0 20px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
ul { margin: 4px 0 16px; padding-left: 22px; }
li { margin: 2px 0; }
footer { margin-top: 48px; padding-top: 12px; padding-bottom: 40px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
svg text { font-family: inherit; fill: var(--ink); }
svg .axis { fill: var(--muted); font-size: 11px; }
svg .value { font-size: 11px; font-weight: 600; }
svg .grid { stroke: var(--rule); stroke-width: 1; }
svg .base { stroke: var(--ink); stroke-width: 1; }
svg .label { font-size: 12px; }
svg .line { stroke-width: 2; stroke-linejoin: round; }
svg .target { stroke: #b5523b; stroke-width: 1.2; stroke-dasharray: 5 4; }
svg .target-label { fill: #b5523b; font-size: 10px; }
svg .target-label, svg .value { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .bar.thin { fill-opacity: .35; }
.trends { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 28px; margin: 12px 0 8px; }
figure.trend { margin: 0; }
@page { size: A4; margin: 18mm 14mm 16mm; }
@media print {
  body { font-size: 10pt; }
  body { padding: 0; }
  main, header, footer { max-width: none; }
  header { padding-top: 0; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 24px; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure, .tiles, dl.facts, .with-heading { break-inside: avoid; page-break-inside: avoid; }
  .tiles { grid-template-columns: repeat(4, 1fr); }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  p, li, dd { orphans: 3; widows: 3; }
  table.keep, .trends { break-inside: avoid; page-break-inside: avoid; }
  /* No row alone at the top or the foot of a page. A one-row table is kept whole anyway;
     avoiding breaks on both sides of its row made Chromium break after the heading. */
  tbody tr:first-child:not(:last-child) { break-after: avoid; page-break-after: avoid; }
  tbody tr:last-child:not(:first-child) { break-before: avoid; page-break-before: avoid; }
  .tile, tbody tr:nth-child(even) td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

std::string html_text(std::string_view text) { return lines_joined_by_br(text, escape_html); }

// A cell of several lines (services with their levels) gets one block per line, with
// a hanging indent so that a wrapped line reads as the continuation it is.
std::string html_cell(std::string_view text) {
  if (text.find('\n') == std::string_view::npos) return escape_html(text);
  std::string out;
  for (const std::string& line : split_lines(text))
    out += "<div class=\"line\">" + escape_html(line) + "</div>";
  return out;
}

std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string svg_bar_chart(const Chart& c) {
  constexpr double width = 760, height = 270, left = 52, right = 12, top = 22, bottom = 52;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  double max = 0;
  for (const Bar& b : c.bars)
    if (b.value) max = std::max(max, *b.value);
  double step = 0, scale_top = 0;
  if (c.top) {
    scale_top = *c.top;
    step = *c.top / 4;
  } else {
    step = svg::nice_step(std::max(max, 1.0), true);
    scale_top = step * std::ceil(std::max(max, 1.0) / step);
  }
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\">\n",
      width, height, escape_html(c.title));
  for (double v = 0; v <= scale_top + step / 2; v += step) {
    double y = top + plot_h - v / scale_top * plot_h;
    out += fmt::format("<line class=\"{}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>\n",
                       v == 0 ? "base" : "grid", num(left), num(width - right), num(y), num(y));
    std::string tick = c.top && *c.top == 100 ? fmt::format("{}%", v) : group_digits(v);
    out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                       num(left - 8), num(y + 4), escape_html(tick));
  }
  double band = plot_w / static_cast<double>(std::max<std::size_t>(c.bars.size(), 1));
  double bar_w = std::min(band * 0.62, 64.0);
  // About 6.5 pixels per character at 11px: shorten labels to their band.
  auto fits = static_cast<std::size_t>(std::max(3.0, std::floor((band - 4) / 6.5)));
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const Bar& b = c.bars[i];
    double cx = left + band * (static_cast<double>(i) + 0.5);
    out += "<g>";
    if (!b.title.empty())
      out += "<title>" + escape_html(b.title + ": " + b.value_label) + "</title>";
    if (b.value) {
      double h = std::max(0.0, *b.value / scale_top * plot_h);
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" rx=\"2\"/>",
          num(cx - bar_w / 2), num(top + plot_h - h), num(bar_w), num(h), escape_html(c.colour));
      out += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                         num(cx), num(top + plot_h - h - 6), escape_html(b.value_label));
    } else {
      out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                         num(cx), num(top + plot_h - 6), escape_html(b.value_label));
    }
    out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                       num(cx), num(top + plot_h + 17), escape_html(shorten(b.label, fits)));
    if (!b.sublabel.empty())
      out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                         num(cx), num(top + plot_h + 32), escape_html(shorten(b.sublabel, fits)));
    out += "</g>\n";
  }
  return out + "</svg>\n";
}

// Words into at most `max_lines` lines of `width` code points; the last one shortened
// with an ellipsis when the text does not fit. A word longer than a line is cut.
std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t max_lines) {
  std::vector<std::string> lines(1);
  auto points = [](std::string_view s) { return code_point_count(s); };
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t space = text.find(' ', start);
    std::string_view word =
        text.substr(start, space == std::string_view::npos ? space : space - start);
    start = space == std::string_view::npos ? text.size() : space + 1;
    if (word.empty()) continue;
    std::string& line = lines.back();
    if (line.empty() || points(line) + 1 + points(word) <= width) {
      line += (line.empty() ? "" : " ") + std::string(word);
    } else {
      lines.emplace_back(word);
    }
  }
  for (std::string& line : lines) line = shorten(line, width);
  if (lines.size() > max_lines) {
    lines.resize(max_lines);
    std::string last = shorten(lines.back(), width - 1);
    lines.back() = last == lines.back() ? last + "\u2026" : last;
  }
  return lines;
}

// One row per bar, the label in full (wrapped to two lines) beside it: survey titles are
// long, and shortened under a narrow bar they read as nothing.
std::string svg_hbar_chart(const Chart& c) {
  constexpr double width = 760, label_w = 300, value_w = 150, row_h = 46, top = 22;
  const double plot_x = label_w + 10, plot_w = width - plot_x - value_w;
  const double scale_top = c.top.value_or(100.0);
  const double height = top + row_h * static_cast<double>(c.bars.size()) + 6;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\">\n",
      width, num(height), escape_html(c.title));
  for (int tick = 0; tick <= 4; ++tick) {
    double x = plot_x + plot_w * tick / 4.0;
    out += fmt::format("<line class=\"{}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>\n",
                       tick == 0 ? "base" : "grid", num(x), num(x), num(top - 4), num(height - 4));
    out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       num(x), num(top - 9),
                       escape_html(fmt::format("{:g}{}", scale_top * tick / 4.0,
                                               c.top && *c.top == 100 ? "%" : "")));
  }
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const Bar& b = c.bars[i];
    double y = top + row_h * static_cast<double>(i);
    out += "<g>";
    if (!b.title.empty())
      out += "<title>" + escape_html(b.title + ": " + b.value_label) + "</title>";
    std::vector<std::string> lines = wrap(b.label, 44, 2);
    for (std::size_t l = 0; l < lines.size(); ++l)
      out += fmt::format("<text class=\"label\" x=\"0\" y=\"{}\">{}</text>",
                         num(y + 14 + 14.0 * static_cast<double>(l)), escape_html(lines[l]));
    if (!b.sublabel.empty())
      out += fmt::format("<text class=\"axis\" x=\"0\" y=\"{}\">{}</text>",
                         num(y + 14 + 14.0 * static_cast<double>(lines.size())),
                         escape_html(b.sublabel));
    double w = b.value ? std::max(0.0, std::min(*b.value, scale_top) / scale_top * plot_w) : 0;
    if (b.value)
      out += fmt::format(
          "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"{}\" rx=\"2\"/>",
          b.thin ? "bar thin" : "bar", num(plot_x), num(y + 8), num(w), escape_html(c.colour));
    out += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>", num(plot_x + w + 6),
                       num(y + 21), escape_html(b.value_label));
    out += "</g>\n";
  }
  return out + "</svg>\n";
}

// A CSS string: quotes and backslashes escaped, and '<' too, so that record text in a
// running header can never close the style element.
std::string css_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else if (c == '<')
      out += "\\3C ";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += "\\A ";
    else
      out += c;
  }
  return out + "\"";
}

struct HtmlWriter {
  std::string out;

  void operator()(const Heading& h) {
    out += fmt::format("<h{0}>{1}</h{0}>\n", h.level, escape_html(h.text));
  }
  void operator()(const Paragraph& p) {
    out += p.note ? "<p class=\"note\">" : "<p>";
    out += html_text(p.text) + "</p>\n";
  }
  void operator()(const Tiles& t) {
    out += "<div class=\"tiles\">\n";
    for (const Tile& tile : t.tiles)
      out += fmt::format(
          "<div class=\"tile\"><div class=\"label\">{}</div><div class=\"figure\">{}</div>"
          "<div class=\"detail\">{}</div></div>\n",
          escape_html(tile.label), escape_html(tile.figure), html_text(tile.detail));
    out += "</div>\n";
  }
  void operator()(const Facts& f) {
    out += "<dl class=\"facts\">\n";
    for (const auto& [key, value] : f.rows)
      out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", escape_html(key), html_cell(value));
    out += "</dl>\n";
  }
  void operator()(const Table& t) {
    if (t.rows.empty()) {
      out += "<p class=\"note\">" + escape_html(t.empty) + "</p>\n";
      return;
    }
    auto cls = [&](std::size_t i) {
      Col c = i < t.cols.size() ? t.cols[i] : Col::Text;
      return c == Col::Number   ? std::string(" class=\"num\"")
             : c == Col::Nowrap ? std::string(" class=\"nowrap\"")
                                : std::string();
    };
    // A short table is kept on one page; a long one keeps its first and last rows company.
    std::string classes =
        std::string(t.compact ? "compact " : "") + (t.rows.size() <= 8 ? "keep" : "");
    while (!classes.empty() && classes.back() == ' ') classes.pop_back();
    out += classes.empty() ? "<table>\n" : "<table class=\"" + classes + "\">\n";
    if (!t.widths.empty()) {
      out += "<colgroup>";
      for (int w : t.widths) out += fmt::format("<col style=\"width: {}%\">", w);
      out += "</colgroup>\n";
    }
    out += "<thead><tr>";
    for (std::size_t i = 0; i < t.header.size(); ++i)
      out += fmt::format("<th{}>{}</th>", cls(i), escape_html(t.header[i]));
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& row : t.rows) {
      out += "<tr>";
      for (std::size_t i = 0; i < t.header.size(); ++i)
        out += fmt::format("<td{}>{}</td>", cls(i),
                           i < row.size() ? html_cell(row[i]) : std::string());
      out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
  }
  void operator()(const Chart& c) {
    if (c.bars.empty()) return;
    out += "<figure>\n" + (c.horizontal ? svg_hbar_chart(c) : svg_bar_chart(c));
    out += "<figcaption>" + escape_html(c.title) + "</figcaption>\n</figure>\n";
  }
  void operator()(const Bullets& b) {
    out += "<ul>\n";
    for (const std::string& item : b.items) out += "<li>" + html_text(item) + "</li>\n";
    out += "</ul>\n";
  }
  void operator()(const Trends& t) {
    out += "<div class=\"trends\">\n";
    for (const TrendSeries& s : t.series) {
      svg::LineChart chart;
      chart.title = s.title;
      chart.target = s.target;
      chart.percent = s.percent;
      if (!s.percent) chart.colour = "#b5523b";
      for (std::size_t i = 0; i < t.days.size(); ++i) {
        Date d = t.days[i];
        chart.points.push_back({point_label(d), fmt::format("{}", d.year), s.values[i]});
      }
      out += "<figure class=\"trend\">\n" + svg::line_chart(chart);
      out += "<figcaption><strong>" + escape_html(s.title) + "</strong>";
      if (!s.target_label.empty()) out += " \u00B7 target " + escape_html(s.target_label);
      out += "</figcaption>\n</figure>\n";
    }
    out += "</div>\n";
    if (!t.note.empty()) (*this)(Paragraph{t.note, true});
  }
};

// A heading, and a note right under it, introduce the block that follows.
bool introduces(const Block& b, bool after_heading) {
  if (std::holds_alternative<Heading>(b)) return true;
  const auto* p = std::get_if<Paragraph>(&b);
  return p && p->note && after_heading;
}

// Blocks short enough to keep on one page with their heading; a long table may break, and
// its heading keeps its first rows company by CSS alone.
bool fits_with_heading(const Block& b) {
  const auto* t = std::get_if<Table>(&b);
  return !t || t->rows.size() <= 8;
}

// Printed, a heading never ends a page: it goes in one unbreakable box with what it
// introduces (Chromium does not move a heading before an unbreakable table by itself).
std::string html_blocks(const std::vector<Block>& blocks) {
  HtmlWriter w;
  std::string out, held;
  for (const Block& b : blocks) {
    w.out.clear();
    std::visit(w, b);
    if (introduces(b, !held.empty())) {
      held += w.out;
    } else if (held.empty()) {
      out += w.out;
    } else {
      out += fits_with_heading(b) ? "<div class=\"with-heading\">\n" + held + w.out + "</div>\n"
                                  : held + w.out;
      held.clear();
    }
  }
  return out + held;
}

// Printed, each page names the report and its day at the top and counts itself at the
// bottom; the first page has the title itself.
std::string page_style(const Document& doc) {
  std::string name = doc.kicker.empty() ? doc.title : doc.title + " \u2014 " + doc.kicker;
  constexpr std::string_view box = "font-size: 8pt; color: #5b6675;";
  return fmt::format(
      "@page {{ @top-left {{ content: {}; {} }} @top-right {{ content: {}; {} }}\n"
      "  @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {} }} }}\n"
      "@page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }} }}\n",
      css_string(name), box, css_string(doc.subtitle), box, box);
}

std::string render_html(const Document& doc) {
  HtmlWriter w;
  w.out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  w.out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n";
  w.out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  w.out += fmt::format(
      "<title>{}</title>\n",
      escape_html(doc.kicker.empty() ? doc.title : doc.title + " \u2014 " + doc.kicker));
  w.out += fmt::format("<style>{}{}</style>\n</head>\n<body>\n", html_style, page_style(doc));
  w.out += "<header>\n";
  if (!doc.kicker.empty())
    w.out += fmt::format("<p class=\"kicker\">{}</p>\n", escape_html(doc.kicker));
  w.out += fmt::format("<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n</header>\n<main>\n",
                       escape_html(doc.title), escape_html(doc.subtitle));
  w.out += html_blocks(doc.blocks);
  w.out += "</main>\n<footer>" + escape_html(doc.footer) + "</footer>\n</body>\n</html>\n";
  return w.out;
}

// ---------------------------------------------------------------------------------------
// What the report says

// One survey round's figures, with the satisfied threshold moved to the survey's own
// scale exactly as MEASURES.md does for the satisfaction measure.
struct SurveyFigures {
  const Record* survey = nullptr;
  Date date;
  std::int64_t scale = 5;
  std::int64_t responses = 0;
  std::int64_t satisfied = 0;
  double score_sum = 0;
  std::optional<double> mean() const {
    return responses > 0 ? std::optional(score_sum / static_cast<double>(responses)) : std::nullopt;
  }
  std::optional<double> csat() const {
    return responses > 0
               ? std::optional(static_cast<double>(satisfied) / static_cast<double>(responses))
               : std::nullopt;
  }
};

class ReportBuilder {
  using enum Col;

 public:
  ReportBuilder(const Repository& repo, const ReportOptions& o)
      : repo_(repo),
        as_of_(o.as_of),
        account_(o.account),
        left_out_(o.left_out),
        measures_(compute_measures(repo, o.as_of, o.since)),
        trend_(o.trend),
        trend_from_history_(o.trend_from_history) {
    since_ = measures_.since;
  }

  Document organisation_report() {
    // Without an organisation in brm.yaml the kind of report is the title itself.
    bool named = !repo_.settings.organisation.empty();
    doc_.kicker = named ? "Business relationship report" : "";
    doc_.title = named ? repo_.settings.organisation : "Business relationship report";
    doc_.subtitle =
        fmt::format("As of {} \u00B7 period {} to {}", as_of_.str(), since_.str(), as_of_.str());
    measures_section();
    targets_section();
    trend_section();
    satisfaction_section();
    complaints_section();
    agreements_section();
    service_levels_section();
    overdue_section();
    footer();
    return std::move(doc_);
  }

  Document customer_pack() {
    const Record* c = repo_.find(KindId::Customer, account_);
    doc_.kicker = "Meeting pack";
    doc_.title = name_of(account_);
    std::vector<std::string> role;
    if (c && !c->text("title").empty()) role.emplace_back(c->text("title"));
    if (c && !c->text("unit").empty()) role.emplace_back(c->text("unit"));
    doc_.subtitle =
        (role.empty() ? std::string() : join(role, ", ") + " \u00B7 ") +
        fmt::format("as of {} \u00B7 period {} to {}", as_of_.str(), since_.str(), as_of_.str());
    if (c) customer_overview(*c);
    attention_section();
    plans_section();
    projects_section();
    purchasers_section();
    heading(2, "Agreements and service levels");
    agreements_table(account_);
    delivered_levels_of(account_);
    customer_complaints();
    customer_surveys();
    open_actions();
    requirements_section();
    meetings_section();
    footer();
    return std::move(doc_);
  }

 private:
  // -- helpers

  template <class B>
  void add(B block) {
    doc_.blocks.emplace_back(std::move(block));
  }
  void heading(int level, std::string text) { add(Heading{level, std::move(text)}); }
  void note(std::string text) { add(Paragraph{std::move(text), true}); }

  std::vector<const Record*> records(KindId k) const { return repo_.valid_records(k); }

  std::string name_of(std::string_view customer_id) const {
    return repo_.label_of(KindId::Customer, customer_id);
  }

  std::string service_name(std::string_view id) const {
    return repo_.label_of(KindId::Service, id);
  }

  bool in_account(const Record& r) const {
    return account_.empty() || repo_.account_of(r.text("customer")) == account_;
  }

  bool in_period(std::optional<Date> d) const { return d && *d >= since_ && *d <= as_of_; }

  void footer() {
    std::size_t records = 0;
    for (const auto& rs : repo_.records) records += rs.size();
    doc_.footer = fmt::format("Made by brm from {} on {}.",
                              plural(static_cast<std::int64_t>(records), "record"), as_of_.str());
    std::size_t left_out = std::max(left_out_, measures_.left_out);
    if (left_out > 0)
      doc_.footer += fmt::format(" {} with errors {} left out; run 'brm check'.",
                                 plural(static_cast<std::int64_t>(left_out), "record"),
                                 left_out == 1 ? "was" : "were");
  }

  std::vector<SurveyFigures> survey_figures(bool account_only) const {
    std::vector<SurveyFigures> out;
    for (const Record* s : records(KindId::Survey)) {
      auto date = s->date("date");
      if (!date || *date > as_of_) continue;
      SurveyFigures f;
      f.survey = s;
      f.date = *date;
      f.scale = survey_scale(*s, repo_.settings);
      tally_responses(*s, account_only, f);
      if (account_only && f.responses == 0) continue;
      out.push_back(f);
    }
    std::stable_sort(out.begin(), out.end(), [](const SurveyFigures& a, const SurveyFigures& b) {
      return a.date < b.date;
    });
    return out;
  }

  // The survey's responses into f, only the account's own when account_only.
  void tally_responses(const Record& s, bool account_only, SurveyFigures& f) const {
    std::int64_t threshold = satisfied_threshold(s, repo_.settings);
    const Value* rs = s.field("responses");
    if (!rs || !rs->is_sequence()) return;
    for (const Value& r : rs->items()) {
      if (!r.is_mapping()) continue;
      if (account_only && !answered_by_account(r)) continue;
      auto score = whole_number(r.find("score"));
      if (!score) continue;
      ++f.responses;
      f.score_sum += static_cast<double>(*score);
      if (*score >= threshold) ++f.satisfied;
    }
  }

  bool answered_by_account(const Value& response) const {
    const Value* who = response.find("customer");
    return who && who->is_string() && repo_.account_of(who->as_string()) == account_;
  }

  // One bar per survey round, its full title beside it; a bar that rests on one response
  // says so, and is drawn faint: one respondent is an anecdote, not a share.
  static Chart csat_chart(std::string title, const std::vector<SurveyFigures>& rounds) {
    Chart chart{std::move(title), "CSAT", {}, 100.0, "#1f4e79", false, true};
    for (const SurveyFigures& f : rounds) {
      std::string value = percent(f.csat());
      if (f.responses == 1)
        value += " \u00B7 one response only";
      else if (f.responses > 1)
        value += fmt::format(" \u00B7 {} responses", f.responses);
      chart.bars.push_back(
          {std::string(f.survey->label()), f.date.str(), std::string(f.survey->label()),
           f.csat() ? std::optional(*f.csat() * 100.0) : std::nullopt, value, f.responses == 1});
    }
    return chart;
  }

  // The measure's mean counts every score on brm.yaml's scale (MEASURES.md, 3).
  std::string mean_on_scale(std::optional<double> mean) const {
    return mean ? fmt::format("{} of {}", format_mean(mean), repo_.settings.survey_scale) : "-";
  }

  // Status on the as-of day: a complaint closed later was still open then.
  std::string status_at(const Record& c) const {
    auto closed = c.date("closed");
    std::string status(c.text("status"));
    if (closed && *closed > as_of_) return "open";
    return status;
  }

  bool open_at(const Record& c) const {
    auto received = c.date("received");
    if (!received || *received > as_of_) return false;
    std::string status = status_at(c);
    return status == "open" || status == "in-progress";
  }

  // -- the organisation report

  void measures_section() {
    const Measures& m = measures_;
    heading(2, "The four measures");
    Tiles t;
    t.tiles.push_back(
        // Customers and purchasers together, as the target and the trend count them.
        {"IT contacts",
         format_percent(m.customers.with_contact + m.purchasers.with_contact,
                        m.customers.total + m.purchasers.total),
         fmt::format("with a designated IT contact: customers {} of {} ({}), purchasers {} of {} "
                     "({})",
                     m.customers.with_contact, m.customers.total,
                     format_percent(m.customers.with_contact, m.customers.total),
                     m.purchasers.with_contact, m.purchasers.total,
                     format_percent(m.purchasers.with_contact, m.purchasers.total)) +
             target_note(TargetKey::Contacts)});
    t.tiles.push_back({"Written agreements",
                       format_percent(m.with_written_agreement, m.agreements_total),
                       fmt::format("customers with a written agreement in force: {} of {}",
                                   m.with_written_agreement, m.agreements_total) +
                           target_note(TargetKey::Agreements)});
    t.tiles.push_back({"Satisfaction (CSAT)", percent(m.csat),
                       fmt::format("{} satisfied of {}\nmean score {}", m.satisfied,
                                   plural(m.responses, "response"), mean_on_scale(m.mean)) +
                           target_note(TargetKey::Csat)});
    t.tiles.push_back(
        {"Complaints received", fmt::format("{}", m.complaints_received),
         fmt::format("{} open on {}, {} closed\nmedian time to close: {}", m.complaints_open,
                     as_of_.str(), m.complaints_closed,
                     m.median_days_to_close ? days_text(*m.median_days_to_close) : "-") +
             target_note(TargetKey::ComplaintsOpen)});
    add(std::move(t));
    note(fmt::format(
        "Current customers and purchasers on {}; surveys and complaints of the period {} to {}. "
        "A written agreement is signed and in force on the day.",
        as_of_.str(), since_.str(), as_of_.str()));

    Bullets gaps;
    auto list = [&](std::string_view what, const std::vector<GapEntry>& entries) {
      if (entries.empty()) return;
      std::vector<std::string> names;
      for (const GapEntry& g : entries) names.push_back(g.name.empty() ? g.id : g.name);
      gaps.items.push_back(fmt::format("{} ({}): {}", what, entries.size(), join(names, ", ")));
    };
    list("Customers without an IT contact", m.customers_without_contact);
    list("Purchasers without an IT contact", m.purchasers_without_contact);
    list("Customers without a written agreement", m.customers_without_agreement);
    if (!gaps.items.empty()) {
      heading(3, "Where the gaps are");
      add(std::move(gaps));
    }

    heading(3, "By customer");
    Table t2{{"Customer", "Purchasers with IT contact", "IT contact", "Written agreement",
              "Responses", "Mean", "Complaints", "Open"},
             {Text, Number, Nowrap, Nowrap, Number, Number, Number, Number},
             {},
             "No current customers."};
    for (const AccountFigures& a : m.by_account)
      t2.rows.push_back(
          {a.name.empty() ? a.id : a.name,
           a.purchasers > 0 ? fmt::format("{} of {}", a.purchasers_with_contact, a.purchasers)
                            : "-",
           a.has_contact ? "yes" : "no", a.written_agreement ? "yes" : "no",
           fmt::format("{}", a.responses), format_mean(a.mean),
           fmt::format("{}", a.complaints_received), fmt::format("{}", a.complaints_open)});
    add(std::move(t2));
  }

  // "\ntarget 90%: missed by 6.7 points" under a tile; empty without a target.
  std::string target_note(TargetKey key) const {
    for (const TargetResult& t : compare_with_targets(measures_))
      if (t.key == key) return fmt::format("\ntarget {}: {}", target_figure(t), target_status(t));
    return "";
  }

  void targets_section() {
    std::vector<TargetResult> targets = compare_with_targets(measures_);
    if (targets.empty()) return;
    heading(3, "Against the targets");
    Table t{{"Measure", "Target", "On " + as_of_.str(), "Status"},
            {Text, Nowrap, Number, Text},
            {},
            ""};
    for (const TargetResult& r : targets)
      t.rows.push_back(
          {std::string(target_title(r.key)), target_figure(r), actual_figure(r), target_status(r)});
    add(std::move(t));
  }

  // Each measure over the last twelve months, with its target, as small line charts.
  void trend_section() {
    std::vector<Measures> points = trend_;
    if (points.empty() && !trend_from_history_)
      for (Date d : report_trend_days(as_of_))
        points.push_back(compute_measures(repo_, d, std::nullopt, MeasureDetail::Figures));
    heading(3, "The last twelve months");
    if (points.empty()) {
      note("The git history holds no commit from the last twelve months.");
      return;
    }
    Trends t;
    for (const Measures& m : points) t.days.push_back(m.as_of);
    auto target_of = [&](TargetKey key, TrendSeries& s) {
      for (const TargetResult& r : compare_with_targets(measures_))
        if (r.key == key) {
          s.target = s.percent ? r.target * 100.0 : r.target;
          s.target_label = target_figure(r);
        }
    };
    auto share = [](std::int64_t part, std::int64_t whole) -> std::optional<double> {
      if (whole <= 0) return std::nullopt;
      return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
    };
    TrendSeries contacts{"IT contacts", {}, {}, "", true},
        agreements{"Written agreements", {}, {}, "", true},
        csat{"Satisfaction (CSAT)", {}, {}, "", true}, open{"Complaints open", {}, {}, "", false};
    for (const Measures& m : points) {
      contacts.values.push_back(share(m.customers.with_contact + m.purchasers.with_contact,
                                      m.customers.total + m.purchasers.total));
      agreements.values.push_back(share(m.with_written_agreement, m.agreements_total));
      csat.values.push_back(m.csat ? std::optional(*m.csat * 100.0) : std::nullopt);
      open.values.push_back(static_cast<double>(m.complaints_open));
    }
    // A repository with nothing to chart yet gets no empty frames.
    // (no current customers, no responses, no complaint open at any point).
    auto something = [](const TrendSeries& s) {
      return std::any_of(s.values.begin(), s.values.end(),
                         [&](auto v) { return v && (s.percent || *v != 0); });
    };
    if (!something(contacts) && !something(agreements) && !something(csat) && !something(open)) {
      note("Nothing to chart yet.");
      return;
    }
    target_of(TargetKey::Contacts, contacts);
    target_of(TargetKey::Agreements, agreements);
    target_of(TargetKey::Csat, csat);
    target_of(TargetKey::ComplaintsOpen, open);
    t.series = {std::move(contacts), std::move(agreements), std::move(csat), std::move(open)};
    t.note = trend_from_history_
                 ? "Each point: the figures as the git history held them at the end of that day "
                   "(IT contacts over customers and purchasers together; satisfaction over the "
                   "year up to the day)."
                 : "Each point: the figures on that day, from the records' own dates (IT contacts "
                   "over customers and purchasers together; satisfaction over the year up to "
                   "the day).";
    add(std::move(t));
  }

  void satisfaction_section() {
    heading(2, "Customer satisfaction");
    std::vector<SurveyFigures> surveys = survey_figures(false);
    if (surveys.empty()) {
      note("No survey has closed by " + as_of_.str() + ".");
      return;
    }
    add(csat_chart("CSAT per survey round: share of responses at or above the satisfied score",
                   surveys));

    Table rounds{{"Survey", "Closed", "Responses", "Mean", "Satisfied", "CSAT"},
                 {Text, Nowrap, Number, Number, Number, Number},
                 {},
                 "None."};
    for (const SurveyFigures& f : surveys)
      rounds.rows.push_back({std::string(f.survey->label()), f.date.str(),
                             fmt::format("{}", f.responses),
                             fmt::format("{} of {}", format_mean(f.mean()), f.scale),
                             fmt::format("{}", f.satisfied), percent(f.csat())});
    add(std::move(rounds));
    question_means(surveys);
  }

  void question_means(const std::vector<SurveyFigures>& surveys) {
    Table t{{"Survey", "Question", "Answers", "Mean"}, {Text, Text, Number, Number}, {}, ""};
    for (const SurveyFigures& f : surveys) {
      const Value* qs = f.survey->field("questions");
      const Value* rs = f.survey->field("responses");
      if (!qs || !qs->is_sequence()) continue;
      for (const Value& q : qs->items()) {
        std::string id = text_of(q, "id");
        std::int64_t n = 0;
        double sum = 0;
        if (rs && rs->is_sequence())
          for (const Value& r : rs->items()) {
            const Value* answers = r.find("answers");
            if (!answers || !answers->is_mapping()) continue;
            if (auto a = whole_number(answers->find(id))) {
              ++n;
              sum += static_cast<double>(*a);
            }
          }
        std::string text = text_of(q, "text");
        t.rows.push_back(
            {std::string(f.survey->label()), text.empty() ? id : text, fmt::format("{}", n),
             n > 0 ? fmt::format("{} of {}", format_mean(sum / static_cast<double>(n)), f.scale)
                   : "-"});
      }
    }
    if (t.rows.empty()) return;
    heading(3, "Mean answer per question");
    add(std::move(t));
  }

  void complaints_section() {
    heading(2, "Complaints");
    std::vector<const Record*> received;
    for (const Record* c : records(KindId::Complaint))
      if (in_period(c->date("received"))) received.push_back(c);

    if (received.empty()) note("No complaints received in the period.");
    // Received per month over the period, empty months included: a quiet month is news too.
    Chart chart{
        since_.day == 1 && as_of_ == as_of_.end_of_month()
            ? std::string("Complaints received per month")
            : fmt::format(
                  "Complaints received per month, {} to {} (the first and last months in part)",
                  since_.str(), as_of_.str()),
        "Received",
        {},
        std::nullopt,
        "#b5523b",
        true};
    std::map<std::pair<int, int>, std::int64_t> per_month;
    for (const Record* c : received) {
      Date d = *c->date("received");
      ++per_month[{d.year, d.month}];
    }
    for (Date m{since_.year, since_.month, 1}; m <= as_of_; m = m.end_of_month().add_days(1)) {
      std::int64_t n = per_month.count({m.year, m.month}) ? per_month[{m.year, m.month}] : 0;
      chart.bars.push_back({std::string(month_name(m.month)), fmt::format("{}", m.year),
                            fmt::format("{} {}", month_name(m.month), m.year),
                            static_cast<double>(n), fmt::format("{}", n)});
    }
    if (!received.empty()) add(std::move(chart));

    std::vector<std::string> statuses = {"open", "in-progress", "resolved", "rejected"};
    std::map<std::string, std::int64_t> by_status;
    for (const Record* c : received) ++by_status[status_at(*c)];
    Table st{{"Status on " + as_of_.str(), "Received in the period"},
             {Nowrap, Number},
             {},
             "None.",
             true};
    for (const std::string& s : statuses) st.rows.push_back({s, fmt::format("{}", by_status[s])});
    heading(3, "By status and severity");
    add(std::move(st));

    Table sev{
        {"Severity", "Received in the period", "Open on " + as_of_.str(), "Closed in the period"},
        {Nowrap, Number, Number, Number},
        {},
        "",
        true};
    for (std::string_view level : {"high", "medium", "low"}) {
      std::int64_t r = 0, open = 0, closed = 0;
      for (const Record* c : records(KindId::Complaint)) {
        if (c->text("severity") != level) continue;
        r += in_period(c->date("received"));
        open += open_at(*c);
        closed += in_period(c->date("closed"));
      }
      sev.rows.push_back({std::string(level), fmt::format("{}", r), fmt::format("{}", open),
                          fmt::format("{}", closed)});
    }
    add(std::move(sev));
    note(fmt::format("Median time to close, over the complaints closed in the period: {}.",
                     measures_.median_days_to_close ? days_text(*measures_.median_days_to_close)
                                                    : "none closed"));

    heading(3, "Open complaints");
    add(open_complaints_table(true));
  }

  Table open_complaints_table(bool with_customer) {
    std::vector<const Record*> open;
    for (const Record* c : records(KindId::Complaint))
      if (open_at(*c) && in_account(*c)) open.push_back(c);
    std::stable_sort(open.begin(), open.end(), [](const Record* a, const Record* b) {
      return *a->date("received") < *b->date("received");
    });
    Table t{{"Received", "Age", "Customer", "Severity", "Status", "Summary"},
            {Nowrap, Number, Text, Nowrap, Nowrap, Text},
            {},
            "No open complaints."};
    if (!with_customer) {
      t.header.erase(t.header.begin() + 2);
      t.cols.erase(t.cols.begin() + 2);
    }
    for (const Record* c : open) {
      Date received = *c->date("received");
      std::vector<std::string> row = {
          received.str(),
          days_text(static_cast<double>(as_of_.days() - received.days())),
          name_of(c->text("customer")),
          std::string(c->text("severity")),
          status_at(*c),
          std::string(c->label())};
      if (!with_customer) row.erase(row.begin() + 2);
      t.rows.push_back(std::move(row));
    }
    return t;
  }

  void agreements_section() {
    heading(2, "Agreements");
    note("Active and draft agreements, and those that ended in the period, by customer.");
    std::set<std::string> accounts;
    for (const Record* a : records(KindId::Agreement))
      if (shown(*a)) accounts.insert(std::string(a->text("customer")));
    std::vector<std::pair<std::string, std::string>> by_name;
    for (const std::string& id : accounts) by_name.emplace_back(name_of(id), id);
    std::sort(by_name.begin(), by_name.end());
    if (by_name.empty()) note("No agreements.");
    for (const auto& [name, id] : by_name) {
      heading(3, name);
      agreements_table(id);
    }
  }

  // Old agreements that ended before the period are history, not news.
  bool shown(const Record& a) const {
    std::string_view status = a.text("status");
    if (status == "active" || status == "draft") return true;
    auto end = a.date("end");
    return end && *end >= since_;
  }

  void agreements_table(const std::string& customer) {
    // Five columns, dates stacked in two of them: the services column needs the room,
    // on A4 above all.
    Table t{{"Agreement", "Status", "Term", "Services and service levels", "Financing"},
            {Text, Nowrap, Nowrap, Text, Text},
            {},
            "No agreements.",
            false,
            {19, 14, 15, 34, 18}};
    for (const Record* a : records(KindId::Agreement)) {
      if (a->text("customer") != customer || !shown(*a)) continue;
      std::string signed_on(a->text("signed"));
      t.rows.push_back({std::string(a->label()),
                        fmt::format("{}\n{}", a->text("status"),
                                    signed_on.empty() ? "not signed" : "signed " + signed_on),
                        agreement_term(*a), agreement_services(*a), agreement_financing(*a)});
    }
    add(std::move(t));
  }

  static std::string agreement_term(const Record& a) {
    std::string term = fmt::format("{}\nto {}", a.text("start"),
                                   a.text("end").empty() ? "open end" : a.text("end"));
    if (!a.text("review").empty()) term += fmt::format("\nreview {}", a.text("review"));
    return term;
  }

  // One line a service: its name and its levels.
  std::string agreement_services(const Record& a) const {
    std::vector<std::string> services;
    const Value* ss = a.field("services");
    if (!ss || !ss->is_sequence()) return "";
    for (const Value& s : ss->items()) {
      std::vector<std::string> levels;
      if (const Value* ls = s.find("levels"); ls && ls->is_sequence())
        for (const Value& l : ls->items())
          levels.push_back(fmt::format("{} {}{}", text_of(l, "metric"), text_of(l, "target"),
                                       unit_suffix(text_of(l, "unit"))));
      std::string line = service_name(text_of(s, "service"));
      if (!levels.empty()) line += ": " + join(levels, ", ");
      services.push_back(line);
    }
    return join(services, "\n");
  }

  std::string agreement_financing(const Record& a) const {
    std::string financing;
    const Value* f = a.field("financing");
    if (!f || !f->is_mapping()) return financing;
    if (const Value* amount = f->find("amount"); amount && amount->is_number()) {
      std::string currency = text_of(*f, "currency");
      financing = fmt::format("{} {}", group_digits(amount->as_double()),
                              currency.empty() ? repo_.settings.currency : currency);
    }
    if (std::string period = text_of(*f, "period"); !period.empty()) financing += " " + period;
    if (std::string cc = text_of(*f, "cost_centre"); !cc.empty())
      financing += "\ncost centre " + cc;
    return financing;
  }

  // -- service levels agreed and delivered

  // Agreements with results: what was delivered against what was agreed. Those with
  // levels but no result yet are named, since a level nobody reports on is news too.
  void service_levels_section() {
    heading(2, "Service levels agreed and delivered");
    note("Each agreed level beside the latest result delivered by " + as_of_.str() +
         " (from the service level reports of other processes), and its last results.");
    std::set<std::pair<std::string, std::string>> accounts;
    std::vector<std::string> unreported;
    for (const Record* a : records(KindId::Agreement)) {
      if (!shown(*a) || agreed_levels(*a).empty()) continue;
      if (!results_of(repo_, a->id, as_of_).empty())
        accounts.emplace(name_of(a->text("customer")), a->text("customer"));
      else if (a->text("status") == "active")
        unreported.push_back(fmt::format("{} ({})", a->label(), name_of(a->text("customer"))));
    }
    if (accounts.empty() && unreported.empty()) note("No agreement has service levels.");
    for (const auto& [name, id] : accounts) delivered_levels_of(id, name);
    if (!unreported.empty())
      note(fmt::format("Active agreements with service levels but no result yet: {}.",
                       join(unreported, ", ")));
  }

  // One table per agreement of the customer that has levels and, in the published report,
  // results; in the pack under its own heading, every active agreement too.
  void delivered_levels_of(const std::string& customer, const std::string& name = {}) {
    bool pack = name.empty();
    if (pack) heading(2, "Service levels agreed and delivered");
    bool any = false;
    for (const Record* a : records(KindId::Agreement)) {
      std::vector<AgreedLevel> levels = agreed_levels(*a);
      if (a->text("customer") != customer || !shown(*a) || levels.empty()) continue;
      std::vector<const Record*> results = results_of(repo_, a->id, as_of_);
      if (results.empty() && (!pack || a->text("status") != "active")) continue;
      heading(3, pack ? std::string(a->label()) : fmt::format("{}: {}", name, a->label()));
      Table t{{"Service", "Level", "Agreed", "Delivered", "Status", "Last results"},
              {Text, Text, Nowrap, Nowrap, Nowrap, Text},
              {},
              "",
              false,
              {16, 20, 14, 15, 11, 24}};
      for (const AgreedLevel& l : levels) t.rows.push_back(level_row(l, results));
      add(std::move(t));
      any = true;
    }
    if (pack && !any) note("No active agreement of this customer has service levels.");
  }

  // The target, the latest result that reports the level, met or breached, and how the
  // last results moved.
  std::vector<std::string> level_row(const AgreedLevel& l,
                                     const std::vector<const Record*>& results) const {
    std::vector<std::pair<const Record*, double>> delivered;
    for (const Record* r : results)
      if (auto achieved = achieved_in(*r, l.service, l.metric))
        delivered.emplace_back(r, *achieved);
    std::vector<std::string> row = {
        service_name(l.service), std::string(l.metric),
        level_figure(l.target, l.unit) + (l.higher_is_better ? " or more" : " or less")};
    if (delivered.empty()) {
      row.insert(row.end(), {"-", results.empty() ? "no result yet" : "not reported", ""});
      return row;
    }
    const auto& [latest, value] = delivered.back();
    row.push_back(fmt::format("{}\n{}\nto {}", level_figure(value, l.unit), latest->text("start"),
                              latest->text("end")));
    row.push_back(l.is_met(value) ? "met" : "breached");
    row.push_back(level_trend_text(l, delivered));
    return row;
  }

  // "99.7% → 99.5%, worse": the last four results, oldest first, and the last move.
  static std::string level_trend_text(const AgreedLevel& l,
                                      const std::vector<std::pair<const Record*, double>>& d) {
    if (d.size() == 1) return "the first result";
    std::vector<std::string> figures;
    for (std::size_t i = d.size() > 4 ? d.size() - 4 : 0; i < d.size(); ++i)
      figures.push_back(level_figure(d[i].second, l.unit));
    LevelTrend trend = level_trend(l, d[d.size() - 2].second, d.back().second);
    return fmt::format("{}, {}", join(figures, " \u2192 "),
                       trend == LevelTrend::Better  ? "better"
                       : trend == LevelTrend::Worse ? "worse"
                                                    : "unchanged");
  }

  // What the agenda finds overdue on the day, in the whole organisation.
  void overdue_section() {
    heading(2, "Overdue on " + as_of_.str());
    AgendaOptions o;
    o.today = as_of_;
    Table t{{"What", "Since", "Days", "Item"},
            {Nowrap, Nowrap, Number, Text},
            {},
            "Nothing is overdue."};
    for (const AgendaItem& item : build_agenda(repo_, o))
      if (is_overdue(item))
        t.rows.push_back({std::string(category_label(item.category)),
                          item.date ? item.date->str() : "",
                          fmt::format("{}", item.days.value_or(0)), item.message});
    add(std::move(t));
  }

  // -- plans and projects in the pack

  // In effect on the day: current, started, not ended.
  bool plan_in_effect(const Record& p) const {
    auto start = p.date("start");
    auto end = p.date("end");
    return p.text("status") == "current" && start && *start <= as_of_ && (!end || *end >= as_of_);
  }

  void plans_section() {
    heading(2, "Plans and changes in the business");
    Table t{{"Plan", "Objectives", "What it implies for IT", "Review"},
            {Text, Text, Text, Nowrap},
            {},
            "No current plans on record.",
            false,
            {26, 29, 29, 16}};
    for (const Record* p : records(KindId::Plan)) {
      if (!in_account(*p) || !plan_in_effect(*p)) continue;
      std::string plan =
          fmt::format("{}\n{}, from {}", p->label(), p->text("type"), p->text("start"));
      if (!p->text("end").empty()) plan += " to " + std::string(p->text("end"));
      if (p->text("customer") != account_) plan += "\nfor " + name_of(p->text("customer"));
      std::string review(p->text("review"));
      if (plan_due(repo_, *p, as_of_))
        review += *p->date("review") < as_of_ ? "\noverdue" : "\ndue";
      t.rows.push_back({plan, join(strings_of(p->field("objectives")), "\n"),
                        join(strings_of(p->field("implications")), "\n"), review});
    }
    add(std::move(t));
  }

  // Not ended by the day, or ended within the period.
  bool project_shown(const Record& p) const {
    auto ended = p.date("ended");
    return !ended || *ended > as_of_ || in_period(ended);
  }

  void projects_section() {
    heading(2, "Projects");
    Table t{{"Project", "Status", "Schedule", "Open milestones"},
            {Text, Nowrap, Nowrap, Text},
            {},
            "No projects concern this customer.",
            false,
            {28, 16, 22, 34}};
    for (const Record* p : records(KindId::Project))
      if (in_account(*p) && project_shown(*p)) t.rows.push_back(project_row(*p));
    add(std::move(t));
  }

  std::vector<std::string> project_row(const Record& p) const {
    std::string project(p.label());
    if (!p.text("manager").empty()) project += "\nmanager " + std::string(p.text("manager"));
    if (p.text("customer") != account_) project += "\nfor " + name_of(p.text("customer"));
    std::string status(p.text("status"));
    if (!p.text("health").empty()) status += "\nhealth " + std::string(p.text("health"));
    std::string schedule =
        fmt::format("start {}\nplanned end {}", p.text("start"), p.text("planned_end"));
    if (!p.text("forecast_end").empty())
      schedule += "\nforecast " + std::string(p.text("forecast_end"));
    if (!p.text("ended").empty()) schedule += "\nended " + std::string(p.text("ended"));
    if (project_late(repo_, p, as_of_)) schedule += "\nlate";
    return {project, status, schedule, open_milestones(p)};
  }

  // "All stores live, due 2026-09-30, overdue" per milestone not done.
  std::string open_milestones(const Record& p) const {
    std::vector<std::string> open;
    std::size_t total = 0;
    if (const Value* ms = p.field("milestones"); ms && ms->is_sequence())
      for (const Value& m : ms->items()) {
        ++total;
        if (!m.is_mapping() || m.find("done")) continue;
        std::string due = text_of(m, "due");
        auto day = Date::parse(due);
        open.push_back(fmt::format("{}, due {}{}", text_of(m, "what"), due,
                                   day && *day < as_of_ && !p.field("ended") ? ", overdue" : ""));
      }
    if (!open.empty()) return join(open, "\n");
    return total == 0 ? "none planned" : "all done";
  }

  // -- the customer pack

  void customer_overview(const Record& c) {
    Facts f;
    auto fact = [&](std::string key, std::string_view value) {
      if (!value.empty()) f.rows.emplace_back(std::move(key), std::string(value));
    };
    fact("IT contact", c.text("it_contact").empty() ? "none designated" : c.text("it_contact"));
    fact("Email", c.text("email"));
    fact("Phone", c.text("phone"));
    if (const Value* b = c.field("budget"); b && b->is_mapping()) {
      if (const Value* amount = b->find("amount"); amount && amount->is_number()) {
        std::string currency = text_of(*b, "currency");
        std::string year = text_of(*b, "year");
        fact("IT budget", fmt::format("{} {}{}", group_digits(amount->as_double()),
                                      currency.empty() ? repo_.settings.currency : currency,
                                      year.empty() ? "" : " (" + year + ")"));
      }
    }
    fact("Customer since", c.text("since"));
    if (c.text("status") == "inactive") fact("Status", "inactive");
    add(std::move(f));

    for (const AccountFigures& a : measures_.by_account) {
      if (a.id != account_) continue;
      heading(2, "In figures");
      Tiles t;
      t.tiles.push_back(
          {"Purchasers with IT contact",
           fmt::format("{} of {}", a.purchasers_with_contact, a.purchasers),
           a.has_contact ? "the customer has an IT contact" : "the customer has no IT contact"});
      t.tiles.push_back({"Written agreement", a.written_agreement ? "yes" : "no",
                         a.written_agreement ? "active, signed and in force"
                                             : "none active, signed and in force"});
      // CSAT rather than the mean: it reads the same on every survey scale.
      std::int64_t satisfied = 0, responses = 0;
      std::vector<SurveyFigures> own = survey_figures(true);
      for (const SurveyFigures& round : own)
        if (in_period(round.date)) {
          satisfied += round.satisfied;
          responses += round.responses;
        }
      t.tiles.push_back({"Satisfaction (CSAT)",
                         responses > 0 ? format_percent(satisfied, responses) : "-",
                         fmt::format("{} in the period\nmean score {}",
                                     plural(responses, "response"), mean_on_scale(a.mean))});
      t.tiles.push_back({"Complaints", fmt::format("{}", a.complaints_received),
                         fmt::format("received in the period; {} open", a.complaints_open)});
      add(std::move(t));
    }
  }

  void attention_section() {
    AgendaOptions o;
    o.today = as_of_;
    o.account = account_;
    std::vector<AgendaItem> items = build_agenda(repo_, o);
    heading(2, "Needs attention");
    Table t{{"What", "Date", "Item"}, {Text, Nowrap, Text}, {}, "Nothing needs attention."};
    for (const AgendaItem& item : items)
      t.rows.push_back({std::string(category_label(item.category)),
                        item.date ? item.date->str() : "", item.message});
    add(std::move(t));
  }

  void purchasers_section() {
    heading(2, "Purchasers");
    Table t{{"Name", "Title", "Unit", "IT contact", "Email", "Status"},
            {Text, Text, Text, Text, Text, Nowrap},
            {},
            "No purchasers."};
    for (const Record* p : records(KindId::Customer)) {
      if (p->text("role") != "purchaser" || p->text("customer") != account_) continue;
      t.rows.push_back({std::string(p->label()), std::string(p->text("title")),
                        std::string(p->text("unit")),
                        p->text("it_contact").empty() ? "none" : std::string(p->text("it_contact")),
                        std::string(p->text("email")),
                        p->text("status").empty() ? "active" : std::string(p->text("status"))});
    }
    add(std::move(t));
  }

  void customer_complaints() {
    heading(2, "Complaints");
    add(open_complaints_table(false));
    std::vector<const Record*> closed;
    for (const Record* c : records(KindId::Complaint))
      if (in_account(*c) && !open_at(*c) && in_period(c->date("received"))) closed.push_back(c);
    if (closed.empty()) return;
    heading(3, "Closed, received in the period");
    Table t{{"Received", "Closed", "Severity", "Status", "Summary", "Resolution"},
            {Nowrap, Nowrap, Nowrap, Nowrap, Text, Text},
            {},
            ""};
    for (const Record* c : closed)
      t.rows.push_back({std::string(c->text("received")), std::string(c->text("closed")),
                        std::string(c->text("severity")), std::string(c->text("status")),
                        std::string(c->label()), std::string(c->text("resolution"))});
    add(std::move(t));
  }

  void customer_surveys() {
    heading(2, "Survey results");
    std::vector<SurveyFigures> own = survey_figures(true);
    if (own.empty()) {
      note("No survey responses from this customer or its purchasers.");
      return;
    }
    std::vector<SurveyFigures> all = survey_figures(false);
    add(csat_chart("CSAT per survey round, this customer and its purchasers", own));
    Table t{{"Survey", "Closed", "Responses", "Mean", "CSAT", "CSAT of all customers"},
            {Text, Nowrap, Number, Number, Number, Number},
            {},
            ""};
    for (const SurveyFigures& f : own) {
      std::string overall = "-";
      for (const SurveyFigures& g : all)
        if (g.survey == f.survey) overall = percent(g.csat());
      t.rows.push_back(
          {std::string(f.survey->label()), f.date.str(), fmt::format("{}", f.responses),
           fmt::format("{} of {}", format_mean(f.mean()), f.scale), percent(f.csat()), overall});
    }
    add(std::move(t));

    Bullets comments;
    for (auto it = own.rbegin(); it != own.rend(); ++it) {
      const Value* rs = it->survey->field("responses");
      for (const Value& r : rs->items()) {
        std::string who = text_of(r, "customer");
        std::string comment = text_of(r, "comment");
        if (comment.empty() || repo_.account_of(who) != account_) continue;
        comments.items.push_back(fmt::format("{} ({}, score {}): {}", name_of(who),
                                             it->survey->label(), text_of(r, "score"), comment));
      }
    }
    if (!comments.items.empty()) {
      heading(3, "Comments");
      add(std::move(comments));
    }
  }

  void open_actions() {
    heading(2, "Open actions");
    struct Row {
      std::string due, what, owner, meeting;
    };
    std::vector<Row> rows;
    for (const Record* m : records(KindId::Meeting)) {
      if (!in_account(*m)) continue;
      const Value* actions = m->field("actions");
      if (!actions || !actions->is_sequence()) continue;
      for (const Value& a : actions->items())
        if (a.is_mapping() && !a.find("done"))
          rows.push_back({text_of(a, "due"), text_of(a, "what"), text_of(a, "owner"),
                          fmt::format("{} ({})", m->text("date"), name_of(m->text("customer")))});
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.due < b.due; });
    Table t{{"Due", "Action", "Owner", "From the meeting"},
            {Nowrap, Text, Text, Text},
            {},
            "No open actions."};
    for (Row& r : rows) {
      auto due = Date::parse(r.due);
      if (due && *due < as_of_) r.due += "\noverdue";
      t.rows.push_back({r.due, r.what, r.owner, r.meeting});
    }
    add(std::move(t));
  }

  void requirements_section() {
    heading(2, "Requirements and improvements");
    std::vector<const Record*> reqs;
    for (const Record* r : records(KindId::Requirement)) {
      auto raised = r->date("raised");
      if (in_account(*r) && raised && *raised <= as_of_) reqs.push_back(r);
    }
    std::stable_sort(reqs.begin(), reqs.end(), [](const Record* a, const Record* b) {
      return *a->date("raised") > *b->date("raised");
    });
    Table t{{"Raised", "Title", "Type", "Status", "Decided", "Delivered"},
            {Nowrap, Text, Nowrap, Nowrap, Nowrap, Nowrap},
            {},
            "No requirements."};
    for (const Record* r : reqs)
      t.rows.push_back({std::string(r->text("raised")), std::string(r->label()),
                        std::string(r->text("type")), std::string(r->text("status")),
                        std::string(r->text("decided")), std::string(r->text("delivered"))});
    add(std::move(t));
  }

  // "Send the draft (Erik Lund, due 2026-03-31, overdue)" for each action not done.
  std::vector<std::string> open_actions_of(const Record& meeting) const {
    std::vector<std::string> out;
    const Value* actions = meeting.field("actions");
    if (!actions || !actions->is_sequence()) return out;
    for (const Value& a : actions->items()) {
      if (!a.is_mapping() || a.find("done")) continue;
      std::string due = text_of(a, "due");
      auto day = Date::parse(due);
      out.push_back(fmt::format("{} ({}, due {}{})", text_of(a, "what"), text_of(a, "owner"), due,
                                day && *day < as_of_ ? ", overdue" : ""));
    }
    return out;
  }

  void meetings_section() {
    heading(2, "Last meetings");
    std::vector<const Record*> past, planned;
    for (const Record* m : records(KindId::Meeting)) {
      auto d = m->date("date");
      if (!d || !in_account(*m)) continue;
      (*d <= as_of_ ? past : planned).push_back(m);
    }
    auto by_date = [](const Record* a, const Record* b) {
      return a->text("date") < b->text("date");
    };
    std::stable_sort(past.begin(), past.end(), by_date);
    std::stable_sort(planned.begin(), planned.end(), by_date);
    if (!planned.empty())
      note(fmt::format("Next meeting planned: {} with {}.", planned.front()->text("date"),
                       name_of(planned.front()->text("customer"))));
    if (past.empty()) {
      note("No meetings yet.");
      return;
    }
    // The last three: enough to recall what was decided without reprinting the history.
    std::size_t shown = 0;
    for (auto it = past.rbegin(); it != past.rend() && shown < 3; ++it, ++shown) {
      const Record& m = **it;
      std::string type(m.text("type"));
      heading(3, fmt::format("{}{} with {}", m.text("date"), type.empty() ? "" : ", " + type,
                             name_of(m.text("customer"))));
      Facts f;
      if (auto a = strings_of(m.field("attendees")); !a.empty())
        f.rows.emplace_back("Attendees", join(a, ", "));
      if (auto a = strings_of(m.field("agenda")); !a.empty())
        f.rows.emplace_back("Agenda", join(a, "\n"));
      std::vector<std::string> decisions = strings_of(m.field("decisions"));
      f.rows.emplace_back("Decisions", decisions.empty() ? "none recorded" : join(decisions, "\n"));
      std::vector<std::string> open = open_actions_of(m);
      f.rows.emplace_back("Open actions", open.empty() ? "none" : join(open, "\n"));
      add(std::move(f));
    }
  }

  const Repository& repo_;
  Date as_of_;
  Date since_;
  std::string account_;
  std::size_t left_out_;
  Measures measures_;
  std::vector<Measures> trend_;
  bool trend_from_history_;
  Document doc_;
};

}  // namespace

std::string render_report(const Repository& repo, const ReportOptions& options,
                          ReportFormat format) {
  ReportBuilder builder(repo, options);
  Document doc = options.account.empty() ? builder.organisation_report() : builder.customer_pack();
  return format == ReportFormat::Html ? render_html(doc) : render_markdown(doc);
}

}  // namespace brm

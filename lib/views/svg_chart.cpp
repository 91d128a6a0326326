// A trend is read by its shape and by where it ends against the target, so the chart
// shows the line, the target, and one number: the latest.
#include "svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "brm/markup.hpp"

namespace brm::svg {

double nice_step(double max, bool integral) {
  double raw = max / 5.0;
  double power = std::pow(10.0, std::floor(std::log10(raw > 0 ? raw : 1.0)));
  double step = power;
  for (double f : {1.0, 2.0, 5.0, 10.0}) {
    step = f * power;
    if (step >= raw) break;
  }
  return integral ? std::max(1.0, std::round(step)) : step;
}

namespace {

std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string value_text(double v, bool percent) {
  return percent ? fmt::format("{:.0f}%", v) : fmt::format("{:g}", v);
}

struct Frame {
  static constexpr double width = 360, height = 168, left = 40, right = 44, top = 14, bottom = 34;
  double scale_top = 100, step = 25;
  std::size_t n = 1;
  double x(std::size_t i) const {
    double w = width - left - right;
    return n <= 1 ? left + w / 2 : left + w * static_cast<double>(i) / static_cast<double>(n - 1);
  }
  double y(double v) const { return top + (height - top - bottom) * (1.0 - v / scale_top); }
};

Frame frame_of(const LineChart& c) {
  Frame f;
  f.n = c.points.size();
  if (c.percent) return f;
  double max = c.target.value_or(0);
  for (const LinePoint& p : c.points)
    if (p.value) max = std::max(max, *p.value);
  f.step = nice_step(std::max(max, 1.0), true);
  f.scale_top = f.step * std::ceil(std::max(max, 1.0) / f.step);
  return f;
}

std::string grid(const LineChart& c, const Frame& f) {
  std::string out;
  for (double v = 0; v <= f.scale_top + f.step / 2; v += f.step) {
    out += fmt::format("<line class=\"{}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>\n",
                       v == 0 ? "base" : "grid", num(f.left), num(f.width - f.right), num(f.y(v)),
                       num(f.y(v)));
    out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                       num(f.left - 6), num(f.y(v) + 4), value_text(v, c.percent));
  }
  // Every third point is named, counting back from the last: twelve month names under a
  // third of a page run into each other.
  std::string last_year;
  for (std::size_t i = c.points.empty() ? 0 : (c.points.size() - 1) % 3; i < c.points.size();
       i += 3) {
    const LinePoint& p = c.points[i];
    double y = f.height - f.bottom + 14;
    out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       num(f.x(i)), num(y), escape_html(p.label));
    if (!p.sublabel.empty() && p.sublabel != last_year)
      out +=
          fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                      num(f.x(i)), num(y + 13), escape_html(p.sublabel));
    last_year = p.sublabel;
  }
  return out;
}

// The target's label sits at the left end of its line, clear of the latest value at the
// right end.
std::string target_line(const LineChart& c, const Frame& f) {
  if (!c.target) return "";
  double y = f.y(std::min(*c.target, f.scale_top));
  return fmt::format(
      "<line class=\"target\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>\n"
      "<text class=\"target-label\" x=\"{}\" y=\"{}\" text-anchor=\"start\">target</text>\n",
      num(f.left), num(f.width - f.right), num(y), num(y), num(f.left + 4), num(y - 4));
}

// The line in segments: a point without a value breaks it rather than being drawn as 0.
std::string series(const LineChart& c, const Frame& f) {
  std::string out, segment;
  std::size_t in_segment = 0;
  auto flush = [&] {
    if (in_segment > 1)
      out += fmt::format("<polyline class=\"line\" fill=\"none\" stroke=\"{}\" points=\"{}\"/>\n",
                         escape_html(c.colour), segment);
    segment.clear();
    in_segment = 0;
  };
  for (std::size_t i = 0; i < c.points.size(); ++i) {
    if (!c.points[i].value) {
      flush();
      continue;
    }
    segment += fmt::format("{}{},{}", segment.empty() ? "" : " ", num(f.x(i)),
                           num(f.y(*c.points[i].value)));
    ++in_segment;
  }
  flush();
  for (std::size_t i = 0; i < c.points.size(); ++i)
    if (c.points[i].value)
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\"/>\n", num(f.x(i)),
                         num(f.y(*c.points[i].value)), escape_html(c.colour));
  return out;
}

std::string last_value(const LineChart& c, const Frame& f) {
  for (std::size_t i = c.points.size(); i-- > 0;) {
    if (!c.points[i].value) continue;
    double v = *c.points[i].value;
    return fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"/>\n"
        "<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"start\">{}</text>\n",
        num(f.x(i)), num(f.y(v)), escape_html(c.colour), num(f.x(i) + 7), num(f.y(v) + 4),
        value_text(v, c.percent));
  }
  return "";
}

}  // namespace

std::string line_chart(const LineChart& c) {
  Frame f = frame_of(c);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" viewBox=\"0 0 {} {}\" "
      "role=\"img\" aria-label=\"{}\">\n",
      f.width, f.height, escape_html(c.title));
  out += grid(c, f) + target_line(c, f) + series(c, f) + last_value(c, f);
  return out + "</svg>\n";
}

}  // namespace brm::svg

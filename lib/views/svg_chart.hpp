// Small inline SVG charts for the report: each a self-contained <svg> element with its
// text escaped, sized by its viewBox so that it scales with the page and prints sharp.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace brm::svg {

// The smallest step of 1, 2 or 5 times a power of ten that splits `max` into at most
// five intervals: gridlines people can read at a glance.
double nice_step(double max, bool integral);

struct LinePoint {
  std::string label;            // under the axis ("Mar")
  std::string sublabel;         // a second line, shown where it changes (the year)
  std::optional<double> value;  // none: a gap in the line
};

struct LineChart {
  std::string title;  // what a screen reader says
  std::vector<LinePoint> points;
  std::optional<double> target;  // a dashed line across
  bool percent = false;          // values 0..100 on a fixed scale; else counts from 0
  std::string colour = "#1f4e79";
};

// A line over the points with a dot at each, the last one labelled with its value.
std::string line_chart(const LineChart& c);

}  // namespace brm::svg

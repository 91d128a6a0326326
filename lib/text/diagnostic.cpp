// Ordering and printing of findings in the three forms `brm check` offers.
#include "brm/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "brm/json.hpp"

namespace brm {

std::string_view severity_name(Severity s) noexcept {
  switch (s) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "error";
}

void sort_diagnostics(Diagnostics& ds) {
  std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column) ||
           (std::tie(a.file, a.line, a.column) == std::tie(b.file, b.line, b.column) &&
            std::tie(b.severity, a.rule, a.message) < std::tie(a.severity, b.rule, b.message));
  });
  ds.erase(std::unique(ds.begin(), ds.end(),
                       [](const Diagnostic& a, const Diagnostic& b) {
                         return a.file == b.file && a.line == b.line && a.column == b.column &&
                                a.rule == b.rule && a.message == b.message;
                       }),
           ds.end());
}

std::size_t count_severity(const Diagnostics& ds, Severity s) noexcept {
  return static_cast<std::size_t>(
      std::count_if(ds.begin(), ds.end(), [s](const Diagnostic& d) { return d.severity == s; }));
}

namespace {
// Control characters shown as escapes (\n, \x1b, \u009b). Messages quote record text
// and file names, and a finding must stay one line that cannot drive the terminal.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[++i]));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}
}  // namespace

std::string format_text(const Diagnostic& d) {
  std::string where = d.file;
  if (d.line != 0) {
    where += fmt::format(":{}", d.line);
    if (d.column != 0) where += fmt::format(":{}", d.column);
  }
  return printable(
      fmt::format("{}: {}: {} [{}]", where, severity_name(d.severity), d.message, d.rule));
}

namespace {
// GitHub workflow commands: data escapes %, CR, LF; properties also ':' and ','.
std::string github_escape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}
}  // namespace

std::string format_github(const Diagnostic& d) {
  std::string_view level = d.severity == Severity::Error     ? "error"
                           : d.severity == Severity::Warning ? "warning"
                                                             : "notice";
  std::string props = "file=" + github_escape(d.file, true);
  if (d.line != 0) props += fmt::format(",line={}", d.line);
  if (d.column != 0) props += fmt::format(",col={}", d.column);
  props += ",title=" + github_escape(d.rule, true);
  return printable(fmt::format("::{} {}::{}", level, props,
                               github_escape(fmt::format("{} [{}]", d.message, d.rule), false)));
}

std::string format_json(const Diagnostics& ds, std::size_t files_checked) {
  std::string out = fmt::format("{{\n  \"version\": {},\n  \"findings\": [", kJsonOutputVersion);
  bool first = true;
  for (const Diagnostic& d : ds) {
    out += first ? "\n    {" : ",\n    {";
    first = false;
    out += "\"file\": ";
    append_json_string(out, d.file);
    out += fmt::format(", \"line\": {}, \"column\": {}, \"severity\": \"{}\", \"rule\": ", d.line,
                       d.column, severity_name(d.severity));
    append_json_string(out, d.rule);
    out += ", \"message\": ";
    append_json_string(out, d.message);
    out += "}";
  }
  out += first ? "],\n" : "\n  ],\n";
  out +=
      fmt::format("  \"files\": {},\n  \"errors\": {},\n  \"warnings\": {},\n  \"notes\": {}\n}}\n",
                  files_checked, count_severity(ds, Severity::Error),
                  count_severity(ds, Severity::Warning), count_severity(ds, Severity::Note));
  return out;
}

namespace {
// Optimal string alignment distance: insertions, deletions, substitutions and swaps
// of two neighbours ("emial" for "email") each cost one, as typos do.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}
}  // namespace

std::string_view closest_match(std::string_view word,
                               const std::vector<std::string_view>& candidates) {
  // As ninja: close enough means at most a third of the word is wrong, and at most 3 edits.
  std::size_t best = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 3)) + 1;
  std::string_view found;
  for (std::string_view c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best) {
      best = d;
      found = c;
    }
  }
  return found;
}

}  // namespace brm

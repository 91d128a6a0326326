// brm result import's reading of a service level report: which column is which, and each
// row as a levels[] item of the agreement named, checked against the levels it holds.
#include "brm/result_import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "brm/diagnostic.hpp"
#include "brm/error.hpp"
#include "brm/record_edit.hpp"
#include "brm/service_levels.hpp"
#include "brm/strings.hpp"

namespace brm {
namespace {

constexpr std::string_view columns[] = {"service", "metric", "achieved", "note"};
constexpr std::size_t required_columns = 3;  // note is optional

// Where each column is: positions[i] for columns[i], npos when absent.
std::vector<std::size_t> header_positions(const CsvRow& header, std::vector<CsvProblem>* problems) {
  std::vector<std::size_t> at(std::size(columns), std::string::npos);
  auto add = [&](std::string message) { problems->push_back({header.line, std::move(message)}); };
  for (std::size_t c = 0; c < header.cells.size(); ++c) {
    std::string name = lower_ascii(trim_blanks(header.cells[c]));
    auto known = std::find(std::begin(columns), std::end(columns), name);
    if (known == std::end(columns))
      add(
          fmt::format("column {}: unknown column '{}': expected service, metric, achieved and "
                      "optionally note",
                      c + 1, name));
    else if (at[static_cast<std::size_t>(known - std::begin(columns))] != std::string::npos)
      add(fmt::format("column {}: '{}' appears twice", c + 1, name));
    else
      at[static_cast<std::size_t>(known - std::begin(columns))] = c;
  }
  for (std::size_t i = 0; i < required_columns; ++i)
    if (at[i] == std::string::npos)
      add(fmt::format("missing column '{}': the header must name service, metric and achieved",
                      columns[i]));
  return at;
}

// The "did you mean" of a message, empty when nothing is near.
std::string near_hint(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view near = closest_match(word, candidates);
  return near.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", near);
}

std::vector<std::string_view> strings_at(const Record& agreement, std::string_view path) {
  std::vector<std::string_view> out;
  for_each_path_value(agreement.doc, path, [&](const Value& v) {
    if (v.is_string()) out.push_back(v.as_string());
  });
  return out;
}

// Why the agreement has no level `metric` of `service`, or empty when it has.
std::string unknown_level(const Record& agreement, const std::string& service,
                          const std::string& metric) {
  std::vector<std::string_view> services = strings_at(agreement, "services[].service");
  if (service.empty()) return "column service: missing service";
  if (std::find(services.begin(), services.end(), service) == services.end())
    return fmt::format("column service: agreement '{}' has no service '{}'{}", agreement.id,
                       service, near_hint(service, services));
  if (metric.empty()) return "column metric: missing metric";
  if (agreed_level(agreement, service, metric)) return {};
  return fmt::format("column metric: agreement '{}' has no service level '{}' for service '{}'{}",
                     agreement.id, metric, service,
                     near_hint(metric, strings_at(agreement, "services[].levels[].metric")));
}

// One data row as a levels[] item; its problems name the column.
Value level_of(const CsvRow& row, const std::vector<std::size_t>& at, const Record& agreement,
               std::vector<CsvProblem>* problems) {
  auto cell = [&](std::size_t i) {
    return at[i] == std::string::npos ? std::string() : std::string(trim_blanks(row.cells[at[i]]));
  };
  std::string service = cell(0), metric = cell(1), achieved = cell(2), note = cell(3);
  if (std::string why = unknown_level(agreement, service, metric); !why.empty())
    problems->push_back({row.line, std::move(why)});
  Value item = Value::mapping();
  item.set("service", Value::string(service));
  item.set("metric", Value::string(metric));
  try {
    item.set("achieved", typed_value(field_at(KindId::Result, "levels.0.achieved"), achieved,
                                     "column achieved"));
  } catch (const Error& e) {
    problems->push_back({row.line, e.what()});
  }
  if (!note.empty()) item.set("note", Value::string(note));
  return item;
}

Value levels_of(const std::vector<CsvRow>& rows, const std::vector<std::size_t>& at,
                const Record& agreement, std::vector<CsvProblem>* problems) {
  Value levels = Value::sequence();
  std::set<std::pair<std::string, std::string>> seen;
  std::size_t width = rows.front().cells.size();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const CsvRow& row = rows[i];
    if (is_blank_row(row)) continue;  // spreadsheets leave rows of empty cells behind
    if (row.cells.size() != width) {
      problems->push_back({row.line, fmt::format("expected {} columns like the header, got {}",
                                                 width, row.cells.size())});
      continue;
    }
    Value item = level_of(row, at, agreement, problems);
    std::pair key{item.find("service")->as_string(), item.find("metric")->as_string()};
    if (!key.first.empty() && !key.second.empty() && !seen.insert(key).second)
      problems->push_back({row.line, fmt::format("column metric: {} {} appears twice in the file",
                                                 key.first, key.second)});
    levels.push_back(std::move(item));
  }
  if (levels.size() == 0)
    problems->push_back({rows.front().line, "no levels: the file has a header only"});
  return levels;
}

}  // namespace

std::vector<CsvRow> result_rows(std::string_view csv, std::vector<CsvProblem>* problems) {
  std::vector<CsvRow> rows;
  CsvError error;
  if (!parse_csv(csv, ',', &rows, &error))
    problems->push_back({error.line, error.message});
  else if (rows.empty())
    problems->push_back(
        {1, "the file is empty; the first row must be the header: service,metric,achieved[,note]"});
  return rows;
}

ResultImport import_result(const std::vector<CsvRow>& rows, const Record& agreement, Date start,
                           Date end, const std::string& source) {
  ResultImport out;
  if (rows.empty()) {
    result_rows("", &out.problems);  // the empty file's problem, said once
    return out;
  }
  std::vector<std::size_t> at = header_positions(rows.front(), &out.problems);
  if (!out.problems.empty()) return out;
  Value levels = levels_of(rows, at, agreement, &out.problems);
  out.doc = Value::mapping();
  out.doc.set("agreement", Value::string(agreement.id));
  out.doc.set("start", Value::string(start.str()));
  out.doc.set("end", Value::string(end.str()));
  if (!source.empty()) out.doc.set("source", Value::string(source));
  out.doc.set("levels", std::move(levels));
  return out;
}

}  // namespace brm

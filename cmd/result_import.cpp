// brm result import: one results/ record from a service level report exported as CSV
// (columns service, metric, achieved, then an optional note). Every bad row is reported
// as FILE:LINE naming its column, and nothing is written unless every row is good.
#include <fmt/format.h>

#include <cstdio>
#include <set>

#include "brm/csv.hpp"
#include "brm/error.hpp"
#include "brm/record_edit.hpp"
#include "brm/service_levels.hpp"
#include "brm/store.hpp"
#include "cli.hpp"
#include "import_file.hpp"
#include "record.hpp"

namespace brm::cli {
namespace {

struct ImportOptions {
  std::string file;
  std::string agreement;
  std::string start;
  std::string end;
  std::string source;
  WriteFlags write;
};

constexpr std::string_view columns[] = {"service", "metric", "achieved", "note"};
constexpr std::size_t required_columns = 3;  // note is optional

// Findings about the file, printed as they are found: FILE:LINE: error: message.
class RowErrors {
 public:
  RowErrors(std::string file, bool color) : file_(std::move(file)), color_(color) {}
  void add(std::size_t line, const std::string& message) {
    std::fprintf(stderr, "%s:%zu: %s: %s\n", file_.c_str(), line,
                 paint(color_, "1;31", "error").c_str(), message.c_str());
    ++count_;
  }
  // Throws Error(DataErrors) when any was found.
  void refuse_if_any() const {
    if (count_ > 0)
      throw Error(ExitCode::DataErrors, fmt::format("{} has {} error{}; nothing was written", file_,
                                                    count_, count_ == 1 ? "" : "s"));
  }

 private:
  std::string file_;
  bool color_;
  std::size_t count_ = 0;
};

// Where each column is: positions[i] for columns[i], npos when absent.
std::vector<std::size_t> header_positions(const CsvRow& header, RowErrors* errors) {
  std::vector<std::size_t> at(std::size(columns), std::string::npos);
  for (std::size_t c = 0; c < header.cells.size(); ++c) {
    std::string name = trimmed(header.cells[c]);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto known = std::find(std::begin(columns), std::end(columns), name);
    if (known == std::end(columns))
      errors->add(header.line, fmt::format("column {}: unknown column '{}': expected service, "
                                           "metric, achieved and optionally note",
                                           c + 1, name));
    else if (at[static_cast<std::size_t>(known - std::begin(columns))] != std::string::npos)
      errors->add(header.line, fmt::format("column {}: '{}' appears twice", c + 1, name));
    else
      at[static_cast<std::size_t>(known - std::begin(columns))] = c;
  }
  for (std::size_t i = 0; i < required_columns; ++i)
    if (at[i] == std::string::npos)
      errors->add(header.line, fmt::format("missing column '{}': the header must name service, "
                                           "metric and achieved",
                                           columns[i]));
  return at;
}

// The "did you mean" of a message, empty when nothing is near.
std::string near_hint(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view near = closest_match(word, candidates);
  return near.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", near);
}

// One data row as a levels[] item; problems go to *errors naming the column.
Value level_of(const CsvRow& row, const std::vector<std::size_t>& at, const Record& agreement,
               RowErrors* errors) {
  auto cell = [&](std::size_t i) {
    return at[i] == std::string::npos ? std::string() : trimmed(row.cells[at[i]]);
  };
  std::string service = cell(0), metric = cell(1), achieved = cell(2), note = cell(3);
  std::vector<std::string_view> services, metrics;
  for_each_path_value(agreement.doc, "services[].service", [&](const Value& v) {
    if (v.is_string()) services.push_back(v.as_string());
  });
  Value item = Value::mapping();
  if (service.empty()) {
    errors->add(row.line, "column service: missing service");
  } else if (std::find(services.begin(), services.end(), service) == services.end()) {
    errors->add(row.line, fmt::format("column service: agreement '{}' has no service '{}'{}",
                                      agreement.id, service, near_hint(service, services)));
  } else if (metric.empty()) {
    errors->add(row.line, "column metric: missing metric");
  } else if (!agreed_level(agreement, service, metric)) {
    for_each_path_value(agreement.doc, "services[].levels[].metric", [&](const Value& v) {
      if (v.is_string()) metrics.push_back(v.as_string());
    });
    errors->add(row.line, fmt::format("column metric: agreement '{}' has no service level '{}' for "
                                      "service '{}'{}",
                                      agreement.id, metric, service, near_hint(metric, metrics)));
  }
  item.set("service", Value::string(service));
  item.set("metric", Value::string(metric));
  try {
    item.set("achieved", typed_value(field_at(KindId::Result, "levels.0.achieved"), achieved,
                                     "column achieved"));
  } catch (const Error& e) {
    errors->add(row.line, e.what());
  }
  if (!note.empty()) item.set("note", Value::string(note));
  return item;
}

Value levels_of(const std::vector<CsvRow>& rows, const Record& agreement, RowErrors* errors) {
  std::vector<std::size_t> at = header_positions(rows.front(), errors);
  errors->refuse_if_any();
  Value levels = Value::sequence();
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const CsvRow& row = rows[i];
    bool blank = true;
    for (const std::string& c : row.cells) blank = blank && trimmed(c).empty();
    if (blank) continue;  // spreadsheets leave rows of empty cells behind
    if (row.cells.size() != rows.front().cells.size()) {
      errors->add(row.line, fmt::format("expected {} columns like the header, got {}",
                                        rows.front().cells.size(), row.cells.size()));
      continue;
    }
    Value item = level_of(row, at, agreement, errors);
    std::pair key{item.find("service")->as_string(), item.find("metric")->as_string()};
    if (!key.first.empty() && !key.second.empty() && !seen.insert(key).second)
      errors->add(row.line, fmt::format("column metric: {} {} appears twice in the file", key.first,
                                        key.second));
    levels.push_back(std::move(item));
  }
  if (levels.size() == 0) errors->add(rows.front().line, "no levels: the file has a header only");
  return levels;
}

void run_import(Context& ctx, const ImportOptions& o) {
  Date start = date_flag(o.start, "--start"), end = date_flag(o.end, "--end");
  if (end < start)
    throw Error(ExitCode::Usage, fmt::format("invalid value '{}' for --end: before --start {}",
                                             end.str(), start.str()));
  std::string source = trimmed(o.source);
  if (source.find_first_of("\r\n") != std::string::npos)
    throw Error(ExitCode::Usage, "invalid value for --source: expected one line of text");
  std::string text = read_import_file(ctx.start_dir() / o.file, o.file);

  RowErrors errors(o.file, ctx.color(stderr));
  std::vector<CsvRow> rows;
  std::string parse_error;
  if (!parse_csv(text, &rows, &parse_error)) {
    // parse_csv says "line N: what"; shown like every other finding, FILE:N: error: what.
    std::size_t line = 0, colon = parse_error.find(": ");
    if (parse_error.rfind("line ", 0) == 0 && colon != std::string::npos)
      line = std::stoul(parse_error.substr(5, colon - 5));
    errors.add(line, colon == std::string::npos ? parse_error : parse_error.substr(colon + 2));
  } else if (rows.empty()) {
    errors.add(1,
               "the file is empty; the first row must be the header: "
               "service,metric,achieved[,note]");
  }
  errors.refuse_if_any();

  Transaction tx(ctx.root(), write_options(o.write));
  const Record& agreement = find_record(tx.repository(), KindId::Agreement, o.agreement);
  Value levels = levels_of(rows, agreement, &errors);
  errors.refuse_if_any();

  Value doc = Value::mapping();
  doc.set("agreement", Value::string(agreement.id));
  doc.set("start", Value::string(start.str()));
  doc.set("end", Value::string(end.str()));
  if (!source.empty()) doc.set("source", Value::string(source));
  doc.set("levels", std::move(levels));
  std::string id = tx.new_id(KindId::Result, agreement.id, end);
  tx.put(KindId::Result, id, with_positions(KindId::Result, doc));
  commit_or_refuse(ctx, tx, fmt::format("result: import {}", id));
  std::printf("%s\n", id.c_str());
}

}  // namespace

void setup_result_import(CLI::App* result_cmd, Context& ctx) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = result_cmd->add_subcommand(
      "import", "Add the service levels delivered in one period from a CSV report");
  cmd->add_option("FILE", o->file, "The CSV file: service,metric,achieved[,note]")->required();
  cmd->add_option("--agreement", o->agreement, "The agreement whose levels the figures are for")
      ->required()
      ->option_text("ID");
  cmd->add_option("--start", o->start, "The first day of the period")
      ->required()
      ->option_text("DATE");
  cmd->add_option("--end", o->end, "The last day of the period")->required()->option_text("DATE");
  cmd->add_option("--source", o->source, "Where the figures come from (a report's name)")
      ->option_text("TEXT");
  add_write_flags(cmd, &o->write);
  cmd->footer(
      "The first row names the columns: service, metric, achieved and optionally note. Each\n"
      "further row is one service level of the agreement and the figure delivered in its\n"
      "unit. Every bad row is reported as FILE:LINE: error: column ...; then nothing is\n"
      "written (exit status 1). The new result's id is <end>-<agreement id>; it is printed.");
  cmd->callback([&ctx, o] { run_import(ctx, *o); });
}

}  // namespace brm::cli

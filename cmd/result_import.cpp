// brm result import: one results/ record from a service level report exported as CSV
// (columns service, metric, achieved, then an optional note; read in
// lib/result_import.cpp). Every bad row is reported as FILE:LINE naming its column, and
// nothing is written unless every row is good.
#include "brm/result_import.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "brm/error.hpp"
#include "brm/store.hpp"
#include "brm/strings.hpp"
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

void run_import(Context& ctx, const ImportOptions& o) {
  Date start = date_flag(o.start, "--start"), end = date_flag(o.end, "--end");
  if (end < start)
    throw Error(ExitCode::Usage, fmt::format("invalid value '{}' for --end: before --start {}",
                                             end.str(), start.str()));
  std::string source(trim_blanks(o.source));
  if (source.find_first_of("\r\n") != std::string::npos)
    throw Error(ExitCode::Usage, "invalid value for --source: expected one line of text");
  std::string text = read_import_file(ctx.start_dir() / o.file, o.file);
  std::vector<CsvProblem> problems;
  std::vector<CsvRow> rows = result_rows(text, &problems);
  refuse_problems(ctx, o.file, problems);

  Transaction tx(ctx.root(), write_options(o.write));
  const Record& agreement = find_record(tx.repository(), KindId::Agreement, o.agreement);
  ResultImport result = import_result(rows, agreement, start, end, source);
  refuse_problems(ctx, o.file, result.problems);
  std::string id = tx.new_id(KindId::Result, agreement.id, end);
  tx.put(KindId::Result, id, with_positions(KindId::Result, result.doc));
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

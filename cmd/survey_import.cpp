// brm survey import: one survey round from a forms tool's CSV export, its columns
// mapped by header (lib/repo/survey_import.cpp). Every bad row is reported with its CSV line,
// and nothing is written unless every row is good.
#include "brm/survey_import.hpp"

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
  std::string title;
  std::string date;
  int scale = 0;  // 0: brm.yaml's survey.scale
  SurveyColumns columns;
  std::vector<std::string> questions;  // COLUMN=ID
  WriteFlags write;
};

// --question COLUMN=ID; the last '=' splits, since question text may hold one.
std::vector<std::pair<std::string, std::string>> question_flags(const std::vector<std::string>& f) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& q : f) {
    auto eq = q.rfind('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == q.size())
      throw Error(ExitCode::Usage,
                  fmt::format("invalid value for --question: expected COLUMN=ID, got '{}'", q));
    out.emplace_back(q.substr(0, eq), q.substr(eq + 1));
  }
  return out;
}

void run_import(Context& ctx, ImportOptions o) {
  Date date = date_flag(o.date, "--date");
  std::string title(trim_blanks(o.title));
  if (title.empty() || title.find_first_of("\r\n") != std::string::npos)
    throw Error(ExitCode::Usage, "invalid value for --title: expected one line of text");
  o.columns.questions = question_flags(o.questions);
  std::string text = read_import_file(ctx.start_dir() / o.file, o.file);

  Transaction tx(ctx.root(), write_options(o.write));
  const Repository& repo = tx.repository();
  if (const Record* twin = same_survey(repo, title, date))
    throw Error(ExitCode::DataErrors,
                fmt::format("refused: {} is already the survey '{}' of {}; importing it again "
                            "would count every response twice",
                            twin->path(), twin->text("title"), date.str()));
  int scale = o.scale > 0 ? o.scale : repo.settings.survey_scale;
  SurveyImport survey = import_survey(text, o.columns, title, date, scale, repo);
  refuse_problems(ctx, o.file, survey.problems);
  std::string id = tx.new_id(KindId::Survey, title, date);
  tx.put(KindId::Survey, id, with_positions(KindId::Survey, survey.doc));
  commit_or_refuse(ctx, tx, fmt::format("survey: import {}", id));
  std::printf("%s\n", id.c_str());
}

}  // namespace

void add_survey_import(CLI::App* survey, Context& ctx) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = survey->add_subcommand("import", "Add a survey from a CSV export of a forms tool");
  cmd->add_option("FILE", o->file, "The CSV file: a header row, then one row per respondent")
      ->required();
  cmd->add_option("--title", o->title, "The survey's title")->required()->option_text("TEXT");
  cmd->add_option("--date", o->date, "The day the survey closed")->required()->option_text("DATE");
  cmd->add_option("--scale", o->scale, "Scores run 1..N (default: survey.scale in brm.yaml)")
      ->check(CLI::Range(2, 100))
      ->option_text("N");
  cmd->add_option("--customer-column", o->columns.customer,
                  "The column of the respondent: a customer's id, email or name "
                  "(default: customer)")
      ->option_text("COLUMN");
  cmd->add_option("--score-column", o->columns.score,
                  "The column of the overall score (default: score)")
      ->option_text("COLUMN");
  cmd->add_option("--comment-column", o->columns.comments,
                  "A column of free text, kept in the response's comment; repeatable "
                  "(default: comment)")
      ->allow_extra_args(false)
      ->option_text("COLUMN");
  cmd->add_option("--question", o->questions,
                  "A column of scores and the question id to keep them under; repeatable")
      ->allow_extra_args(false)
      ->option_text("COLUMN=ID");
  cmd->add_option("--ignore", o->columns.ignored, "A column to leave out; repeatable")
      ->allow_extra_args(false)
      ->option_text("COLUMN");
  add_write_flags(cmd, &o->write);
  cmd->footer(
      "Columns are named by their header text (any case). Comma, semicolon or tab separated\n"
      "(detected); a byte-order mark and CRLF line ends are fine. Every column not mapped is a\n"
      "question: its id is made from the header (\"Service levels\" -> service-levels), the\n"
      "header is kept as the question's text, and its answers are whole numbers 1..scale or\n"
      "empty. Text answers go in --comment-column columns (several are joined, each line\n"
      "headed by its column); leave out what you do not want stored with --ignore.\n"
      "Every bad row is reported as FILE:LINE: error: column 'C': ...; then nothing is\n"
      "written (exit status 1). A survey with the same title and date is refused. Prints the\n"
      "new survey's id.");
  cmd->callback([&ctx, o] { run_import(ctx, *o); });
}

}  // namespace brm::cli

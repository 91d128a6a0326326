// brm survey import: one survey round from a forms tool's CSV export (columns customer,
// score, then one per question). Every bad row is reported with its CSV line, and
// nothing is written unless every row is good.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "brm/csv.hpp"
#include "brm/error.hpp"
#include "brm/store.hpp"
#include "cli.hpp"
#include "record.hpp"

namespace fs = std::filesystem;

namespace brm::cli {
namespace {

struct ImportOptions {
  std::string file;
  std::string title;
  std::string date;
  int scale = 0;  // 0: brm.yaml's survey.scale
  WriteFlags write;
};

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The schema's pattern for question ids: ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$
bool is_question_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && !(i > 0 && (c == '-' || c == '_'))) return false;
  }
  return true;
}

// A cell as it reads in a message: quoted, line breaks shown as \n.
std::string shown(std::string_view cell) {
  std::string out = "'";
  for (char c : cell)
    out += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : std::string(1, c);
  return out + "'";
}

// A score on the scale, or a message saying what is wrong with `text`: "score 6 is
// outside the scale 1..5", "answer 'x' to 'overall' is not a whole number".
std::optional<int> score_of(const std::string& text, int scale, std::string_view noun,
                            std::string_view to, std::string* problem) {
  if (text.empty()) {
    *problem = fmt::format("missing {}{}", noun, to);
    return std::nullopt;
  }
  bool digits = text.size() <= 9 && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    *problem = fmt::format("{} {}{} is not a whole number", noun, shown(text), to);
    return std::nullopt;
  }
  int n = std::stoi(text);
  if (n < 1 || n > scale) {
    *problem = fmt::format("{} {}{} is outside the scale 1..{}", noun, n, to, scale);
    return std::nullopt;
  }
  return n;
}

std::string read_csv_file(const fs::path& path, const std::string& name) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw Error(ExitCode::Io, fmt::format("cannot read '{}': it is a folder", name));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    throw Error(ExitCode::Io, fmt::format("cannot read '{}': {}", name, std::strerror(err)));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void run_import(Context& ctx, const ImportOptions& o) {
  Date date = date_flag(o.date, "--date");
  std::string title = trim(o.title);
  if (title.empty() || title.find_first_of("\r\n") != std::string::npos)
    throw Error(ExitCode::Usage, "invalid value for --title: expected one line of text");
  std::string text = read_csv_file(ctx.start_dir() / o.file, o.file);

  bool color = ctx.color(stderr);
  std::size_t errors = 0;
  auto bad = [&](std::size_t line, const std::string& message) {
    std::fprintf(stderr, "%s:%zu: %s: %s\n", o.file.c_str(), line,
                 paint(color, "1;31", "error").c_str(), message.c_str());
    ++errors;
  };
  auto refuse = [&] {
    throw Error(ExitCode::DataErrors, fmt::format("{} has {} error{}; nothing was written", o.file,
                                                  errors, errors == 1 ? "" : "s"));
  };

  std::vector<CsvRow> rows;
  std::string parse_error;
  if (!parse_csv(text, &rows, &parse_error)) {
    // parse_csv says "line N: what"; shown like every other finding, FILE:N: error: what.
    std::size_t line = 0, colon = parse_error.find(": ");
    if (parse_error.rfind("line ", 0) == 0 && colon != std::string::npos)
      line = std::stoul(parse_error.substr(5, colon - 5));
    bad(line, colon == std::string::npos ? parse_error : parse_error.substr(colon + 2));
    refuse();
  }
  if (rows.empty()) {
    bad(1, "the file is empty; the first row must be the header: customer,score[,question...]");
    refuse();
  }

  Transaction tx(ctx.root(), write_options(o.write));
  const Repository& repo = tx.repository();
  int scale = o.scale > 0 ? o.scale : repo.settings.survey_scale;

  const CsvRow& header = rows.front();
  std::vector<std::string> questions;
  if (header.cells.size() < 2 || lower(trim(header.cells[0])) != "customer" ||
      lower(trim(header.cells[1])) != "score") {
    bad(header.line, "the header must start with the columns customer,score (then question ids)");
  } else {
    std::set<std::string> seen;
    for (std::size_t c = 2; c < header.cells.size(); ++c) {
      std::string q = trim(header.cells[c]);
      if (!is_question_id(q))
        bad(header.line, fmt::format("column {}: {} is not a question id: use letters, digits, "
                                     "'-' and '_' (at most 64)",
                                     c + 1, shown(q)));
      else if (!seen.insert(q).second)
        bad(header.line, fmt::format("column {}: question '{}' appears twice", c + 1, q));
      questions.push_back(q);
    }
  }
  if (errors > 0) refuse();

  std::vector<std::string_view> customer_ids;
  for (const Record& r : repo.of(KindId::Customer)) customer_ids.push_back(r.id);

  Value responses = Value::sequence();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const CsvRow& row = rows[i];
    bool blank = true;
    for (const std::string& c : row.cells) blank = blank && trim(c).empty();
    if (blank) continue;  // spreadsheets leave rows of empty cells behind
    if (row.cells.size() != header.cells.size()) {
      bad(row.line, fmt::format("expected {} columns like the header, got {}", header.cells.size(),
                                row.cells.size()));
      continue;
    }
    Value response = Value::mapping();
    std::string customer = trim(row.cells[0]);
    if (customer.empty()) {
      bad(row.line, "missing customer id");
    } else if (!repo.find(KindId::Customer, customer)) {
      std::string_view near = closest_match(customer, customer_ids);
      bad(row.line, fmt::format("unknown customer {}{}", shown(customer),
                                near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
    }
    response.set("customer", Value::string(customer));
    std::string problem;
    if (auto score = score_of(trim(row.cells[1]), scale, "score", "", &problem))
      response.set("score", Value::integer(*score));
    else
      bad(row.line, problem);
    Value answers = Value::mapping();
    for (std::size_t q = 0; q < questions.size(); ++q) {
      std::string cell = trim(row.cells[q + 2]);
      if (cell.empty()) continue;  // not answered
      if (auto answer =
              score_of(cell, scale, "answer", fmt::format(" to '{}'", questions[q]), &problem))
        answers.set(questions[q], Value::integer(*answer));
      else
        bad(row.line, problem);
    }
    if (answers.size() > 0) response.set("answers", std::move(answers));
    responses.push_back(std::move(response));
  }
  if (errors == 0 && responses.size() == 0)
    bad(header.line, "no responses: the file has a header row only");
  if (errors > 0) refuse();

  // The scale is written even when it is brm.yaml's: a survey keeps the scale it was
  // answered on if the default changes later.
  Value doc = Value::mapping();
  doc.set("title", Value::string(title));
  doc.set("date", Value::string(date.str()));
  doc.set("scale", Value::integer(scale));
  if (!questions.empty()) {
    Value qs = Value::sequence();
    for (const std::string& q : questions) {
      Value item = Value::mapping();
      item.set("id", Value::string(q));
      item.set("text", Value::string(q));
      qs.push_back(std::move(item));
    }
    doc.set("questions", std::move(qs));
  }
  doc.set("responses", std::move(responses));

  std::string id = tx.new_id(KindId::Survey, title, date);
  tx.put(KindId::Survey, id, with_positions(KindId::Survey, doc));
  commit_or_refuse(ctx, tx, fmt::format("survey: import {}", id));
  std::printf("%s\n", id.c_str());
}

}  // namespace

void add_survey_import(CLI::App* survey, Context& ctx) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = survey->add_subcommand("import", "Add a survey from a CSV export of a forms tool");
  cmd->add_option("FILE", o->file, "The CSV file: customer,score then one column per question")
      ->required();
  cmd->add_option("--title", o->title, "The survey's title")->required()->option_text("TEXT");
  cmd->add_option("--date", o->date, "The day the survey closed")->required()->option_text("DATE");
  cmd->add_option("--scale", o->scale, "Scores run 1..N (default: survey.scale in brm.yaml)")
      ->check(CLI::Range(2, 100))
      ->option_text("N");
  add_write_flags(cmd, &o->write);
  cmd->footer(
      "The first row names the columns: customer,score, then question ids. Each further row is\n"
      "one response: a customer or purchaser id, the overall score, and the answers (empty:\n"
      "not answered). Every bad row is reported as FILE:LINE: error: ...; then nothing is\n"
      "written (exit status 1). Prints the new survey's id.");
  cmd->callback([&ctx, o] { run_import(ctx, *o); });
}

}  // namespace brm::cli

// brm survey import's core: a forms tool's CSV export mapped onto FORMAT.md's survey.
// Nothing is decided by position: every column is found by its header, so that exports
// with extra columns (Timestamp, Email) and question text as headers import as they are.
#include "brm/survey_import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "brm/csv.hpp"
#include "brm/store.hpp"
#include "brm/strings.hpp"

namespace brm {
namespace {

// A free-text answer as the comment keeps it: a line break typed in a CRLF export's cell
// is a line break, not a carriage return left in the record.
std::string answer_text(std::string_view cell) {
  std::string out(trim_blanks(cell));
  for (std::size_t at = out.find("\r\n"); at != std::string::npos; at = out.find("\r\n", at))
    out.erase(at, 1);
  return out;
}

bool same_text(std::string_view a, std::string_view b) {
  return lower_ascii(trim_blanks(a)) == lower_ascii(trim_blanks(b));
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

bool is_whole_number(std::string_view s) {
  return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
}

enum class Role { Customer, Score, Comment, Question, Ignored };

struct ColumnPlan {
  Role role = Role::Question;
  std::string header;       // as written, trimmed
  std::string question_id;  // Role::Question
};

// What the rows are read against: the header's columns and their roles.
class Importer {
 public:
  Importer(const SurveyColumns& columns, int scale, const Repository& repo,
           std::vector<SurveyImportProblem>* problems)
      : columns_(columns), scale_(scale), repo_(repo), problems_(problems) {}

  bool plan(const CsvRow& header);
  void refuse_text_columns(const std::vector<CsvRow>& rows);
  std::optional<Value> response(const CsvRow& row);
  Value questions() const;

 private:
  void bad(std::size_t line, std::string message) {
    problems_->push_back({line, std::move(message)});
  }
  std::optional<std::size_t> find_column(std::string_view name, std::string_view flag,
                                         bool required);
  std::string question_id_for(const std::string& header);
  std::optional<std::string> respondent(const std::string& cell, std::size_t line);
  std::optional<int> score_in(const std::string& cell, std::size_t line, const ColumnPlan& column);

  const SurveyColumns& columns_;
  int scale_;
  const Repository& repo_;
  std::vector<SurveyImportProblem>* problems_;
  std::vector<ColumnPlan> plan_;
  std::size_t header_line_ = 1;
};

// The column named `name` (its header, trimmed, case-insensitive), or a problem naming
// the flag that asked for it and the nearest header.
std::optional<std::size_t> Importer::find_column(std::string_view name, std::string_view flag,
                                                 bool required) {
  for (std::size_t c = 0; c < plan_.size(); ++c)
    if (same_text(plan_[c].header, name)) return c;
  if (!required) return std::nullopt;
  std::vector<std::string_view> headers;
  for (const ColumnPlan& p : plan_) headers.push_back(p.header);
  std::string_view near = closest_match(name, headers);
  std::string all;
  for (std::string_view h : headers) {
    if (!all.empty()) all += ", ";
    all += shown(h);
  }
  bad(header_line_,
      fmt::format("no column {} in the header{}; name it with {} (the columns: {})", shown(name),
                  near.empty() ? "" : fmt::format(" (did you mean {}?)", shown(near)), flag, all));
  return std::nullopt;
}

// A question's id from its header: the header itself when it is a lowercase id already
// ("overall"), else its slug ("Service levels" -> service-levels), made unique.
std::string Importer::question_id_for(const std::string& header) {
  bool as_is = is_question_id(header) && lower_ascii(header) == header;
  std::string base = as_is ? header : slugify(header).substr(0, 60);
  std::string id = base;
  for (int n = 2; std::any_of(plan_.begin(), plan_.end(),
                              [&](const ColumnPlan& p) { return p.question_id == id; });
       ++n)
    id = fmt::format("{}-{}", base, n);
  return id;
}

bool Importer::plan(const CsvRow& header) {
  header_line_ = header.line;
  for (const std::string& cell : header.cells)
    plan_.push_back({Role::Question, std::string(trim_blanks(cell)), ""});
  std::size_t before = problems_->size();
  auto assign = [&](std::string_view name, std::string_view flag, Role role, bool required) {
    auto c = find_column(name, flag, required);
    if (c) plan_[*c].role = role;
    return c;
  };
  assign(columns_.customer, "--customer-column", Role::Customer, true);
  assign(columns_.score, "--score-column", Role::Score, true);
  for (const std::string& name : columns_.comments)
    assign(name, "--comment-column", Role::Comment, true);
  if (columns_.comments.empty()) assign("comment", "", Role::Comment, false);
  for (const std::string& name : columns_.ignored) assign(name, "--ignore", Role::Ignored, true);
  for (const auto& [name, id] : columns_.questions) {
    if (!is_question_id(id))
      bad(header_line_, fmt::format("--question {}={}: {} is not a question id: use letters, "
                                    "digits, '-' and '_' (at most 64)",
                                    name, id, shown(id)));
    else if (auto c = assign(name, "--question", Role::Question, true))
      plan_[*c].question_id = id;
  }
  for (ColumnPlan& p : plan_) {
    if (p.role != Role::Question || !p.question_id.empty()) continue;
    if (p.header.empty()) {
      p.role = Role::Ignored;  // a trailing separator, as spreadsheets leave
      continue;
    }
    p.question_id = question_id_for(p.header);
  }
  return problems_->size() == before;
}

// A question column with no number in it holds text (a timestamp, a name, comments):
// said once for the column, with the two ways to import it, rather than once per row.
void Importer::refuse_text_columns(const std::vector<CsvRow>& rows) {
  for (std::size_t c = 0; c < plan_.size(); ++c) {
    if (plan_[c].role != Role::Question) continue;
    bool any_number = false, any_text = false;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      if (c >= rows[r].cells.size()) continue;
      std::string cell(trim_blanks(rows[r].cells[c]));
      (is_whole_number(cell) ? any_number : any_text) |= !cell.empty();
    }
    if (any_text && !any_number)
      bad(header_line_,
          fmt::format("column {} holds text, not scores 1..{}: keep it with --comment-column {} "
                      "or leave it out with --ignore {}",
                      shown(plan_[c].header), scale_, shown(plan_[c].header),
                      shown(plan_[c].header)));
  }
}

// The customer who answered: a customer's (or purchaser's) id, email or name.
std::optional<std::string> Importer::respondent(const std::string& cell, std::size_t line) {
  const ColumnPlan& column = *std::find_if(
      plan_.begin(), plan_.end(), [](const ColumnPlan& p) { return p.role == Role::Customer; });
  if (cell.empty()) {
    bad(line, fmt::format("column {}: missing customer", shown(column.header)));
    return std::nullopt;
  }
  std::vector<std::string_view> known;  // ids, names and emails, for "did you mean"
  for (const Record& r : repo_.of(KindId::Customer)) {
    if (r.id == cell || same_text(r.text("email"), cell) || same_text(r.text("name"), cell))
      return r.id;
    for (std::string_view k : {std::string_view(r.id), r.text("name"), r.text("email")})
      if (!k.empty()) known.push_back(k);
  }
  std::string_view near = closest_match(cell, known);
  bad(line,
      fmt::format("column {}: no customer {} (an id, email or name){}", shown(column.header),
                  shown(cell), near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
  return std::nullopt;
}

std::optional<int> Importer::score_in(const std::string& cell, std::size_t line,
                                      const ColumnPlan& column) {
  std::string where = fmt::format("column {}", shown(column.header));
  if (!is_whole_number(cell)) {
    bad(line, cell.empty()
                  ? fmt::format("{}: missing score", where)
                  : fmt::format("{}: {} is not a whole number 1..{}", where, shown(cell), scale_));
    return std::nullopt;
  }
  int n = std::stoi(cell);
  if (n < 1 || n > scale_) {
    bad(line, fmt::format("{}: {} is outside the scale 1..{}", where, n, scale_));
    return std::nullopt;
  }
  return n;
}

std::optional<Value> Importer::response(const CsvRow& row) {
  if (row.cells.size() != plan_.size()) {
    bad(row.line,
        fmt::format("expected {} columns like the header, got {}", plan_.size(), row.cells.size()));
    return std::nullopt;
  }
  std::size_t before = problems_->size();
  Value response = Value::mapping(), answers = Value::mapping();
  std::vector<std::pair<std::string, std::string>> comments;
  for (std::size_t c = 0; c < plan_.size(); ++c) {
    const ColumnPlan& column = plan_[c];
    std::string cell(trim_blanks(row.cells[c]));
    if (column.role == Role::Customer) {
      if (auto id = respondent(cell, row.line)) response.set("customer", Value::string(*id));
    } else if (column.role == Role::Score) {
      if (auto n = score_in(cell, row.line, column)) response.set("score", Value::integer(*n));
    } else if (column.role == Role::Question && !cell.empty()) {
      if (auto n = score_in(cell, row.line, column))
        answers.set(column.question_id, Value::integer(*n));
    } else if (column.role == Role::Comment && !cell.empty()) {
      comments.emplace_back(column.header, row.cells[c]);
    }
  }
  if (answers.size() > 0) response.set("answers", std::move(answers));
  std::string comment;
  // With several comment columns each line says which question it answers, also when
  // only one of them was answered.
  bool headed = std::count_if(plan_.begin(), plan_.end(),
                              [](const ColumnPlan& p) { return p.role == Role::Comment; }) > 1;
  for (const auto& [header, text] : comments) {
    if (!comment.empty()) comment += '\n';
    if (headed) comment += header + ": ";
    comment += answer_text(text);
  }
  if (!comment.empty()) response.set("comment", Value::string(comment));
  if (problems_->size() != before) return std::nullopt;
  return response;
}

Value Importer::questions() const {
  Value qs = Value::sequence();
  for (const ColumnPlan& p : plan_) {
    if (p.role != Role::Question) continue;
    Value item = Value::mapping();
    item.set("id", Value::string(p.question_id));
    item.set("text", Value::string(p.header));
    qs.push_back(std::move(item));
  }
  return qs;
}

}  // namespace

SurveyImport import_survey(std::string_view csv, const SurveyColumns& columns,
                           const std::string& title, Date date, int scale, const Repository& repo) {
  SurveyImport out;
  std::vector<CsvRow> rows;
  CsvError error;
  out.delimiter = detect_csv_delimiter(csv);
  if (!parse_csv(csv, out.delimiter, &rows, &error)) {
    out.problems.push_back({error.line, error.message});
    return out;
  }
  if (rows.empty()) {
    out.problems.push_back({1, "the file is empty; the first row must be the header"});
    return out;
  }
  Importer importer(columns, scale, repo, &out.problems);
  if (!importer.plan(rows.front())) return out;
  importer.refuse_text_columns(rows);
  if (!out.problems.empty()) return out;
  Value responses = Value::sequence();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (is_blank_row(rows[i])) continue;  // spreadsheets leave rows of empty cells behind
    if (auto response = importer.response(rows[i])) responses.push_back(std::move(*response));
  }
  if (out.problems.empty() && responses.size() == 0)
    out.problems.push_back({rows.front().line, "no responses: the file has a header row only"});
  // The scale is written even when it is brm.yaml's: a survey keeps the scale it was
  // answered on if the default changes later.
  out.doc = Value::mapping();
  out.doc.set("title", Value::string(title));
  out.doc.set("date", Value::string(date.str()));
  out.doc.set("scale", Value::integer(scale));
  if (Value qs = importer.questions(); qs.size() > 0) out.doc.set("questions", std::move(qs));
  out.doc.set("responses", std::move(responses));
  return out;
}

const Record* same_survey(const Repository& repo, std::string_view title, Date date) {
  for (const Record& r : repo.of(KindId::Survey)) {
    auto d = r.date("date");
    if (d && *d == date && same_text(r.text("title"), title)) return &r;
  }
  return nullptr;
}

}  // namespace brm

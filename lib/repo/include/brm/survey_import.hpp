// A survey from a forms tool's CSV export (`brm survey import`): which column holds the
// respondent, the overall score, comments and answers, each row checked, every problem a
// value with the CSV line it is on and the column it is about.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "brm/csv.hpp"
#include "brm/date.hpp"
#include "brm/repository.hpp"
#include "brm/value.hpp"

namespace brm {

// Columns are named by their header text (trimmed, case-insensitive).
struct SurveyColumns {
  std::string customer = "customer";  // --customer-column
  std::string score = "score";        // --score-column
  std::vector<std::string> comments;  // --comment-column; none: a column "comment"
  std::vector<std::pair<std::string, std::string>> questions;  // --question COLUMN=ID
  std::vector<std::string> ignored;                            // --ignore
};

using SurveyImportProblem = CsvProblem;

struct SurveyImport {
  Value doc;  // the survey: title, date, scale, questions, responses
  std::vector<SurveyImportProblem> problems;
  char delimiter = ',';
};

// Builds the survey from the CSV text. The delimiter (comma, semicolon or tab) is
// detected from the header, a BOM is skipped, CRLF accepted. A respondent's cell is a
// customer's id, email or name. Columns not mapped otherwise are questions (their ids
// made from the header, the header kept as the question's text); their answers are
// whole numbers 1..scale or empty. Text answers belong in comment columns: several
// comment columns are joined, each line headed by its question.
SurveyImport import_survey(std::string_view csv, const SurveyColumns& columns,
                           const std::string& title, Date date, int scale, const Repository& repo);

// The survey in `repo` with this title (compared trimmed and case-insensitively) and
// date, or nullptr: importing the same export twice would count every response twice.
const Record* same_survey(const Repository& repo, std::string_view title, Date date);

}  // namespace brm

// A result from a service level report exported as CSV (`brm result import`): columns
// service, metric, achieved and an optional note, each row checked against the agreement's
// levels, every problem a value with the CSV line it is on and the column it is about.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "brm/csv.hpp"
#include "brm/date.hpp"
#include "brm/repository.hpp"
#include "brm/value.hpp"

namespace brm {

// The file's rows, header first; or a problem when it does not parse or is empty. Read
// before the repository is, so that a broken file is reported before anything else.
std::vector<CsvRow> result_rows(std::string_view csv, std::vector<CsvProblem>* problems);

struct ResultImport {
  Value doc;  // the result: agreement, start, end, source (when given), levels
  std::vector<CsvProblem> problems;
};

// Builds the result of `agreement` for the period from the rows of result_rows(). A
// header problem (an unknown, doubled or missing column) stops before the rows are read.
ResultImport import_result(const std::vector<CsvRow>& rows, const Record& agreement, Date start,
                           Date end, const std::string& source);

}  // namespace brm

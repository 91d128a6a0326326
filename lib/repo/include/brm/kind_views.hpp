// How `brm KIND list` and `show` present each kind, apart from the kinds' table
// (kinds.hpp) because these read the repository model: a list's columns and filters,
// and how a kind's records show among the records that refer to another.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "brm/date.hpp"
#include "brm/kinds.hpp"

namespace brm {

struct Record;
class Repository;

// Whether a record is in a list's selection (`--open`, `--late`, ...), with the
// repository for what the record refers to and its settings.
using RecordTest = bool (*)(const Repository& repo, const Record& record, Date today);

// A column of `brm KIND list`: a field, or a figure computed from the record.
struct Column {
  using Compute = std::string (*)(const Repository& repo, const Record& record, Date today);
  std::string_view header;
  std::string_view path = {};  // dotted path of the field shown; "id" for the id
  Compute compute = nullptr;
};

// A flag of `brm KIND list` beyond the ones the schema gives (an enum field is
// `--field VALUE`, a reference to a customer `--customer ID`): `--open`, `--late`.
struct ListFilter {
  std::string_view flag;  // without dashes
  std::string_view help;
  RecordTest keep;
};

// How the records of a kind show among the records that refer to another (`show`).
struct ReferrerView {
  std::string_view heading;   // "purchasers", "open complaints", "last meetings"
  RecordTest only = nullptr;  // only the ones this accepts (open complaints)
  std::size_t newest = 0;     // only the newest N by main date; 0: all
};

struct KindView {
  std::span<const Column> columns;  // id and label first
  std::span<const ListFilter> filters;
  ReferrerView referrer;
};

const KindView& view_of(KindId id);

}  // namespace brm

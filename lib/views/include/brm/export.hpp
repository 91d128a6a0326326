// brm export: every record as plain data for scripts and BI tools, one file per kind
// (a JSON array, or CSV with nested fields flattened to dotted columns).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "brm/repository.hpp"
#include "brm/value.hpp"

namespace brm {

enum class ExportFormat { Json, Csv };

// One output file: "customers.json" and its content.
struct ExportFile {
  std::string name;
  std::string content;
};

// A record as an object: "id" first, then its fields in file order. A stray top-level
// `id` field (an error `brm check` reports) is left out so that the key stays unique.
Value export_record(const Record& r);

// A value's leaves as (dotted path, cell text): `budget.amount`, `services.0.service`,
// `attendees.1`. Null is an empty cell; empty lists and mappings have no leaves.
std::vector<std::pair<std::string, std::string>> flatten(const Value& doc);

// One file per kind, every kind (an empty kind gives `[]`, or a header-only CSV, so that
// scripts can rely on the files being there), in the kinds table's order.
std::vector<ExportFile> export_files(const Repository& repo, ExportFormat format);

// `{"customers": [...], "agreements": [...], ...}` with every kind, for standard output.
std::string export_json(const Repository& repo);

}  // namespace brm

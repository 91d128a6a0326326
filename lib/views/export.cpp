// Export: records leave brm as data. CSV cells go through csv_cell so that text from a
// record can never run as a spreadsheet formula on the reader's machine.
#include "brm/export.hpp"

#include <unordered_map>

#include "brm/csv.hpp"
#include "brm/json.hpp"

namespace brm {
namespace {

void flatten_into(const Value& v, std::string& path,
                  std::vector<std::pair<std::string, std::string>>* out) {
  auto descend = [&](std::string_view key, const Value& child) {
    std::size_t size = path.size();
    if (!path.empty()) path += '.';
    path += key;
    flatten_into(child, path, out);
    path.resize(size);
  };
  if (v.is_mapping()) {
    for (const auto& e : v.entries()) descend(e.key, e.value);
  } else if (v.is_sequence()) {
    for (std::size_t i = 0; i < v.items().size(); ++i) descend(std::to_string(i), v.items()[i]);
  } else {
    out->emplace_back(path, v.is_null() ? std::string() : v.to_display());
  }
}

std::string kind_csv(const std::vector<Record>& records) {
  // Columns are the union of every record's paths in first-seen order, so that the
  // common fields come first, in file order, and rarer ones follow.
  std::vector<std::string> header = {"id"};
  std::unordered_map<std::string, std::size_t> column;
  column.emplace("id", 0);
  std::vector<std::vector<std::pair<std::string, std::string>>> rows;
  rows.reserve(records.size());
  for (const Record& r : records) {
    rows.push_back(flatten(export_record(r)));
    for (const auto& [path, cell] : rows.back())
      if (column.emplace(path, header.size()).second) header.push_back(path);
  }
  std::string out = csv_line(header);
  for (const auto& row : rows) {
    std::vector<std::string> cells(header.size());
    for (const auto& [path, cell] : row) cells[column.at(path)] = cell;
    out += csv_line(cells);
  }
  return out;
}

Value kind_array(const std::vector<Record>& records) {
  Value list = Value::sequence();
  for (const Record& r : records) list.push_back(export_record(r));
  return list;
}

}  // namespace

Value export_record(const Record& r) {
  Value out = Value::mapping();
  out.entries().push_back({"id", {}, Value::string(r.id)});
  if (r.doc.is_mapping())
    for (const auto& e : r.doc.entries())
      if (e.key != "id") out.entries().push_back(e);
  return out;
}

std::vector<std::pair<std::string, std::string>> flatten(const Value& doc) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string path;
  flatten_into(doc, path, &out);
  return out;
}

std::vector<ExportFile> export_files(const Repository& repo, ExportFormat format) {
  std::vector<ExportFile> files;
  for (const Kind& k : kinds()) {
    const auto& records = repo.of(k.id);
    if (format == ExportFormat::Json)
      files.push_back({std::string(k.folder) + ".json", to_json(kind_array(records), 2) + "\n"});
    else
      files.push_back({std::string(k.folder) + ".csv", kind_csv(records)});
  }
  return files;
}

std::string export_json(const Repository& repo) {
  Value all = versioned(Value::mapping());
  for (const Kind& k : kinds()) all.set(std::string(k.folder), kind_array(repo.of(k.id)));
  return to_json(all, 2) + "\n";
}

}  // namespace brm

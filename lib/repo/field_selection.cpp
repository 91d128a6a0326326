// Records limited to the fields a reader uses: brm measure keeps a few fields of four kinds
// and so holds a fraction of the records' memory.
#include <algorithm>

#include "brm/kind_views.hpp"
#include "brm/kinds.hpp"
#include "brm/repository.hpp"

namespace brm {

void keep_fields(Record* record, const FieldSelection& fields) {
  const auto& keep = fields[static_cast<std::size_t>(record->kind)];
  if (std::find(keep.begin(), keep.end(), every_field) != keep.end()) return;
  std::erase_if(record->doc.entries(), [&](const Value::Entry& e) {
    return std::find(keep.begin(), keep.end(), e.key) == keep.end();
  });
}

namespace {

// What the views' tests and cells read of a record looked up or listed as a referrer
// (record_status.cpp, Repository::account_of and referrers_through): small scalars.
constexpr std::string_view looked_up[] = {"status", "role",  "customer",    "agreement",
                                          "review", "ended", "planned_end", "forecast_end"};

// The top-level field of a path: "responses[].customer" -> "responses".
std::string_view top_field(std::string_view path) {
  return path.substr(0, path.find_first_of(".["));
}

}  // namespace

FieldSelection shown_fields(KindId kind) {
  FieldSelection out;
  for (const Kind& k : kinds()) {
    auto& keep = out[static_cast<std::size_t>(k.id)];
    if (k.id == kind) {
      keep = {every_field};
      continue;
    }
    keep.assign(std::begin(looked_up), std::end(looked_up));
    for (const Reference& ref : k.references)  // "responses[].customer": responses
      if (ref.target == kind) keep.push_back(top_field(ref.path));
    for (std::string_view f : {k.label_field, k.date_field, k.main_date})
      if (!f.empty()) keep.push_back(f);
  }
  // A result's levels are read against its agreement's (service_levels.cpp).
  if (kind == KindId::Result)
    out[static_cast<std::size_t>(KindId::Agreement)].push_back("services");
  return out;
}

FieldSelection table_fields(KindId kind, std::span<const std::string_view> also) {
  FieldSelection out = shown_fields(kind);
  const Kind& k = kind_of(kind);
  std::span<const Column> columns = view_of(kind).columns;
  // A computed column reads what it reads: the records stay whole.
  if (std::any_of(columns.begin(), columns.end(), [](const Column& c) { return c.compute; }))
    return out;
  auto& keep = out[static_cast<std::size_t>(kind)];
  keep.assign(std::begin(looked_up), std::end(looked_up));
  keep.insert(keep.end(), also.begin(), also.end());
  for (const Column& c : columns)
    if (c.path != "id") keep.push_back(top_field(c.path));
  for (const Reference& ref : k.references) keep.push_back(top_field(ref.path));
  for (std::string_view f : {k.label_field, k.date_field, k.main_date})
    if (!f.empty()) keep.push_back(f);
  return out;
}

namespace {

bool refers_to(const Kind& k, KindId target, std::string_view path = {}) {
  return std::any_of(k.references.begin(), k.references.end(), [&](const Reference& ref) {
    return ref.target == target && (path.empty() || ref.path == path);
  });
}

}  // namespace

RecordSubset shown_records(KindId kind, std::string_view id) {
  // Repository::referrers and referrers_through, read backwards.
  RecordSubset out;
  out.id = std::string(id);
  for (const Kind& k : kinds()) {
    auto i = static_cast<std::size_t>(k.id);
    out.mentioning[i] = k.id == kind || refers_to(k, kind);
    if (const auto& through = k.through;
        through && refers_to(kind_of(through->via), kind, through->path))
      out.via[i] = through->via;
  }
  return out;
}

RecordSubset listed_records(KindId kind, bool by_customer) {
  RecordSubset out;
  out.every[static_cast<std::size_t>(kind)] = true;
  // `--customer`: Repository::account_of, and the customer's own id must exist.
  if (by_customer) out.every[static_cast<std::size_t>(KindId::Customer)] = true;
  // A result's levels are read against its agreement's (the breached column and test).
  if (kind == KindId::Result) out.every[static_cast<std::size_t>(KindId::Agreement)] = true;
  return out;
}

}  // namespace brm

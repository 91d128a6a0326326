// The record kinds as data: a kind is its folder, its schema, the fields that name and
// date it, the fields that refer to other records and the dates that must come in order.
// How `brm KIND list` and `show` present it is in kind_views.hpp. Adding a kind is an
// enumerator here, a row in kinds.cpp and in kind_views.cpp and a schema file; the build
// fails when a row is missing, and kinds_test checks each row against its schema.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace brm {

enum class KindId : std::uint8_t {
  Customer,
  Agreement,
  Complaint,
  Meeting,
  Survey,
  Service,
  Requirement,
  Plan,
  Project,
  Result,
  End  // not a kind: one past the last, so that the count follows this list
};
inline constexpr std::size_t kind_count = static_cast<std::size_t>(KindId::End);

// A field that holds the id of another record. `path` is a field name, a dotted path
// ("escalation.date"), "list[]" for each item of a list of ids, or "list[].field" for a
// field of each item of a list of objects.
struct Reference {
  std::string_view path;
  KindId target;
  bool needs_role_customer = false;  // the target must have `role: customer`
  // Only checked when the target kind has records at all (services: free text until a
  // catalogue exists, as FORMAT.md says).
  bool only_with_catalogue = false;
};

// Two dates of one record that must not go backwards: `later` >= `earlier` when both are
// there (paths as in Reference).
struct DateOrder {
  std::string_view earlier;
  std::string_view later;
};

// A value `brm KIND add` writes unless given (FORMAT.md's defaults for required fields).
struct FieldDefault {
  std::string_view field;
  std::string_view value;
};

// Records of this kind listed under the record they belong to through another one: a
// result under its agreement's customer (through agreement, then its `customer`).
struct Through {
  KindId via;
  std::string_view path;  // the field of the `via` record that refers on
};

struct Kind {
  KindId id;
  std::string_view name;         // "customer": the command word and commit prefix
  std::string_view folder;       // "customers"
  std::string_view schema;       // "schema/customer.schema.yaml", embedded
  std::string_view label_field;  // the field that names a record: name, title, summary
  std::string_view date_field;   // dated kinds' ids start with this date; empty otherwise
  // The date that places a record in time: `list --since`, newest first in `show`, and
  // today by default on `add` when the schema requires it. Empty: none.
  std::string_view main_date;
  std::span<const Reference> references;
  std::span<const DateOrder> date_order;
  std::span<const std::string_view> future_dates;  // more than a year ahead: a typo?
  std::span<const FieldDefault> add_defaults;
  // Records of this kind that also belong one step further along (a result to its
  // agreement's customer): Repository::referrers_through.
  std::optional<Through> through = {};

  std::string_view schema_path() const { return schema; }
};

const std::array<Kind, kind_count>& kinds();
const Kind& kind_of(KindId id);
// By name ("customer") or folder ("customers").
const Kind* find_kind(std::string_view name_or_folder);

// `[a-z0-9][a-z0-9-]{0,63}`
bool is_valid_id(std::string_view id);

// A record's file, relative to the root: "customers/anna-berg.yaml". The id is taken as
// it is; check it with is_valid_id before writing there.
std::string record_path(KindId kind, std::string_view id);

// The other way: the kind of a record file's path, and its id in *id when asked for.
// nullptr for anything that is no record file: brm.yaml, schema/..., a kind's folder
// itself, a file in a folder below it, a name not ending in ".yaml".
const Kind* kind_of_record_path(std::string_view path, std::string_view* id = nullptr);

}  // namespace brm

// The seven record kinds as data: a kind is its folder, its schema and the fields
// that refer to other records. Adding a kind means a row here and a schema file.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brm {

enum class KindId : std::uint8_t { Customer, Agreement, Complaint, Meeting, Survey, Service, Requirement };
inline constexpr std::size_t kind_count = 7;

// A field that holds the id of another record. `path` is a field name, or
// "list[].field" for a field of each item of a list.
struct Reference {
  std::string_view path;
  KindId target;
  bool needs_role_customer = false;  // the target must have `role: customer`
  // Only checked when the target kind has records at all (services: free text until a
  // catalogue exists, as FORMAT.md says).
  bool only_with_catalogue = false;
};

struct Kind {
  KindId id;
  std::string_view name;        // "customer": the command word and commit prefix
  std::string_view folder;      // "customers"
  std::string_view label_field; // the field that names a record: name, title, summary
  std::string_view date_field;  // dated kinds' ids start with this date; empty otherwise
  std::vector<Reference> references;
  std::string_view schema_path() const;  // "schema/customer.schema.yaml" (embedded)
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

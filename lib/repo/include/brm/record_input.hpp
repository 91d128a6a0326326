// What a person types when adding a record at a prompt: a record to refer to by its id,
// its name or a prefix of either; a name that another record has already; the optional
// fields worth offering because a measure counts them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brm/date.hpp"
#include "brm/kinds.hpp"
#include "brm/repository.hpp"

namespace brm {

// The records a reference can point at: the target kind's, only customers with role
// customer where the reference needs that.
std::vector<const Record*> reference_targets(const Repository& repo, const Reference& ref);

// The record meant by `typed` among `among`: its id, its name (any case and accents:
// "lena oberg" finds "Lena Öberg"), or the unique record whose id or name starts so.
struct RecordMatch {
  const Record* record = nullptr;         // the one meant, when exactly one fits
  std::vector<const Record*> candidates;  // several fit and none exactly: none chosen
  std::string suggestion;                 // none fits: the closest id, for "did you mean"
};
RecordMatch match_record(const std::vector<const Record*>& among, std::string_view typed);

// What Tab offers for `typed`: the ids of the records whose id or name starts with it,
// sorted; every id when nothing is typed.
std::vector<std::string> complete_record(const std::vector<const Record*>& among,
                                         std::string_view typed);

// The records of `kind` with the name `label` (the same slug: "anna berg" is "Anna Berg");
// for dated kinds only those of the same `date`, whose ids would clash.
std::vector<const Record*> records_named(const Repository& repo, KindId kind,
                                         std::string_view label, std::optional<Date> date);

// The field a new record's id is made from: the record's name, or for kinds without one
// (meetings) the record it belongs to; empty when there is neither.
std::string_view id_source(KindId kind);

// What a new record's id is made from: the text of id_source(), and for dated kinds the
// date its id starts with.
struct IdParts {
  std::string label;
  std::optional<Date> date;
};
IdParts id_parts(KindId kind, const Value& doc);

// "a customer named 'Anna Berg' exists already: anna-berg" (or "2 customers named ...")
// when records_named() finds the new record's name in `repo`; empty when none has it.
std::string same_name_note(const Repository& repo, KindId kind, const Value& doc);

// FORMAT.md's defaults of a new record, where `doc` has no value: `today` for the main date
// when the schema requires it, and the kind's add_defaults (a complaint's status open).
void fill_add_defaults(KindId kind, Value& doc, Date today);

// An optional field that `brm KIND add` offers at its prompts, Enter to skip, because a
// measure counts it (MEASURES.md: contacts count `it_contact`).
struct OfferedField {
  KindId kind;
  std::string_view field;
  std::string_view why;  // shown at the prompt
};
std::vector<OfferedField> offered_fields(KindId kind);

}  // namespace brm

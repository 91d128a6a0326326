// Changing a record from the command line, driven by its kind's schema: the fields a
// kind has (for flags, prompts and help), text typed by the schema at a dotted path
// (`brm KIND set`), and the compact forms of nested lists (`--level email:availability=99.5%`).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "brm/kinds.hpp"
#include "brm/schema_model.hpp"
#include "brm/value.hpp"

namespace brm {

// The field at a dotted path: keys step into objects, numbers into list items, any key
// into a free-form object. Throws Error(Usage) naming the path, with "did you mean".
const Field& field_at(KindId kind, std::string_view path);

// Text as the value the field holds: integers, numbers and booleans parsed, enum values
// checked, free-form values read as a YAML plain scalar. `subject` names what is being
// set in messages ("--budget-amount", "budget.amount"). Throws Error(Usage):
// "invalid value 'abc' for budget.amount: expected a number".
Value typed_value(const Field& field, std::string_view text, std::string_view subject);

// Sets the value at a dotted path from text typed by the schema there, creating the
// objects on the way; a list index one past the end appends. Throws Error(Usage).
// `own_schema`: the repository's schema/<kind>.schema.yaml, parsed (or null), which types
// what the built-in schema leaves open (extra.KEY). Text in YAML quotes is a string.
void set_path(KindId kind, Value& doc, std::string_view path, std::string_view text,
              const Value* own_schema = nullptr);
// Removes the key or list item at a dotted path; Error(Usage) when there is none.
void unset_path(Value& doc, std::string_view path);

// The required top-level fields that `doc` lacks, in schema order, with the ones that
// the schema's conditions add (a purchaser's `customer`, a resolved complaint's `closed`).
std::vector<std::string> missing_fields(KindId kind, const Value& doc);

// `doc` with its keys in schema order at every level; keys the schema does not know
// keep their order, after the known ones.
Value in_schema_order(KindId kind, const Value& doc);

// --- Compact forms of nested list items (COMMANDS.md) -------------------------------

// A list whose items have a written form of their own on the command line. Lists of
// objects without a row here take the generic form: their scalar fields in schema
// order, separated by ';' (meeting actions: "WHAT;OWNER;DUE").
struct CompactForm {
  KindId kind;
  std::string_view flag;    // "level": the command-line flag without dashes
  std::string_view syntax;  // "SERVICE:METRIC=TARGET[UNIT]"
  std::string_view list;    // the top-level list it adds to: "services"
  std::string_view help;
  // Parses `text` and adds the item to `doc`; Error(Usage) on bad text.
  void (*add)(Value& doc, std::string_view text);
};
const std::vector<CompactForm>& compact_forms();

// The generic form's syntax for a list item: "WHAT;OWNER;DUE[;DONE]".
std::string generic_syntax(const Field& item);
// One item in the generic form, typed by the schema; Error(Usage) naming `flag`.
Value parse_generic_item(const Field& item, std::string_view text, std::string_view flag);

struct ServiceLevel {
  std::string service;
  std::string metric;
  Value target;      // an integer or a number
  std::string unit;  // percent, hours, minutes, days or count
};
// SERVICE:METRIC=TARGET[UNIT], UNIT % h min d or none (count).
ServiceLevel parse_level(std::string_view text);
// Adds the level to the agreement's item for its service, creating the item when needed.
void add_level(Value& doc, const ServiceLevel& level);

struct SurveyResponse {
  std::string customer;
  std::int64_t score = 0;
  std::string comment;  // empty: none
};
// CUSTOMER=SCORE[;COMMENT]
SurveyResponse parse_response(std::string_view text);

struct SurveyQuestion {
  std::string id;
  std::string text;
};
// ID=TEXT
SurveyQuestion parse_question(std::string_view text);

}  // namespace brm

// The table of rule ids. Grouped as the code that emits them: the YAML reader
// (lib/text/yaml.cpp), the file listing and loader (lib/repo/repository.cpp, lib/repo/schemas.cpp),
// the schema validator (lib/schema/schema.cpp), and the rules across records (lib/repo/rules.cpp).
#include "brm/rule_catalogue.hpp"

namespace brm {
namespace {

using G = RuleGroup;
constexpr Severity E = Severity::Error;
constexpr Severity W = Severity::Warning;
constexpr Severity N = Severity::Note;

constexpr Rule catalogue[] = {
    // The YAML text of a file.
    {"complex-key", G::Yaml, E, "a key is a list or a mapping",
     "Keys are plain field names; write the key as a name."},
    {"duplicate-key", G::Yaml, E, "a key appears twice in the same mapping",
     "YAML readers silently keep one of the two; remove or rename one of them."},
    {"empty-file", G::Yaml, E, "the file is empty",
     "A record is a mapping of fields; fill the file in or remove it."},
    {"empty-key", G::Yaml, E, "a key is empty or null",
     "Give the value a field name, or remove it."},
    {"invalid-utf8", G::Yaml, E, "the file is not valid UTF-8",
     "Save the file as UTF-8 (a byte-order mark is allowed)."},
    {"multiple-documents", G::Yaml, E, "the file holds more than one YAML document",
     "One record per file: move the second document (after '---') to a file of its own."},
    {"not-text", G::Yaml, E, "the file holds a NUL byte or a control character",
     "Record files are text; remove the control characters or the binary file."},
    {"tab-indent", G::Yaml, E, "a line is indented with a tab",
     "YAML does not allow tabs for indentation; indent with spaces (brm fmt writes two)."},
    {"too-deep", G::Yaml, E, "the nesting is deeper than 64 levels",
     "No record needs this depth; flatten the data."},
    {"too-large", G::Yaml, E, "the file is over 1 MiB, or expands to more than 200,000 values",
     "Split the data over several records, and do not use aliases to repeat large parts."},
    {"unsupported-tag", G::Yaml, E, "a YAML tag other than !!str, !!int, !!float, !!bool, !!null",
     "Remove the tag; brm reads plain YAML 1.2 core values."},
    {"yaml-syntax", G::Yaml, E, "the text is not valid YAML",
     "Fix the syntax at the position given (often an unclosed quote or a bad indent)."},
    {"merge-conflict", G::Yaml, E, "the file holds git's conflict markers",
     "Finish the merge: keep the right lines between <<<<<<< and >>>>>>>, remove the markers."},
    {"number-too-big", G::Yaml, E, "an integer does not fit in 64 bits",
     "Quote it to keep it as text, or write a smaller number."},
    // Files and folders of the repository.
    {"bad-id", G::Files, E, "the file name is not a valid record id",
     "Rename the file to lowercase letters, digits and '-' (at most 64), ending in .yaml."},
    {"filtered-file", G::Files, E, "git stores the file through a filter (git-crypt, LFS)",
     "brm reads such a file only from the work tree; check it there, not with --at."},
    {"bad-schema", G::Files, E, "a schema/<kind>.schema.yaml of the repository cannot be used",
     "Fix the JSON Schema (an unresolvable $ref, a bad pattern) so that brm can compile it."},
    {"missing-settings", G::Files, E, "brm.yaml is missing from the repository",
     "brm.yaml marks the repository root; create it (brm init) or check out a revision with it."},
    {"not-a-mapping", G::Files, E, "a record or brm.yaml is a list or a single value",
     "Write the fields as a mapping: one 'field: value' per line."},
    {"stray-file", G::Files, W, "a file in a kind's folder that is not a record",
     "Record files end in .yaml; rename a .yml file, move other files out of the folder."},
    {"symlink", G::Files, E, "a file or folder is a symbolic link",
     "brm never follows links; replace the link by the file or folder itself."},
    {"unknown-schema", G::Files, W, "schema/<name>.schema.yaml names no kind of record",
     "Name the file after a kind (schema/customer.schema.yaml), or remove it."},
    {"unreadable", G::Files, E, "a file or folder cannot be read",
     "Check the file's permissions; the message gives the system's reason."},
    {"wrong-folder", G::Files, E, "the record fits another kind's schema, not its folder's",
     "Move the file into the folder the message names."},
    // A record against its kind's schema.
    {"bad-count", G::Schema, E, "a list or mapping has too few or too many entries",
     "Add or remove entries as the message says (for example at least one service)."},
    {"bad-date", G::Schema, E, "a date is not written YYYY-MM-DD, or does not exist",
     "Write the date as YYYY-MM-DD, a day that exists (2026-02-30 does not)."},
    {"bad-email", G::Schema, E, "an email address is not valid",
     "Write the address as name@example.com."},
    {"bad-format", G::Schema, E, "a value does not have the format its schema asks for",
     "Write the value in the format the message names."},
    {"bad-value", G::Schema, E,
     "a value is not one of those allowed, or does not match its pattern",
     "Use one of the values the message lists, or text of the form it describes."},
    {"forbidden-field", G::Schema, E, "a field is not allowed in this record as it stands",
     "Remove the field; some fields are only allowed with a certain role or status."},
    {"missing-field", G::Schema, E, "a required field is missing",
     "Add the field the message names; some are required only with a certain role or status."},
    {"out-of-range", G::Schema, E, "a number is below its minimum or above its maximum",
     "Use a number within the bounds the message gives."},
    {"schema", G::Schema, E, "the record fails another rule of its schema",
     "Read the message; it names the rule of the schema that failed."},
    {"unknown-field", G::Schema, E, "a field that the kind does not have",
     "Fix the typo (brm suggests the closest field), or move free-form data under 'extra:'."},
    {"wrong-type", G::Schema, E, "a value has the wrong type, such as text where a number belongs",
     "Write the value as the type the message names; quote text that YAML reads as a number."},
    {"bad-extra-key", G::Schema, E, "a key under extra is not a plain name",
     "Use letters, digits, '_' and '-', starting with a letter or '_'; no dots."},
    // References between records.
    {"purchaser-chain", G::References, E, "a purchaser's customer is itself a purchaser",
     "A purchaser orders under the mandate of a record with role customer; name that one."},
    {"unknown-reference", G::References, E, "a reference names no record of that kind",
     "Fix the id (brm suggests the closest), or add the record it refers to."},
    {"wrong-role", G::References, E, "a reference that needs a customer names a purchaser",
     "Agreements and purchasers belong to a record with role customer; name that one."},
    {"broken-reference", G::References, N, "a reference names a file that does not parse",
     "Fix the file the note names; the references to it are checked once it parses."},
    {"unknown-level", G::References, E,
     "a result names a service level its agreement does not have",
     "Name a service and metric of the agreement's levels, or add the level to the agreement."},
    {"overlapping-results", G::References, E,
     "two results of an agreement cover one day for one level",
     "Correct the periods (start, end) so that each day is reported once."},
    // Dates across fields.
    {"agreement-expired", G::Dates, W, "an active agreement's end date has passed",
     "Set the agreement's status to expired, or renew it with a new end date."},
    {"date-order", G::Dates, E, "dates are in the wrong order, such as an end before a start",
     "Correct one of the two dates the message names."},
    {"future-date", G::Dates, W, "a date is more than a year ahead",
     "Check the year; a typo such as 2062 for 2026 is the usual cause."},
    // Surveys.
    {"duplicate-question", G::Surveys, E, "two questions of a survey have the same id",
     "Give each question of the survey its own id."},
    {"score-out-of-scale", G::Surveys, E, "a score is outside 1..scale",
     "Scores run from 1 to the survey's scale (or brm.yaml's survey.scale)."},
    {"unknown-question", G::Surveys, E, "an answer names a question the survey does not have",
     "Add the question to the survey's questions, or fix the answer's question id."},
    {"duplicate-respondent", G::Surveys, W, "a customer answers one survey more than once",
     "Keep one response per respondent; the forms tool may allow several submissions."},
    // brm.yaml.
    {"bad-setting", G::Settings, E, "brm.yaml's settings contradict each other",
     "Correct the setting the message names (for example survey.satisfied above survey.scale)."},
};

}  // namespace

std::span<const Rule> rule_catalogue() { return catalogue; }

const Rule* find_rule(std::string_view id) {
  for (const Rule& r : rule_catalogue())
    if (r.id == id) return &r;
  return nullptr;
}

std::string_view rule_group_name(RuleGroup g) {
  switch (g) {
    case RuleGroup::Yaml:
      return "yaml";
    case RuleGroup::Files:
      return "files";
    case RuleGroup::Schema:
      return "schema";
    case RuleGroup::References:
      return "references";
    case RuleGroup::Dates:
      return "dates";
    case RuleGroup::Surveys:
      return "surveys";
    case RuleGroup::Settings:
      return "settings";
  }
  return "";
}

}  // namespace brm

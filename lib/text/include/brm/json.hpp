// JSON in and out of the document tree: reading JSON (the schema test suite, the
// meta-schemas) and writing the `--format json` output that scripts rely on.
#pragma once

#include <string>
#include <string_view>

#include "brm/value.hpp"

namespace brm {

struct JsonError {
  Mark mark;
  std::string message;
};

// Parses one JSON text (RFC 8259). Numbers that fit int64 and have no fraction or
// exponent become Int; others Float. Returns false and fills *error on bad input.
bool parse_json(std::string_view text, Value* out, JsonError* error);

// Compact (indent < 0) or pretty (indent = spaces per level) JSON; mapping keys keep
// their order. Non-finite floats are written as null.
std::string to_json(const Value& v, int indent = -1);

// The version of every JSON document brm prints (schema/output/*.schema.json): raised
// only when a document changes in a way that breaks a reader of the one before.
inline constexpr int kJsonOutputVersion = 1;

// A document as brm prints it: `{"version": 1}` followed by the members of `body` when it
// is a mapping, or `{"version": 1, list_key: body}` when it is a list.
Value versioned(Value body, std::string_view list_key = {});

// Appends `s` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);

}  // namespace brm

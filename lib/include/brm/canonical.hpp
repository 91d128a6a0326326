// The canonical form of a record file (FORMAT.md): keys in the order of the kind's
// schema, two-space indent, block style, quotes only where YAML needs them, a final
// newline. Writes produce it and `brm fmt` rewrites files into it.
#pragma once

#include <string>
#include <string_view>

#include "brm/kinds.hpp"
#include "brm/value.hpp"

namespace brm {

// A record document as its canonical file text.
std::string to_canonical_yaml(KindId kind, const Value& doc);

// Any value as block-style YAML in its own key order (brm.yaml, `show --format yaml`).
std::string to_yaml(const Value& doc);

// Whether `text` written plain would read back as the same string under the YAML 1.2
// core schema (no quotes needed).
bool is_plain_safe(std::string_view text);

// Whether YAML text holds `#` comments (outside quoted strings and block scalars). The
// canonical writer cannot keep them (yaml-cpp's events drop them), so commands that
// rewrite a file warn first.
bool has_comments(std::string_view yaml_text);

}  // namespace brm

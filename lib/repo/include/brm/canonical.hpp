// The canonical form of a record file (FORMAT.md): keys in the order of the kind's
// schema, two-space indent, block style, quotes only where YAML needs them, a final
// newline. Writes produce it and `brm fmt` rewrites files into it.
#pragma once

#include <string>
#include <string_view>

#include "brm/kinds.hpp"
#include "brm/value.hpp"

namespace brm {

// A record document as its canonical file text. A `modeline` (see leading_modeline) is
// kept as the first line.
std::string to_canonical_yaml(KindId kind, const Value& doc, std::string_view modeline = {});

// The `# yaml-language-server: $schema=...` comment on the first line of a record's text,
// without its line ending, or empty. It tells editors which schema the file has, so the
// canonical form keeps it: fmt, set and the other writes leave it where it is.
std::string_view leading_modeline(std::string_view yaml_text);

// Any value as block-style YAML in its own key order (brm.yaml, `show --format yaml`).
std::string to_yaml(const Value& doc);

// Whether `text` written plain would read back as the same string under the YAML 1.2
// core schema (no quotes needed).
bool is_plain_safe(std::string_view text);

// A scalar as YAML text on one line, as the canonical writer writes it; a string in the
// quote style `quote` ('"' or '\'') when given and it can be written so, to keep a file's style.
std::string to_yaml_scalar(const Value& v, char quote = '\0');

// Whether YAML text holds `#` comments (outside quoted strings and block scalars). The
// canonical writer cannot keep them (yaml-cpp's events drop them), so commands that
// rewrite a file warn first. A leading modeline, which they keep, does not count.
bool has_comments(std::string_view yaml_text);

}  // namespace brm

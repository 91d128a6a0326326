// Reading one YAML file into the document tree: YAML 1.2 core types, positions on
// every value, and the limits that keep hostile files harmless. Problems are findings.
#pragma once

#include <cstddef>
#include <string_view>

#include "brm/diagnostic.hpp"
#include "brm/value.hpp"

namespace brm {

struct YamlLimits {
  std::size_t max_bytes = std::size_t{1} << 20;  // 1 MiB
  unsigned max_depth = 64;
  // Values a file may expand to, aliases included: stops "billion laughs".
  std::size_t max_values = 200'000;
};

// Parses `text` (the bytes of `file`, a path used in findings) into *out. Returns false,
// with at least one error in *findings, when the file is not one well-formed document.
// A byte-order mark is skipped; invalid UTF-8, NUL bytes, tab indentation, duplicate
// keys, complex keys, unknown tags and several documents are findings.
bool parse_yaml(std::string_view text, std::string_view file, Value* out, Diagnostics* findings,
                const YamlLimits& limits = {});

// Resolves a plain scalar by the YAML 1.2 core schema (null, bool, int, float or string).
Value resolve_plain_scalar(std::string_view text, Mark mark);

}  // namespace brm

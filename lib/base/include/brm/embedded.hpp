// Files compiled into the binary: the built-in schemas, the JSON Schema meta-schemas
// and the example repository that `brm init --example` writes.
#pragma once

#include <string_view>
#include <vector>

namespace brm {

struct EmbeddedFile {
  std::string_view path;  // relative to the source tree, e.g. "schema/customer.schema.yaml"
  std::string_view content;
};

const std::vector<EmbeddedFile>& embedded_files();

// The content of one embedded file, or nullptr.
const std::string_view* find_embedded(std::string_view path);

}  // namespace brm

// Lookup of one file among those compiled into the binary.
#include "brm/embedded.hpp"

namespace brm {

const std::string_view* find_embedded(std::string_view path) {
  // A few dozen files, looked up a handful of times per run: a scan is enough.
  for (const EmbeddedFile& f : embedded_files()) {
    if (f.path == path) return &f.content;
  }
  return nullptr;
}

}  // namespace brm

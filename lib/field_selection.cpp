// Records limited to the fields a reader uses: brm measure keeps a few fields of four kinds
// and so holds a fraction of the records' memory.
#include <algorithm>

#include "brm/repository.hpp"

namespace brm {

void keep_fields(Record* record, const FieldSelection& fields) {
  const auto& keep = fields[static_cast<std::size_t>(record->kind)];
  std::erase_if(record->doc.entries(), [&](const Value::Entry& e) {
    return std::find(keep.begin(), keep.end(), e.key) == keep.end();
  });
}

}  // namespace brm

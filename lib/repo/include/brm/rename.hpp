// Renaming a record (`brm KIND mv`): the record under its new id and every reference to
// it changed, each file edited in place so that its comments and layout stay.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brm/kinds.hpp"
#include "brm/store.hpp"
#include "brm/text_edit.hpp"  // replace_scalar_at, once declared here
#include "brm/value.hpp"

namespace brm {

struct Rename {
  std::vector<std::string> referrers;  // paths of the records whose references changed
  std::size_t references = 0;          // references changed
  std::vector<std::string> rewritten;  // of those, files written in canonical form
};

// Stages in `tx` the record `id` of `kind` under `new_id` and the change of every
// reference to it (the kinds' reference fields). Error(Usage) for an invalid or equal
// new id, Error(DataErrors) when `new_id` is taken or `id` is not there.
Rename stage_rename(Transaction& tx, KindId kind, const std::string& id, const std::string& new_id);

// An id a new record may take (`mv`'s NEW-ID, `add --id`): Error(Usage) when it is no
// valid id, Error(DataErrors) when a record or any file has its path already.
void require_free_id(const Repository& repo, KindId kind, std::string_view id);

}  // namespace brm

// brm KIND mv: the files of a rename. References are edited where they stand in each
// file's text (the loader's marks say where), and the edit is kept only when the file
// reads back as the record with the new id; otherwise the record is written canonical.
#include "brm/rename.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "brm/canonical.hpp"
#include "brm/error.hpp"

namespace brm {
namespace {

// The references of `doc` (a copy being changed) to `id` of `kind`, changed to `new_id`;
// how many there were.
std::size_t change_references(Value& doc, KindId referrer, KindId kind, std::string_view id,
                              const std::string& new_id) {
  std::size_t changed = 0;
  for (const Reference& ref : kind_of(referrer).references) {
    if (ref.target != kind) continue;
    for_each_path_value(doc, ref.path, [&](const Value& v) {
      if (!v.is_string() || v.as_string() != id) return;
      ++changed;
      // `doc` is ours to change; the walker only hands out const views of it.
      const_cast<Value&>(v) = Value::string(new_id, v.mark());
    });
  }
  return changed;
}

void refuse_new_id(const Transaction& tx, KindId kind, const std::string& id,
                   const std::string& new_id) {
  if (new_id == id && is_valid_id(new_id))
    throw Error(ExitCode::Usage, fmt::format("'{}' is its id already", id));
  require_free_id(tx.repository(), kind, new_id);
}

}  // namespace

void require_free_id(const Repository& repo, KindId kind, std::string_view id) {
  if (!is_valid_id(id))
    throw Error(ExitCode::Usage,
                fmt::format("invalid id '{}': ids are [a-z0-9][a-z0-9-]{{0,63}}", id));
  std::string path = record_path(kind, id);
  std::error_code ec;
  if (repo.find(kind, id) || std::filesystem::symlink_status(repo.root / path, ec).type() !=
                                 std::filesystem::file_type::not_found)
    throw Error(ExitCode::DataErrors,
                fmt::format("refused: {} exists already; choose another id", path));
}

Rename stage_rename(Transaction& tx, KindId kind, const std::string& id,
                    const std::string& new_id) {
  const Repository& repo = tx.repository();
  const Record* record = repo.find(kind, id);
  if (!record) throw Error(ExitCode::DataErrors, fmt::format("no {} '{}'", kind_of(kind).name, id));
  refuse_new_id(tx, kind, id, new_id);
  Rename done;
  for (const Record* r : repo.referrers(kind, id)) {
    Value doc = r->doc;
    done.references += change_references(doc, r->kind, kind, id, new_id);
    done.referrers.push_back(r->path());
    const std::string* original = tx.original_text(r->path());
    if (auto text = original ? edit_in_place(*original, r->doc, doc) : std::nullopt) {
      tx.put_text(r->kind, r->id, std::move(*text));
    } else {
      tx.put(r->kind, r->id, doc);
      done.rewritten.push_back(r->path());
    }
  }
  // The record's own text is unchanged: the id is its file's name, not in the file.
  if (const std::string* text = tx.original_text(record->path()))
    tx.put_text(kind, new_id, *text);
  else
    tx.put(kind, new_id, record->doc);
  tx.remove(kind, id);
  return done;
}

}  // namespace brm

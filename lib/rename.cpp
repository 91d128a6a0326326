// brm KIND mv: the files of a rename. References are edited where they stand in each
// file's text (the loader's marks say where), and the edit is kept only when the file
// reads back as the record with the new id; otherwise the record is written canonical.
#include "brm/rename.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "brm/canonical.hpp"
#include "brm/error.hpp"
#include "brm/yaml.hpp"

namespace brm {
namespace {

std::optional<std::size_t> offset_of(std::string_view text, Mark mark) {
  if (mark.line == 0 || mark.column == 0) return std::nullopt;
  std::size_t at = 0;
  for (std::uint32_t line = 1; line < mark.line; ++line) {
    at = text.find('\n', at);
    if (at == std::string_view::npos) return std::nullopt;
    ++at;
  }
  at += mark.column - 1;
  return at <= text.size() ? std::optional<std::size_t>(at) : std::nullopt;
}

// The references of `doc` (a copy being changed) to `id` of `kind`, changed to `new_id`;
// their marks, last first.
std::vector<Mark> change_references(Value& doc, KindId referrer, KindId kind, std::string_view id,
                                    const std::string& new_id) {
  std::vector<Mark> marks;
  for (const Reference& ref : kind_of(referrer).references) {
    if (ref.target != kind) continue;
    for_each_path_value(doc, ref.path, [&](const Value& v) {
      if (!v.is_string() || v.as_string() != id) return;
      marks.push_back(v.mark());
      // `doc` is ours to change; the walker only hands out const views of it.
      const_cast<Value&>(v) = Value::string(new_id, v.mark());
    });
  }
  std::sort(marks.begin(), marks.end(), [](Mark a, Mark b) {
    return a.line != b.line ? a.line > b.line : a.column > b.column;
  });
  return marks;
}

// The file's text with the references changed in place, when it reads back as `doc`.
std::optional<std::string> edited_text(const std::string* text, const std::vector<Mark>& marks,
                                       std::string_view id, const std::string& new_id,
                                       const Value& doc) {
  if (!text) return std::nullopt;
  std::string out = *text;
  for (Mark m : marks) {
    auto changed = replace_scalar_at(out, m, id, new_id);
    if (!changed) return std::nullopt;
    out = std::move(*changed);
  }
  Value back;
  Diagnostics ignored;
  if (!parse_yaml(out, "", &back, &ignored) || !(back == doc)) return std::nullopt;
  return out;
}

void refuse_new_id(const Transaction& tx, KindId kind, const std::string& id,
                   const std::string& new_id) {
  if (!is_valid_id(new_id))
    throw Error(ExitCode::Usage,
                fmt::format("invalid id '{}': ids are [a-z0-9][a-z0-9-]{{0,63}}", new_id));
  if (new_id == id) throw Error(ExitCode::Usage, fmt::format("'{}' is its id already", id));
  std::string path = record_path(kind, new_id);
  std::error_code ec;
  if (tx.repository().find(kind, new_id) ||
      std::filesystem::symlink_status(tx.repository().root / path, ec).type() !=
          std::filesystem::file_type::not_found)
    throw Error(ExitCode::DataErrors,
                fmt::format("refused: {} exists already; choose another id", path));
}

}  // namespace

std::optional<std::string> replace_scalar_at(std::string_view text, Mark mark,
                                             std::string_view from, std::string_view to) {
  auto at = offset_of(text, mark);
  if (!at) return std::nullopt;
  std::string_view rest = text.substr(*at);
  char quote = rest.empty() ? '\0' : rest.front();
  std::string token;
  std::string replacement;
  if (quote == '"' || quote == '\'') {
    token = fmt::format("{}{}{}", quote, from, quote);
    replacement = fmt::format("{}{}{}", quote, to, quote);
  } else {
    token = std::string(from);
    replacement = is_plain_safe(to) ? std::string(to) : fmt::format("\"{}\"", to);
    // A plain scalar ends at a line end, a comment, or a flow indicator.
    std::string_view after = rest.substr(std::min(rest.size(), token.size()));
    if (!after.empty() &&
        std::string_view(" \t\r\n,]}").find(after.front()) == std::string_view::npos)
      return std::nullopt;
  }
  if (rest.substr(0, token.size()) != token) return std::nullopt;
  std::string out(text.substr(0, *at));
  out += replacement;
  out += rest.substr(token.size());
  return out;
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
    std::vector<Mark> marks = change_references(doc, r->kind, kind, id, new_id);
    done.references += marks.size();
    done.referrers.push_back(r->path());
    if (auto text = edited_text(tx.original_text(r->path()), marks, id, new_id, doc)) {
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

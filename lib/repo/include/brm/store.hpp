// Changing records: a transaction holds the repository's lock, loads it, takes the
// new or changed records, validates them together with the rest (schemas and rules,
// exactly as `brm check`), then writes every file atomically and makes one commit.
// Nothing is written when anything fails.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brm/date.hpp"
#include "brm/diagnostic.hpp"
#include "brm/kinds.hpp"
#include "brm/repository.hpp"
#include "brm/value.hpp"

namespace brm {

struct WriteOptions {
  bool commit = true;  // false: --no-commit (brm.yaml `commit: false` also turns it off)
  bool force = false;  // --force: commit files in paths git ignores, as `git add --force`
  // How long to wait for another brm process's lock before giving up.
  int lock_timeout_ms = 10'000;
  // The fields the command reads of the loaded records (every_field: whole), for a command
  // that only adds records: the load then decodes just these and those the rules read.
  // Null: every record whole, as a command that writes loaded records back needs them.
  const FieldSelection* reads = nullptr;
};

// Thrown by Transaction::commit when the change would leave errors; carries them.
class InvalidChange : public std::exception {
 public:
  explicit InvalidChange(Diagnostics d) : findings(std::move(d)) {}
  const char* what() const noexcept override { return "the change has errors"; }
  Diagnostics findings;
};

class Transaction {
 public:
  // Takes the lock and loads the work tree. Error(Io) when the lock cannot be had.
  Transaction(const std::filesystem::path& root, WriteOptions options);
  ~Transaction();  // releases the lock; writes nothing unless commit() succeeded
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Repository& repository() const;
  // Findings the repository had before this change (not blamed on it).
  const Diagnostics& existing_findings() const;

  // A fresh id for a new record: `<slug of label>`, or `YYYY-MM-DD-<slug>` for dated
  // kinds, with -2, -3, ... on a clash (also with ids staged in this transaction).
  std::string new_id(KindId kind, std::string_view label, std::optional<Date> date) const;

  // Stage a new or replaced record, or a removal. Ids are checked (is_valid_id), so a
  // path can never leave the repository.
  void put(KindId kind, const std::string& id, Value doc);
  void remove(KindId kind, const std::string& id);

  // Stage a record as the text of its file, to be written as it is rather than in
  // canonical form, so that its comments and layout stay (`brm KIND edit`). Otherwise
  // like put(): validated with the rest, written atomically, committed. Throws
  // InvalidChange with the findings, staging nothing, when the text does not parse.
  void put_text(KindId kind, const std::string& id, std::string text);

  // rm --force: references left dangling by a removal are not blamed on the change.
  void allow_dangling(bool allow = true);

  // A file's text as it was loaded (path relative to the root), nullptr when there was
  // none: for comparing with the canonical form and for warning about comments.
  const std::string* original_text(std::string_view path) const;

  // Validates the repository as it would be after the change. Returns the findings
  // (errors) in the changed files and the errors the change newly causes elsewhere
  // (a dangling reference after rm --force is allowed: see allow_dangling).
  Diagnostics validate() const;

  // Validates, then writes every staged file atomically (canonical form, or the text
  // given to put_text) and, when
  // committing is on and the root is in a git repository, commits exactly those files
  // with `message`. Throws InvalidChange (nothing written) on errors.
  void commit(const std::string& message);

  // Paths (relative to the root) the commit wrote or removed.
  const std::vector<std::string>& written() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// brm init: `files` (path relative to `dir` -> content), the kinds' folders and, with `git`,
// one commit of the files (in the git repository that holds `dir`, or a new one). All or
// nothing: an existing file is refused before anything is written, and a failure later
// (a hook, no identity) removes what was made, so that a retry finds the folder as it was.
struct NewRepository {
  std::filesystem::path dir;
  std::vector<std::pair<std::string, std::string>> files;
  bool git = true;
  bool force = false;  // commit even where git ignores the folder
  std::string message;
};
void create_repository(const NewRepository& r);

// Lowercase ASCII slug of a label: "Anna Berg" -> "anna-berg", at most 48 characters;
// letters with accents lose them, other characters become '-'. "record" when empty.
std::string slugify(std::string_view label);

}  // namespace brm

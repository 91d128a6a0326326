// Shell completion: the command tree as data, and the bash, zsh and fish scripts made
// from it. The tree is filled from the command-line parser (cmd/completion.cpp), so a
// new command or flag completes without touching this file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace brm {

// What a flag's value or a positional argument completes to.
struct CompletionValue {
  enum class Type { None, Choices, Ids, Files, Folders };
  Type type = Type::None;
  std::vector<std::string> choices;  // Choices
  std::string kind;                  // Ids: a kind's name, or empty for every kind
};

struct CompletionFlag {
  std::vector<std::string> names;  // "-o", "--output"
  bool takes_value = false;
  CompletionValue value;
  std::string help;
};

struct CompletionCommand {
  std::string path;  // words after "brm": "" for brm itself, "customer list"
  std::string help;
  std::vector<std::string> subcommands;  // the words that may follow
  std::vector<CompletionFlag> flags;
  std::vector<CompletionValue> positionals;  // in order; the last one may repeat
};

enum class Shell { Bash, Zsh, Fish };

// "bash", "zsh", "fish"; false for anything else.
bool parse_shell(std::string_view name, Shell* shell);

// The completion script for `shell`. Record ids are asked of `brm [-C DIR] __complete ids
// KIND` when completed, so they are those of the repository in use at that moment.
std::string completion_script(Shell shell, const std::vector<CompletionCommand>& tree);

// The ids of the records of `kind` (every kind when empty) under `root`, sorted: the
// names of the kind folders' *.yaml files that are valid ids. A directory listing, with no
// file read, so that completing stays instant on a large repository.
std::vector<std::string> record_ids(const std::filesystem::path& root, std::string_view kind);

}  // namespace brm

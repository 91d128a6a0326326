// What every command shares: the global flags, the repository they act on, and the
// terminal (colours, widths). Commands parse flags and call brm_core; nothing more.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "brm/diagnostic.hpp"
#include "brm/kinds.hpp"

namespace brm::cli {

struct Globals {
  std::string directory;       // -C DIR
  std::string color = "auto";  // --color auto|always|never
};

class Context {
 public:
  Globals globals;
  int exit_code = 0;

  // Where the command runs: -C DIR or the current folder.
  std::filesystem::path start_dir() const;
  // The repository root above start_dir(); throws Error(NotARepository).
  const std::filesystem::path& root();
  // Whether to colour output written to `stream` (--color, NO_COLOR, isatty).
  bool color(std::FILE* stream) const;
  bool is_terminal(std::FILE* stream) const;
  // Columns of stdout: the terminal's own width, else $COLUMNS, else 80; 0 (no limit)
  // when stdout is not a terminal.
  int terminal_width() const;

 private:
  std::optional<std::filesystem::path> root_;
};

// Findings as `brm check` prints them, severities coloured when `out` takes colour.
void print_findings(Context& ctx, const Diagnostics& findings, std::FILE* out = stderr);

// ANSI styling that is a no-op when colour is off.
std::string paint(bool on, std::string_view sgr, std::string_view text);

// One entry of the command list (commands.cpp).
struct Command {
  const char* name;
  void (*setup)(CLI::App& app, Context& ctx);
};

void setup_init(CLI::App& app, Context& ctx);
void setup_check(CLI::App& app, Context& ctx);
void setup_fmt(CLI::App& app, Context& ctx);
void add_survey_import(CLI::App* survey, Context& ctx);  // brm survey import (survey_import.cpp)
void setup_records(CLI::App& app, Context& ctx);         // brm KIND ... for every kind (record.cpp)
void setup_record_kind(CLI::App& app, Context& ctx, KindId kind);  // brm KIND ... for one
void setup_measure(CLI::App& app, Context& ctx);
void setup_log(CLI::App& app, Context& ctx);
void setup_agenda(CLI::App& app, Context& ctx);
void setup_report(CLI::App& app, Context& ctx);
void setup_export(CLI::App& app, Context& ctx);
void setup_schema(CLI::App& app, Context& ctx);
void setup_merge_file(CLI::App& app, Context& ctx);
// brm completion and the hidden __complete (completion.cpp); they see every command.
void setup_completion(CLI::App& app, Context& ctx);

}  // namespace brm::cli

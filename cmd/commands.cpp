// The one list of brm's commands.
//
// Adding a command:
//   1. cmd/<name>.cpp with setup_<name>(): an options struct, flags, a callback into brm_core
//   2. a row in `commands` below and a declaration in cli.hpp
//   3. golden tests in tests/cli/<name>-<case>/
//   4. man/brm-<name>.1, and a line in man/brm.1 and README.md
//   5. an example in the tutorial if users will type it
#include "commands.hpp"

namespace brm::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"init", setup_init},
      {"check", setup_check},
      {"fmt", setup_fmt},
      {"customer, agreement, ... (one per kind)", setup_records},
      {"measure", setup_measure},
      {"log", setup_log},
      {"agenda", setup_agenda},
      {"report", setup_report},
      {"export", setup_export},
      {"schema", setup_schema},
      {"merge-file", setup_merge_file},
      {"completion, __complete (set up with every command, which they walk)", setup_completion},
  };
  return list;
}

}  // namespace brm::cli

// Failures of the program itself (usage, I/O, git), as opposed to findings in the
// data. Each carries the exit code that COMMANDS.md documents; the mapping lives here only.
#pragma once

#include <stdexcept>
#include <string>

namespace brm {

enum class ExitCode : int {
  Ok = 0,
  DataErrors = 1,  // check/fmt --check found errors, or the record was not found
  Usage = 2,
  NotARepository = 3,
  Git = 4,
  Io = 5,
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

[[noreturn]] inline void fail(ExitCode code, const std::string& message) {
  throw Error(code, message);
}

}  // namespace brm

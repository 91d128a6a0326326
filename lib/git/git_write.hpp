// The pieces of a commit that libgit2 1.5 leaves to the git command: who commits (the
// GIT_AUTHOR_* / GIT_COMMITTER_* variables), hooks, signing, and running those programs.
// Private to lib/; GitWriter (git_commit.cpp) puts them together.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "brm/git_handle.hpp"

namespace brm::gitx {

using Signature = Handle<git_signature>;

// ---- git_ident.cpp ----------------------------------------------------------------

// Author and committer as `git commit` makes them: the variables first, then
// author.* / committer.*, then user.*, then EMAIL. git's guess from the host name is not
// made: Error(Git) naming the settings instead.
struct Identity {
  Signature author;
  Signature committer;
};
Identity identity_of(git_config* config);

// A date as git reads GIT_AUTHOR_DATE: "@1700000000 +0100", "1700000000 +0100", ISO 8601
// ("2026-12-05T10:00:00+01:00", "2026-12-05 10:00:00 +0100") or RFC 2822 ("Sat, 5 Dec 2026
// 10:00:00 +0100"). Without a zone, local time. nullopt when it is none of them.
struct GitTime {
  git_time_t seconds = 0;
  int offset_minutes = 0;
};
std::optional<GitTime> parse_git_date(std::string_view text);

// ---- git_ignore.cpp ---------------------------------------------------------------

// The ignore rule that makes git ignore `path` (relative to the work tree), as `git
// check-ignore -v` shows it ("FILE:LINE:PATTERN"); "" when it cannot be told.
std::string ignore_rule_for(git_repository* repo, git_config* config, const std::string& path);

// ---- git_programs.cpp -------------------------------------------------------------

// A program run the way git runs hooks and signers: no shell, the given arguments, stdin
// from `input` (or /dev/null), the environment plus `env` (NAME=VALUE).
struct Program {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::filesystem::path cwd;
  std::string input;
  bool stdout_to_stderr = false;  // hooks: brm's stdout is for its own output
  bool capture = false;           // keep stdout and stderr instead of passing them on
};
struct ProgramResult {
  bool started = false;
  int error = 0;   // errno when it could not be started
  int status = 0;  // exit status; 128 + signal when killed
  std::string out, err;
};
ProgramResult run_program(const Program& program);

// The hook `name` that git would run ("" when there is none). A hook that exists but is not
// executable is ignored, with git's hint when `warn`.
std::filesystem::path hook_path(git_repository* repo, git_config* config, const char* name,
                                bool warn = true);

// How commits are signed, read from the configuration before anything is written; nullopt
// when commit.gpgsign is off. Error(Git) naming the setting when it cannot be done.
struct Signer {
  std::string format;   // openpgp, x509, ssh
  std::string program;  // gpg, gpgsm, ssh-keygen, or gpg.*.program
  std::string key;      // -u for gpg; a key file, or the key itself, for ssh
  bool literal_key = false;
};
std::optional<Signer> signer_of(git_config* config, const git_signature* committer);
// The signature of `payload` (a commit buffer); Error(Git) when the program fails.
std::string sign(const Signer& signer, const std::string& payload);

}  // namespace brm::gitx

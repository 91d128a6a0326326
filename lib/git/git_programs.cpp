// The programs git runs around a commit, run as git runs them (git's run-command.c, hook.c
// and gpg-interface.c, read, not copied): hooks and signers, never through a shell.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "git_write.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace brm::gitx {
namespace {

std::vector<std::string> environment_with(const std::vector<std::string>& overrides) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    std::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const std::string& o : overrides)
      replaced = replaced || std::string_view(o).substr(0, o.find('=')) == name;
    if (!replaced) out.emplace_back(entry);
  }
  out.insert(out.end(), overrides.begin(), overrides.end());
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fd, O_CLOEXEC) != 0) throw Error(ExitCode::Io, "cannot create a pipe");
  }
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
};

// Feeds `input` and collects both outputs at once, so that a program writing much before
// reading all its input cannot block on a full pipe.
void exchange(Pipe& in, Pipe& out, Pipe& err, const std::string& input, ProgramResult* r) {
  std::size_t written = 0;
  if (input.empty()) in.close_end(1);
  for (;;) {
    pollfd fds[3] = {{in.fd[1], POLLOUT, 0}, {out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}};
    if (fds[0].fd < 0 && fds[1].fd < 0 && fds[2].fd < 0) return;
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].fd >= 0 && fds[0].revents) {
      ssize_t n = ::write(in.fd[1], input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == input.size()) in.close_end(1);
    }
    for (int i = 1; i <= 2; ++i) {
      if (fds[i].fd < 0 || !fds[i].revents) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0)
        (i == 1 ? r->out : r->err).append(buf, static_cast<std::size_t>(n));
      else
        (i == 1 ? out : err).close_end(0);
    }
  }
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 127;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

ProgramResult run_program(const Program& p) {
  ProgramResult r;
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (p.input.empty())
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  else
    posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  if (p.capture) {
    posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  } else if (p.stdout_to_stderr) {
    posix_spawn_file_actions_adddup2(&actions, 2, 1);
  }
  if (!p.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, p.cwd.c_str());
  std::vector<std::string> args = p.argv, env = environment_with(p.env);
  std::vector<char*> argv = pointers(args), envp = pointers(env);
  // brm ignores SIGXFSZ (a full disk is an error it reports); the program gets the defaults.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGXFSZ);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  if (rc == ENOEXEC) {  // a script without #!: git hands it to sh, so does brm
    args.insert(args.begin(), "/bin/sh");
    argv = pointers(args);
    rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  }
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    r.error = rc;
    return r;
  }
  r.started = true;
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  if (!p.capture) {
    out.close_end(0);
    err.close_end(0);
  }
  {
    // A program that exits before reading all its input must not kill brm with SIGPIPE.
    struct sigaction ignore {
    }, before{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &before);
    exchange(in, out, err, p.input, &r);
    ::sigaction(SIGPIPE, &before, nullptr);
  }
  r.status = wait_for(pid);
  return r;
}

// ---- hooks ------------------------------------------------------------------------

fs::path hook_path(git_repository* repo, git_config* config, const char* name, bool warn) {
  fs::path dir;
  git_buf buf = GIT_BUF_INIT;
  if (git_config_get_path(&buf, config, "core.hooksPath") == 0) {
    dir = buf.ptr;
    // A relative core.hooksPath is taken from where hooks run: the work tree's root.
    if (dir.is_relative())
      if (const char* workdir = git_repository_workdir(repo)) dir = fs::path(workdir) / dir;
  } else if (git_repository_item_path(&buf, repo, GIT_REPOSITORY_ITEM_HOOKS) == 0) {
    dir = buf.ptr;
  }
  git_buf_dispose(&buf);
  git_error_clear();
  if (dir.empty()) return {};
  fs::path hook = dir / name;
  if (::access(hook.c_str(), X_OK) == 0) return hook;
  struct stat st {};
  if (warn && ::stat(hook.c_str(), &st) == 0)
    std::fprintf(stderr,
                 "hint: The '%s' hook was ignored because it's not set as executable.\n"
                 "hint: You can disable this warning with `git config advice.ignoredHook "
                 "false`.\n",
                 hook.c_str());
  return {};
}

// ---- signing ----------------------------------------------------------------------

namespace {

std::optional<std::string> config_string(git_config* config, const std::string& name,
                                         bool path = false) {
  git_buf buf = GIT_BUF_INIT;
  std::optional<std::string> out;
  int rc = path ? git_config_get_path(&buf, config, name.c_str())
                : git_config_get_string_buf(&buf, config, name.c_str());
  if (rc == 0) out = std::string(buf.ptr);
  git_buf_dispose(&buf);
  git_error_clear();
  return out;
}

// The program as posix_spawn needs it (a path), searched in PATH as execvp would.
std::optional<std::string> find_program(const std::string& program) {
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), X_OK) == 0 ? std::optional(program) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::string list = path ? path : "/usr/bin:/bin";
  for (std::size_t at = 0; at <= list.size();) {
    std::size_t end = std::min(list.find(':', at), list.size());
    std::string candidate = (end > at ? list.substr(at, end - at) : ".") + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    at = end + 1;
  }
  return std::nullopt;
}

std::string resolve_program(const std::string& program) {
  return find_program(program).value_or(program);
}

[[noreturn]] void cannot_sign(const std::string& why) {
  throw Error(ExitCode::Git,
              fmt::format("commit.gpgsign is set, but brm cannot sign: {}\n"
                          "hint: fix the setting, or 'git config commit.gpgsign false', or "
                          "pass --no-commit",
                          why));
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    std::string pattern = (fs::temp_directory_path() / ".git_signing_buffer_tmpXXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) cannot_sign("cannot create a temporary file");
    path = pattern;
    bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ::close(fd);
    if (!ok) cannot_sign("cannot write a temporary file");
  }
  ~TempFile() { ::unlink(path.c_str()); }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sign_ssh(const Signer& s, const std::string& payload) {
  TempFile buffer(payload);
  std::optional<TempFile> key;
  std::vector<std::string> argv{resolve_program(s.program), "-Y", "sign", "-n", "git", "-f"};
  if (s.literal_key) {
    key.emplace(s.key.rfind("key::", 0) == 0 ? s.key.substr(5) : s.key);
    argv.insert(argv.end(), {key->path, "-U"});
  } else {
    argv.push_back(s.key);
  }
  argv.push_back(buffer.path);
  Program p;
  p.argv = argv;
  p.capture = true;
  ProgramResult r = run_program(p);
  std::string sig_file = buffer.path + ".sig";
  std::string signature = read_all(sig_file);
  ::unlink(sig_file.c_str());
  if (!r.started) cannot_sign(fmt::format("cannot run gpg.ssh.program '{}'", s.program));
  if (r.status != 0 || signature.empty())
    cannot_sign(fmt::format("'{} -Y sign' failed (exit {}): {}", s.program, r.status, r.err));
  std::erase(signature, '\r');
  return signature;
}

std::string sign_gpg(const Signer& s, const std::string& payload) {
  Program p;
  p.argv = {resolve_program(s.program), "--status-fd=2", "-bsau", s.key};
  p.input = payload;
  p.capture = true;
  ProgramResult r = run_program(p);
  if (!r.started)
    cannot_sign(fmt::format("cannot run gpg.program '{}': {}", s.program, std::strerror(r.error)));
  if (r.status != 0 || ("\n" + r.err).find("\n[GNUPG:] SIG_CREATED ") == std::string::npos)
    cannot_sign(fmt::format("gpg failed to sign the data (key '{}'): {}", s.key, r.err));
  std::erase(r.out, '\r');
  return r.out;
}

}  // namespace

std::optional<Signer> signer_of(git_config* config, const git_signature* committer) {
  int on = 0;
  if (git_config_get_bool(&on, config, "commit.gpgsign") < 0 || !on) {
    git_error_clear();
    return std::nullopt;
  }
  Signer s;
  s.format = config_string(config, "gpg.format").value_or("openpgp");
  static const std::pair<const char*, const char*> defaults[] = {
      {"openpgp", "gpg"}, {"x509", "gpgsm"}, {"ssh", "ssh-keygen"}};
  const char* fallback = nullptr;
  for (const auto& [format, program] : defaults)
    if (s.format == format) fallback = program;
  if (!fallback)
    cannot_sign(fmt::format("gpg.format '{}' is not one of openpgp, x509, ssh", s.format));
  auto program = config_string(config, fmt::format("gpg.{}.program", s.format), true);
  if (!program && s.format == "openpgp") program = config_string(config, "gpg.program", true);
  s.program = program.value_or(fallback);
  if (!find_program(s.program))
    cannot_sign(fmt::format("the signing program '{}' (gpg.{}program) is not found", s.program,
                            s.format == "openpgp" ? "" : s.format + "."));
  auto key = config_string(config, "user.signingkey");
  if (s.format == "ssh") {
    if (!key || key->empty())
      cannot_sign(
          "gpg.format is ssh and user.signingkey is not set (brm does not run "
          "gpg.ssh.defaultKeyCommand)");
    s.literal_key = key->rfind("ssh-", 0) == 0 || key->rfind("key::", 0) == 0;
    if (!s.literal_key) key = config_string(config, "user.signingkey", true);
    s.key = *key;
    if (!s.literal_key && ::access(s.key.c_str(), R_OK) != 0)
      cannot_sign(fmt::format("user.signingkey '{}' is not a readable key file", s.key));
  } else {
    s.key = key && !key->empty() ? *key : fmt::format("{} <{}>", committer->name, committer->email);
  }
  return s;
}

std::string sign(const Signer& s, const std::string& payload) {
  return s.format == "ssh" ? sign_ssh(s, payload) : sign_gpg(s, payload);
}

}  // namespace brm::gitx

// brm KIND edit: the record's file in the user's editor. The user edits a copy; only a
// copy that parses and validates replaces the file, as they wrote it (comments kept).
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "brm/error.hpp"
#include "brm/record_cache.hpp"
#include "brm/yaml.hpp"
#include "record.hpp"

namespace brm::cli {
namespace {

namespace fs = std::filesystem;

// $VISUAL, else $EDITOR, else vi, split into words on spaces so that `code --wait`
// works; never run through a shell, so a file name cannot become a command.
std::vector<std::string> editor_command() {
  const char* e = std::getenv("VISUAL");
  if (!e || !*e) e = std::getenv("EDITOR");
  if (!e || !*e) e = "vi";
  std::vector<std::string> words;
  std::istringstream in(e);
  for (std::string w; in >> w;) words.push_back(w);
  if (words.empty()) words.push_back("vi");
  return words;
}

// Runs the editor on `file` and waits; returns its exit status (128+N for signal N).
int run_editor(const std::vector<std::string>& command, const fs::path& file) {
  std::vector<std::string> args = command;
  args.push_back(file.string());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::fflush(stdout);
  std::fflush(stderr);
  // Like git: ^C goes to the editor, not to brm, which still has to clean up.
  struct sigaction ignore {
  }, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);
  pid_t pid = fork();
  if (pid == 0) {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "brm: error: cannot run the editor '%s': %s\n", argv[0],
                 std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  if (pid > 0)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);
  if (pid < 0)
    throw Error(ExitCode::Io, fmt::format("cannot start the editor: {}", std::strerror(errno)));
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(ExitCode::Io, fmt::format("cannot read {}", p.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw Error(ExitCode::Io, fmt::format("cannot write {}", p.string()));
}

// Removes the editing copy unless told to keep it (when it holds work not saved elsewhere).
struct Scratch {
  fs::path path;
  bool keep = false;
  ~Scratch() {
    std::error_code ec;
    if (!keep) fs::remove(path, ec);
  }
};

// What the edit changed, by field; a change of comments or layout alone is said too.
// `before` is null when the file did not parse: then no field can be said to change.
void say_edited(KindId kind, const std::string& id, const Value* before, const std::string& text) {
  if (!before) return say_changed(kind, id, "the file parses again");
  Value after;
  Diagnostics ignored;
  std::vector<std::string> keys;
  if (parse_yaml(text, record_path(kind, id), &after, &ignored))
    keys = changed_keys(*before, after);
  std::string what;
  for (const std::string& k : keys) what += (what.empty() ? "" : ", ") + k;
  say_changed(kind, id, what.empty() ? "edited comments or layout" : "changed " + what);
}

struct EditOptions {
  std::string id;
  WriteFlags write;
};

void run_edit(Context& ctx, KindId kind, const EditOptions& o) {
  const fs::path& root = ctx.root();
  std::string rel = record_path(kind, o.id);
  fs::path file = root / rel;
  std::error_code ec;
  auto st = fs::symlink_status(file, ec);
  if (!is_valid_id(o.id) || !fs::is_regular_file(st)) {
    if (fs::is_symlink(st))
      throw Error(ExitCode::DataErrors,
                  fmt::format("{} is a symbolic link; brm does not follow links", rel));
    Diagnostics ignored;
    find_record(load_worktree(root, &ignored), kind, o.id);  // did you mean
    throw Error(ExitCode::DataErrors, fmt::format("no {} '{}'", kind_of(kind).name, o.id));
  }
  const std::string original = read_text(file);
  // A dot file: brm's loader and `brm check` pass over it while it is open.
  Scratch scratch{file.parent_path() / fmt::format(".{}.edit-{}.yaml", o.id, ::getpid())};
  write_text(scratch.path, original);
  std::vector<std::string> editor = editor_command();

  for (;;) {
    if (int status = run_editor(editor, scratch.path); status != 0)
      throw Error(ExitCode::DataErrors,
                  fmt::format("the editor '{}' exited with status {}; {} is unchanged",
                              editor.front(), status, rel));
    std::string text = read_text(scratch.path);
    if (text == original) {
      std::fprintf(stderr, "%s: no changes\n", rel.c_str());
      return;
    }
    Diagnostics findings;
    {
      Transaction tx(root, write_options(o.write));
      const std::string* now = tx.original_text(rel);
      if (!now || *now != original) {
        scratch.keep = true;
        throw Error(ExitCode::DataErrors,
                    fmt::format("{} was changed by someone else while you edited it; your "
                                "version is in {}",
                                rel, scratch.path.string()));
      }
      try {
        // A copy: the repository's own record is replaced by the commit.
        std::optional<Value> before;
        if (const Record* r = tx.repository().find(kind, o.id)) before = r->doc;
        // Written as the user wrote it, not canonicalised: their comments stay.
        tx.put_text(kind, o.id, text);
        tx.commit(fmt::format("{}: edit {}", kind_of(kind).name, o.id));
        say_edited(kind, o.id, before ? &*before : nullptr, text);
        return;
      } catch (const InvalidChange& e) {
        findings = e.findings;
      }
    }  // the lock is released before anything is asked
    print_findings(ctx, findings);
    // Declining to re-open must not lose the work: the copy stays and is named.
    std::string kept;
    if (can_prompt(ctx)) {
      if (ask_yes_no("re-open the editor?", true)) continue;
      scratch.keep = true;
      kept = fmt::format("; your version is in {}", scratch.path.string());
    }
    std::size_t n = count_severity(findings, Severity::Error);
    throw Error(ExitCode::DataErrors,
                fmt::format("the edited file has {} error{}; {} is unchanged{}", n,
                            n == 1 ? "" : "s", rel, kept));
  }
}

}  // namespace

void setup_record_edit(CLI::App* kind_cmd, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
  auto o = std::make_shared<EditOptions>();
  auto* cmd = kind_cmd->add_subcommand(
      "edit", fmt::format("Edit a {}'s file in $VISUAL or $EDITOR, validated on save", k.name));
  cmd->add_option("ID", o->id, fmt::format("The {}'s id", k.name))->required();
  add_write_flags(cmd, &o->write);
  cmd->footer(
      "The editor works on a copy. When it exits, the copy is validated with the whole\n"
      "repository; on errors they are shown and, in a terminal, the editor can be re-opened.\n"
      "Otherwise the original is left unchanged (exit status 1). A valid copy replaces the\n"
      "file as written, comments included.");
  cmd->callback([&ctx, kind, o] { run_edit(ctx, kind, *o); });
}

}  // namespace brm::cli

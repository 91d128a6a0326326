// brm's entry point: global flags, the command list, and the one place where
// failures become exit codes and messages.
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "brm/error.hpp"
#include "brm/memory.hpp"
#include "brm/repository.hpp"
#include "brm/trace.hpp"
#include "commands.hpp"

namespace brm::cli {

std::filesystem::path Context::start_dir() const {
  return globals.directory.empty() ? std::filesystem::current_path()
                                   : std::filesystem::path(globals.directory);
}

const std::filesystem::path& Context::root() {
  if (!root_) root_ = find_repository_root(start_dir());
  return *root_;
}

bool Context::is_terminal(std::FILE* stream) const { return ::isatty(::fileno(stream)) == 1; }

bool Context::color(std::FILE* stream) const {
  if (globals.color == "always") return true;
  if (globals.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return is_terminal(stream);
}

// Shells keep COLUMNS to themselves, so the terminal is asked first; a pipe gets every
// character (grep and cut need whole cells).
int Context::terminal_width() const {
  if (!is_terminal(stdout)) return 0;
  struct winsize size {};
  if (::ioctl(::fileno(stdout), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* cols = std::getenv("COLUMNS")) {
    int n = std::atoi(cols);
    if (n > 20) return n;
  }
  return 80;
}

std::string paint(bool on, std::string_view sgr, std::string_view text) {
  if (!on) return std::string(text);
  return fmt::format("\033[{}m{}\033[0m", sgr, text);
}

void print_findings(Context& ctx, const Diagnostics& findings, std::FILE* out) {
  bool color = ctx.color(out);
  for (const Diagnostic& d : findings) {
    std::string line = format_text(d);
    if (color) {
      std::string_view sev = severity_name(d.severity);
      std::string plain = fmt::format(": {}: ", sev);
      std::string sgr = d.severity == Severity::Error     ? "1;31"
                        : d.severity == Severity::Warning ? "1;33"
                                                          : "1;36";
      if (auto at = line.find(plain); at != std::string::npos)
        line.replace(at, plain.size(), fmt::format(": {}: ", paint(true, sgr, sev)));
    }
    line += '\n';
    std::fputs(line.c_str(), out);
  }
}

namespace {

// The command named on the line: the first argument that is neither one of `app`'s own
// options nor the value of one; empty when there is none (brm --version, brm -h).
std::string_view command_word(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") return {};
    if (arg.empty() || arg[0] != '-') return arg;
    // "-C DIR" and "--color WHEN" take the next argument; "-CDIR", "--color=WHEN" do not.
    if (const CLI::Option* o = app.get_option_no_throw(std::string(arg));
        o && o->get_expected_min() > 0)
      ++i;
  }
  return {};
}

// The option `name` ("--severity", "-C") of `at` or of a command above it (brm's own
// options work after the command word too).
const CLI::Option* find_option(const CLI::App* at, const std::string& name) {
  for (; at; at = at->get_parent())
    if (const CLI::Option* o = at->get_option_no_throw(name)) return o;
  return nullptr;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& names) {
  std::vector<std::string_view> candidates(names.begin(), names.end());
  std::string_view near = closest_match(word, candidates);
  return near.empty() ? std::string() : fmt::format(" Did you mean '{}'?", near);
}

std::string unknown_option(const CLI::App* at, const std::string& name) {
  std::vector<std::string> names;
  for (const CLI::App* a = at; a; a = a->get_parent())
    for (const CLI::Option* o : a->get_options()) {
      for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
      for (const std::string& s : o->get_snames()) names.push_back("-" + s);
    }
  // One letter is too little to guess from: -z is not a typo of -h.
  std::string hint = name.starts_with("--") ? did_you_mean(name, names) : std::string();
  return fmt::format("brm: error: unknown option '{}'.{}", name, hint);
}

std::string unknown_command(const CLI::App* at, const std::string& path, std::string_view word) {
  std::vector<std::string> names;
  for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  std::string hint = did_you_mean(word, names);
  if (hint.empty())
    hint = fmt::format(" See '{}'.", path == "brm" ? "brm help" : "brm help " + path.substr(4));
  return fmt::format("brm: '{}' is not a {} command.{}", word, path, hint);
}

bool is_number(std::string_view arg) {
  return arg.size() > 1 && arg[0] == '-' &&
         arg.find_first_not_of("0123456789.", 1) == std::string_view::npos;
}

// A mistyped command or option, told as git tells it ("brm: 'custmer' is not a brm
// command. Did you mean 'customer'?"); empty when the words are all known. CLI11 alone
// would only say that a subcommand is required, or list the words it did not expect.
std::string mistyped(const CLI::App& app, int argc, char** argv) {
  const CLI::App* at = &app;
  std::string path = "brm";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-' && !is_number(arg)) {
      bool is_long = arg[1] == '-';
      std::string name = is_long ? arg.substr(0, arg.find('=')) : arg.substr(0, 2);
      const CLI::Option* o = find_option(at, name);
      if (!o) return unknown_option(at, name);
      bool value_attached = is_long ? name.size() < arg.size() : arg.size() > 2;
      if (o->get_expected_min() > 0 && !value_attached) ++i;
      continue;
    }
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : at->get_subcommands([](const CLI::App*) { return true; }))
      if (s->check_name(arg)) sub = s;
    if (sub) {
      at = sub;
      path += " " + arg;
    } else if (at->get_subcommands([](const CLI::App*) { return true; }).size() > 0 &&
               at->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty()) {
      return unknown_command(at, path, arg);
    }
  }
  return {};
}

int run(int argc, char** argv) {
  CLI::App app{"brm: Business Relationship Management as code", "brm"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", std::string("brm ") + BRM_VERSION);
  Context ctx;
  app.add_option("-C", ctx.globals.directory, "Run as if brm was started in DIR")
      ->option_text("DIR");
  app.add_option("--color", ctx.globals.color, "When to use colours: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("WHEN");
  app.footer(
      "Exit codes: 0 success, 1 the data has errors or the record was not found, 2 usage error,\n"
      "3 not in a brm repository, 4 a git operation failed, 5 an I/O error.\n"
      "See 'brm help COMMAND' or man brm.");

  // Only the command being run is set up when the line names one, since the record
  // commands' setup reads every kind's schema for its flags (1.5 ms, a twentieth of a
  // repeated check); the others, and help, see every command.
  std::string_view command = command_word(app, argc, argv);
  bool named = std::any_of(commands().begin(), commands().end(),
                           [&](const Command& c) { return command == c.name; });
  // A kind's word alone sets up that kind's commands: each kind's setup reads its schema.
  if (const Kind* kind = named ? nullptr : find_kind(command); kind && kind->name == command)
    setup_record_kind(app, ctx, kind->id);
  else
    for (const Command& c : commands())
      if (!named || command == c.name) c.setup(app, ctx);

  auto* help = app.add_subcommand("help", "Show help for brm or one of its commands");
  std::vector<std::string> topic;
  help->add_option("COMMAND", topic, "A command, e.g. 'check' or 'customer add'");
  help->callback([&] {
    CLI::App* target = &app;
    std::string path = "brm";  // the usage line's start: "brm customer add"
    for (const std::string& word : topic) {
      path += " " + word;
      CLI::App* sub = nullptr;
      try {
        sub = target->get_subcommand(word);
      } catch (const CLI::OptionNotFound&) {
      }
      if (!sub) throw Error(ExitCode::Usage, fmt::format("no such command: '{}'", word));
      target = sub;
    }
    // App::help() would describe the selected subcommand (this one): ask the formatter.
    std::cout << target->get_formatter()->make_help(target, path, CLI::AppFormatMode::Normal);
  });

  if (std::string typo = mistyped(app, argc, argv); !typo.empty()) {
    std::cerr << typo << "\n";
    return static_cast<int>(ExitCode::Usage);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "brm: error: " << e.what() << "\n";
    std::cerr << "hint: see 'brm help' for usage\n";
    return static_cast<int>(ExitCode::Usage);
  }
  return ctx.exit_code;
}

}  // namespace
}  // namespace brm::cli

int main(int argc, char** argv) {
  using brm::ExitCode;
  // Past a file size limit (ulimit -f) a write should fail with EFBIG, an I/O error brm
  // reports and rolls back, rather than kill brm halfway through with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  brm::set_up_process_memory();
  try {
    brm::TraceRegion trace("the whole command");
    return brm::cli::run(argc, argv);
  } catch (const brm::Error& e) {
    std::cout.flush();
    std::cerr << "brm: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "brm: error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::Io);
  } catch (const std::bad_alloc&) {
    std::cerr << "brm: error: out of memory\n";
    return static_cast<int>(ExitCode::Io);
  } catch (const std::exception& e) {
    std::cerr << "brm: error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::Io);
  }
}

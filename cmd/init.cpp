// brm init: a new repository with brm.yaml, the kinds' folders and a first commit.
#include <fmt/format.h>
#include <iostream>

#include "brm/embedded.hpp"
#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/git.hpp"
#include "brm/kinds.hpp"
#include "brm/merge.hpp"
#include "cli.hpp"

namespace brm::cli {
namespace {

struct InitOptions {
  std::string dir = ".";
  std::string organisation;
  bool no_git = false;
  bool example = false;
  bool merge_driver = false;
};

// Quotes a value for brm.yaml when YAML would read it as something else.
std::string yaml_text(const std::string& s) {
  bool plain = !s.empty() && s.find_first_of(":#'\"{}[],&*!|>%@`\\\n") == std::string::npos &&
               s.front() != ' ' && s.back() != ' ' && s.front() != '-' && s.front() != '?';
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

void print_merge_driver_hint() {
  std::cout << fmt::format("to merge records field by field, run once in each clone:\n  {}\n",
                           merge_driver_config);
}

// init --merge-driver in an existing repository: the .gitattributes lines, committed.
void add_merge_driver(const std::filesystem::path& dir) {
  bool changed = write_merge_attributes(dir);
  if (changed && in_git_repository(dir))
    git_commit_paths(dir, {".gitattributes"}, "brm: merge record files with brm merge-file");
  std::cout << (changed ? "added the merge driver to .gitattributes\n"
                        : ".gitattributes names the merge driver already\n");
  print_merge_driver_hint();
}

void run_init(Context& ctx, const InitOptions& o) {
  namespace fs = std::filesystem;
  fs::path dir = (ctx.start_dir() / o.dir).lexically_normal();
  std::error_code ec;
  if (o.merge_driver && fs::exists(dir / "brm.yaml", ec)) return add_merge_driver(dir);
  if (fs::exists(dir / "brm.yaml", ec))
    throw Error(ExitCode::Usage, fmt::format("'{}' is already a brm repository", dir.string()));
  make_folders(dir);

  std::vector<std::string> written;
  if (o.example) {
    const std::string prefix = "examples/example-group/";
    for (const EmbeddedFile& f : embedded_files()) {
      if (f.path.rfind(prefix, 0) != 0) continue;
      std::string rel(f.path.substr(prefix.size()));
      std::string content(f.content);
      if (rel == "brm.yaml" && !o.organisation.empty()) {
        auto at = content.find("organisation:");
        auto end = content.find('\n', at);
        if (at != std::string::npos)
          content.replace(at, end - at, "organisation: " + yaml_text(o.organisation));
      }
      make_folders((dir / rel).parent_path());
      write_file_atomic(dir / rel, content);
      written.push_back(rel);
    }
  } else {
    std::string settings = "brm: 1\n";
    settings += "organisation: " + yaml_text(o.organisation.empty() ? dir.filename().string()
                                                                    : o.organisation) + "\n";
    settings += "currency: EUR\n";
    write_file_atomic(dir / "brm.yaml", settings);
    written.push_back("brm.yaml");
  }
  for (const Kind& k : kinds()) make_folders(dir / k.folder);
  if (write_merge_attributes(dir)) written.push_back(".gitattributes");

  bool git = !o.no_git;
  if (git) {
    if (!in_git_repository(dir)) git_init(dir);
    git_commit_paths(dir, written, o.example ? "brm: init with the example data" : "brm: init");
  }
  std::cout << fmt::format("created a brm repository in {}{}\n", dir.string(),
                           git ? " (git, first commit made)" : "");
  print_merge_driver_hint();
}

}  // namespace

void setup_init(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<InitOptions>();
  auto* cmd = app.add_subcommand("init", "Create a brm repository (brm.yaml, folders, git)");
  cmd->add_option("DIR", o->dir, "Where to create it (default: here)");
  cmd->add_option("--organisation", o->organisation, "The organisation's name, shown in reports")
      ->option_text("NAME");
  cmd->add_flag("--no-git", o->no_git, "Do not create a git repository or commit");
  cmd->add_flag("--example", o->example, "Fill it with the example data");
  cmd->add_flag("--merge-driver", o->merge_driver,
                "In an existing repository: only add .gitattributes for brm merge-file");
  cmd->callback([&ctx, o] { run_init(ctx, *o); });
}

}  // namespace brm::cli

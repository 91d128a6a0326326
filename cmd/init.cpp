// brm init: a new repository with brm.yaml, the kinds' folders and a first commit.
#include <fmt/format.h>

#include <iostream>

#include "brm/editor_schema.hpp"
#include "brm/embedded.hpp"
#include "brm/error.hpp"
#include "brm/git.hpp"
#include "brm/merge.hpp"
#include "brm/store.hpp"
#include "cli.hpp"

namespace brm::cli {
namespace {

struct InitOptions {
  std::string dir = ".";
  std::string organisation;
  bool no_git = false;
  bool example = false;
  bool force = false;
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
  NewRepository r;
  r.dir = (ctx.start_dir() / o.dir).lexically_normal();
  std::error_code ec;
  if (o.merge_driver && fs::exists(r.dir / "brm.yaml", ec)) return add_merge_driver(r.dir);
  r.git = !o.no_git;
  r.force = o.force;
  r.message = o.example ? "brm: init with the example data" : "brm: init";
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
      r.files.emplace_back(std::move(rel), std::move(content));
    }
  } else {
    std::string settings = "brm: 1\n";
    settings += "organisation: " +
                yaml_text(o.organisation.empty() ? r.dir.filename().string() : o.organisation) +
                "\n";
    settings += "currency: EUR\n";
    r.files.emplace_back("brm.yaml", std::move(settings));
  }
  // Editors find the schemas through .vscode/settings.json (see brm-schema(1)); a user's own
  // settings file, and a .gitattributes of its own, are left as they are.
  std::vector<SourceFile> sources;
  for (const auto& [path, content] : r.files) sources.push_back({path, content, {}, {}});
  bool vscode = !fs::exists(fs::symlink_status(r.dir / ".vscode/settings.json", ec));
  for (auto& f : editor_settings_files(sources, vscode)) r.files.push_back(std::move(f));
  bool attributes = !fs::exists(fs::symlink_status(r.dir / ".gitattributes", ec));
  if (attributes) r.files.emplace_back(".gitattributes", with_merge_attributes(""));
  create_repository(r);
  std::cout << fmt::format("created a brm repository in {}{}\n", r.dir.string(),
                           r.git ? " (git, first commit made)" : "");
  if (!attributes)
    std::cout << "the folder has a .gitattributes: 'brm init --merge-driver' adds the driver\n";
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
  cmd->add_flag("--force", o->force, "Commit even where git ignores the folder (git add -f)");
  cmd->add_flag("--merge-driver", o->merge_driver,
                "In an existing repository: only add .gitattributes for brm merge-file");
  cmd->callback([&ctx, o] { run_init(ctx, *o); });
}

}  // namespace brm::cli

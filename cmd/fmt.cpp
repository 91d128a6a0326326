// brm fmt: rewrites valid record files into the canonical form of FORMAT.md, or with
// --check only lists the ones that differ (for CI). Files with errors are left alone.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <unordered_map>

#include "brm/canonical.hpp"
#include "brm/error.hpp"
#include "brm/line_endings.hpp"
#include "brm/repository.hpp"
#include "brm/store.hpp"
#include "brm/unified_diff.hpp"
#include "cli.hpp"
#include "path_args.hpp"
#include "record.hpp"

namespace fs = std::filesystem;

namespace brm::cli {
namespace {

struct FmtOptions {
  bool check = false;
  bool diff = false;
  WriteFlags write;
  std::vector<std::string> paths;
};

// What fmt makes of the repository: the files that differ from their canonical form,
// and the findings of the files it must leave alone.
struct Plan {
  struct Rewrite {
    std::string path;
    const Record* record;
    const std::string* text;  // as it is now; nullptr when unknown
    std::string canonical;
    bool had_comments;
  };
  std::vector<Rewrite> rewrites;  // in path order
  Diagnostics refusals;           // errors in selected record files, or in brm.yaml
  std::size_t refused_files = 0;
  bool settings_broken = false;
};

template <class TextOf>
Plan plan(const Repository& repo, const Diagnostics& findings,
          const std::vector<std::string>& filters, TextOf text_of) {
  Plan p;
  std::set<std::string> broken;
  for (const Diagnostic& d : findings) {
    if (d.severity != Severity::Error) continue;
    // With brm.yaml broken (say, another format version) no file is safe to rewrite.
    bool settings = d.file == "brm.yaml";
    if (!settings && !(kind_of_record_path(d.file) && selected(filters, d.file))) continue;
    p.refusals.push_back(d);
    broken.insert(d.file);
  }
  p.refused_files = broken.size();
  p.settings_broken = broken.count("brm.yaml") > 0;
  if (p.settings_broken) return p;
  std::vector<std::pair<std::string, const Record*>> records;  // by path
  for (const auto& of_kind : repo.records)
    for (const Record& r : of_kind)
      if (std::string path = r.path(); selected(filters, path) && !broken.count(path))
        records.emplace_back(std::move(path), &r);
  std::sort(records.begin(), records.end());
  for (auto& [path, r] : records) {
    const std::string* text = text_of(path);
    std::string canonical =
        to_canonical_yaml(r->kind, r->doc, text ? leading_modeline(*text) : std::string_view());
    if (text && same_but_line_endings(*text, canonical)) continue;
    bool had_comments = text && has_comments(*text);
    p.rewrites.push_back({std::move(path), r, text, std::move(canonical), had_comments});
  }
  return p;
}

std::string files(std::size_t n) { return fmt::format("{} file{}", n, n == 1 ? "" : "s"); }

void refuse(Context& ctx, const Plan& p) {
  print_findings(ctx, p.refusals);
  if (p.settings_broken)
    throw Error(ExitCode::DataErrors, "brm.yaml has errors; no file was rewritten");
  throw Error(ExitCode::DataErrors,
              fmt::format("{} with errors left as {} (see 'brm check')", files(p.refused_files),
                          p.refused_files == 1 ? "it is" : "they are"));
}

void run_check(Context& ctx, const std::vector<std::string>& filters, bool diff) {
  // Read-only: no lock, so that CI can run it on a read-only checkout.
  Snapshot snap = read_worktree(ctx.root());
  std::unordered_map<std::string, std::string> texts;
  for (const SourceFile& f : snap.files) texts.emplace(f.path, f.content);
  Diagnostics findings;
  Repository repo = load_repository(std::move(snap), &findings);
  Plan p = plan(repo, findings, filters, [&](const std::string& path) -> const std::string* {
    auto it = texts.find(path);
    return it == texts.end() ? nullptr : &it->second;
  });
  for (const Plan::Rewrite& r : p.rewrites) {
    // As `git diff` names them, so that `git apply` (or `patch -p1`) in the root applies it.
    std::string out = diff ? unified_diff(r.text ? *r.text : std::string(), r.canonical,
                                          "a/" + r.path, "b/" + r.path)
                           : r.path + "\n";
    std::fputs(out.c_str(), stdout);
  }
  std::fflush(stdout);
  if (!p.refusals.empty()) refuse(ctx, p);
  if (!p.rewrites.empty()) ctx.exit_code = static_cast<int>(ExitCode::DataErrors);
}

void run_rewrite(Context& ctx, const std::vector<std::string>& filters, const WriteFlags& flags) {
  Transaction tx(ctx.root(), write_options(flags));
  Plan p = plan(tx.repository(), tx.existing_findings(), filters,
                [&](const std::string& path) { return tx.original_text(path); });
  if (!p.rewrites.empty()) {
    for (const Plan::Rewrite& r : p.rewrites) {
      // fmt is asked for the canonical form: a warning before the write, no question.
      if (r.had_comments) confirm_dropping_comments(ctx, r.record->kind, r.record->id, false);
      tx.put(r.record->kind, r.record->id, r.record->doc);
    }
    commit_or_refuse(ctx, tx, fmt::format("fmt: rewrite {}", files(p.rewrites.size())));
  }
  for (const Plan::Rewrite& r : p.rewrites) std::printf("%s\n", r.path.c_str());
  std::printf("rewrote %s\n", files(p.rewrites.size()).c_str());
  std::fflush(stdout);
  if (!p.refusals.empty()) refuse(ctx, p);
}

}  // namespace

void setup_fmt(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<FmtOptions>();
  auto* cmd = app.add_subcommand("fmt", "Rewrite record files into the canonical form");
  auto* check_flag =
      cmd->add_flag("--check", o->check, "Only list the files that differ; exit 1 if any do");
  cmd->add_flag("--diff", o->diff, "With --check: print a unified diff of each change instead")
      ->needs(check_flag);
  add_write_flags(cmd, &o->write);
  cmd->add_option("PATH", o->paths, "Only these files or folders (default: the whole repository)");
  cmd->footer(
      "Canonical: keys in the order of the format, two-space indent, block style, quotes only\n"
      "where YAML needs them, a final newline. Comments are dropped ('brm KIND edit' keeps them),\n"
      "except a first line '# yaml-language-server: $schema=...' for editors.\n"
      "Files with errors are left as they are and reported.\n"
      "Exit status: 0 done (or, with --check, every file is canonical), 1 files differ or have\n"
      "errors.");
  cmd->callback([&ctx, o] {
    std::vector<std::string> filters = repository_relative(ctx, o->paths, MustExist::Yes);
    if (o->check)
      run_check(ctx, filters, o->diff);
    else
      run_rewrite(ctx, filters, o->write);
  });
}

}  // namespace brm::cli

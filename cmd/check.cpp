// brm check: every finding in the repository, in one run, like a compiler.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "brm/ci_report.hpp"
#include "brm/error.hpp"
#include "brm/git.hpp"
#include "brm/record_cache.hpp"
#include "brm/repository.hpp"
#include "cli.hpp"
#include "path_args.hpp"
#include "progress.hpp"

namespace brm::cli {
namespace {

struct CheckOptions {
  std::string format = "text";
  bool strict = false;
  std::string at;
  std::vector<std::string> paths;
};

void run_check(Context& ctx, const CheckOptions& o) {
  const auto& root = ctx.root();
  Diagnostics findings;
  LoadOptions load;
  Progress progress(ctx, "checking");
  load.progress = progress.callback();
  std::size_t files = o.at.empty()
                          ? check_worktree(root, &findings, load)
                          : load_repository(read_git_tree(root, o.at), &findings, load).files;
  progress.finish();

  std::vector<std::string> filters = repository_relative(ctx, o.paths, MustExist::No);
  std::erase_if(findings, [&](const Diagnostic& d) { return !selected(filters, d.file); });

  std::size_t errors = count_severity(findings, Severity::Error);
  std::size_t warnings = count_severity(findings, Severity::Warning);
  // CI services name files from the checkout's root, which may hold brm.yaml in a subfolder.
  bool for_ci = o.format == "github" || o.format == "sarif" || o.format == "codeclimate";
  if (for_ci) prefix_paths(findings, report_path_prefix(root));
  if (o.format == "json") {
    std::fputs(format_json(findings, files).c_str(), stdout);
  } else if (o.format == "github") {
    for (const Diagnostic& d : findings) std::puts(format_github(d).c_str());
  } else if (o.format == "sarif") {
    std::fputs(format_sarif(findings).c_str(), stdout);
  } else if (o.format == "codeclimate") {
    std::fputs(format_codeclimate(findings).c_str(), stdout);
  } else {
    print_findings(ctx, findings, stdout);
    std::string summary =
        fmt::format("checked {} file{}: {} error{}, {} warning{}", files, files == 1 ? "" : "s",
                    errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    std::puts(summary.c_str());
  }
  if (errors > 0 || (o.strict && warnings > 0))
    ctx.exit_code = static_cast<int>(ExitCode::DataErrors);
}

}  // namespace

void setup_check(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "Validate every record: schema, references and rules");
  cmd->add_option("--format", o->format, "Output: text, json, github, sarif or codeclimate")
      ->check(CLI::IsMember({"text", "json", "github", "sarif", "codeclimate"}));
  cmd->add_flag("--strict", o->strict, "Fail on warnings too");
  cmd->add_option("--at", o->at, "Check a git revision (commit, tag, branch) without a checkout")
      ->option_text("REV");
  cmd->add_option("PATH", o->paths, "Only report findings in these files or folders");
  cmd->footer(
      "Findings print as FILE:LINE:COL: SEVERITY: MESSAGE [RULE], sorted by file and line.\n"
      "github, sarif and codeclimate name files from the git work tree's root (or\n"
      "$GITHUB_WORKSPACE, $CI_PROJECT_DIR), so that CI annotations attach.\n"
      "Exit status: 0 clean (warnings allowed unless --strict), 1 errors found.");
  cmd->callback([&ctx, o] { run_check(ctx, *o); });
}

}  // namespace brm::cli

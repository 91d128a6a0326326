// brm export: every record for scripts and BI tools.
#include "brm/export.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <set>

#include "brm/error.hpp"
#include "brm/files.hpp"
#include "cli.hpp"
#include "progress.hpp"

namespace brm::cli {
namespace {

struct ExportOptions {
  std::string format = "json";
  std::string output;
};

// Every parsed record goes out, errors or not: the export is for looking at the data, and
// a record silently missing would be worse. Say how many had errors, since figures built
// on them may be off, and how many could not be read at all (those cannot go out).
void warn_about_errors(const Repository& repo, const Diagnostics& findings) {
  std::set<std::string_view> bad;
  for (const Diagnostic& d : findings) {
    if (d.severity != Severity::Error) continue;
    std::size_t slash = d.file.find('/');
    if (slash != std::string::npos && find_kind(std::string_view(d.file).substr(0, slash)))
      bad.insert(d.file);
  }
  if (bad.empty()) return;
  std::set<std::string, std::less<>> loaded;
  for (const auto& records : repo.records)
    for (const Record& r : records) loaded.insert(r.path());
  std::size_t unread = 0;
  for (std::string_view f : bad) unread += loaded.count(f) == 0;
  std::size_t exported = bad.size() - unread;
  auto records = [](std::size_t n) { return fmt::format("{} record{}", n, n == 1 ? "" : "s"); };
  std::string message;
  if (unread == 0)
    message = fmt::format("{} with errors exported as {}", records(exported),
                          exported == 1 ? "it is" : "they are");
  else if (exported == 0)
    message = fmt::format("{} could not be read and {} left out", records(unread),
                          unread == 1 ? "is" : "are");
  else
    message = fmt::format("{} with errors: {} exported as {}, {} could not be read and {} left out",
                          records(bad.size()), exported, exported == 1 ? "it is" : "they are",
                          unread, unread == 1 ? "is" : "are");
  std::fprintf(stderr, "brm: warning: %s; run 'brm check'\n", message.c_str());
}

void run_export(Context& ctx, const ExportOptions& o) {
  if (o.format == "csv" && o.output.empty())
    throw Error(ExitCode::Usage,
                "--format csv writes one file per kind; name a folder with -o DIR");
  Diagnostics findings;
  Repository repo = load_worktree_with_progress(ctx, &findings);
  warn_about_errors(repo, findings);
  if (o.output.empty()) {
    std::fputs(export_json(repo).c_str(), stdout);
    return;
  }
  std::filesystem::path dir = ctx.start_dir() / o.output;
  make_folders(dir);
  for (const ExportFile& f :
       export_files(repo, o.format == "csv" ? ExportFormat::Csv : ExportFormat::Json))
    write_file_atomic(dir / f.name, f.content);
}

}  // namespace

void setup_export(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd =
      app.add_subcommand("export", "Write every record as JSON or CSV for scripts and BI tools");
  cmd->add_option("--format", o->format, "Output: json or csv (csv needs -o)")
      ->check(CLI::IsMember({"json", "csv"}));
  cmd->add_option("-o,--output", o->output, "Write DIR/<kind>.json or DIR/<kind>.csv, one per kind")
      ->option_text("DIR");
  cmd->footer(
      "Without -o, prints {\"customers\": [...], ...} as JSON on standard output.\n"
      "CSV flattens nested fields with dots (budget.amount, services.0.service).");
  cmd->callback([&ctx, o] { run_export(ctx, *o); });
}

}  // namespace brm::cli

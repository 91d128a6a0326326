// brm merge-file: git's merge driver for record files (`brm merge-file %O %A %B %P`),
// a field-by-field three-way merge written over OURS.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/merge.hpp"
#include "cli.hpp"

namespace brm::cli {
namespace {

struct MergeFileOptions {
  std::string base, ours, theirs;
  std::string path;  // the file's path in the repository (%P); may be empty
};

// The kind a path names, wherever the brm repository sits in the git work tree:
// "crm/customers/anna-berg.yaml" is a customer.
std::optional<KindId> kind_of_path(std::string_view path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  std::size_t start = path.rfind('/', slash - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  const Kind* k = kind_of_record_path(path.substr(start));
  return k ? std::optional<KindId>(k->id) : std::nullopt;
}

void run_merge_file(Context& ctx, const MergeFileOptions& o) {
  namespace fs = std::filesystem;
  fs::path dir = ctx.start_dir();
  std::string base = read_file(dir / o.base), ours = read_file(dir / o.ours),
              theirs = read_file(dir / o.theirs);
  // As git merge-file labels the sides by their files; git's merge driver gives temporary
  // files, so with the record's path the labels name it instead.
  MergeLabels labels{o.ours, o.theirs};
  if (!o.path.empty()) labels = {"ours:" + o.path, "theirs:" + o.path};
  std::string file = o.path.empty() ? o.ours : o.path;
  FileMerge m = merge_record_files(base, ours, theirs, kind_of_path(o.path), file, labels);
  write_file_atomic(dir / o.ours, m.text);
  for (const std::string& note : m.notes) std::fprintf(stderr, "%s\n", note.c_str());
  print_findings(ctx, m.findings);
  if (m.conflicts > 0)
    std::fprintf(stderr, "%s: %zu conflict%s between markers\n", file.c_str(), m.conflicts,
                 m.conflicts == 1 ? "" : "s");
  if (!m.clean) ctx.exit_code = static_cast<int>(ExitCode::DataErrors);
}

}  // namespace

void setup_merge_file(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<MergeFileOptions>();
  auto* cmd = app.add_subcommand(
      "merge-file", "Merge two versions of a record field by field (git's merge driver)");
  cmd->add_option("BASE", o->base, "The common ancestor's version (%O)")->required();
  cmd->add_option("OURS", o->ours, "Our version (%A); the result is written over it")->required();
  cmd->add_option("THEIRS", o->theirs, "Their version (%B)")->required();
  cmd->add_option("PATH", o->path,
                  "The file's path in the repository (%P): its kind, and the conflict labels");
  cmd->footer(
      "Register it with git (brm init prints this):\n"
      "  git config merge.brm.driver \"brm merge-file %O %A %B %P\"\n"
      "and name the record files in .gitattributes: customers/*.yaml merge=brm\n"
      "Exit status: 0 merged cleanly, 1 conflicts left between markers (or a merged record\n"
      "with errors), 2 usage, 5 a file could not be read or written.");
  cmd->callback([&ctx, o] { run_merge_file(ctx, *o); });
}

}  // namespace brm::cli

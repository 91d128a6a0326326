// brm schema: the schemas in effect, self-contained, for editors and JSON Schema tools.
#include <fmt/format.h>

#include <cstdio>

#include "brm/editor_schema.hpp"
#include "brm/error.hpp"
#include "brm/kinds.hpp"
#include "cli.hpp"

namespace fs = std::filesystem;

namespace brm::cli {
namespace {

struct SchemaCommandOptions {
  std::string kind;
  std::string format = "json";
  std::string output;
};

// The repository's files when there is a repository; outside one, the built-ins alone.
std::vector<SourceFile> repository_files(Context& ctx) {
  try {
    return read_worktree(ctx.root()).files;
  } catch (const Error& e) {
    if (e.code() != ExitCode::NotARepository) throw;
    std::fputs("brm: note: not in a brm repository; these are the built-in schemas\n", stderr);
    return {};
  }
}

// The one schema KIND names (a kind, its folder, or "settings"), or all of them.
std::vector<EditorSchema> selected(std::vector<EditorSchema> all, const std::string& word) {
  if (word.empty()) return all;
  const Kind* kind = find_kind(word);
  std::string_view name = kind ? kind->name : std::string_view(word);
  std::vector<std::string_view> names;
  for (EditorSchema& s : all) {
    if (s.name == name) return {std::move(s)};
    names.push_back(s.name);
  }
  std::string_view near = closest_match(word, names);
  throw Error(ExitCode::Usage,
              fmt::format("no schema is called '{}'{}", word,
                          near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
}

void refuse_own_schema_folder(Context& ctx, const fs::path& dir) {
  std::error_code ec;
  fs::path own = fs::weakly_canonical(ctx.root() / "schema", ec);
  if (!ec && fs::weakly_canonical(dir, ec) == own)
    throw Error(
        ExitCode::Usage,
        fmt::format("'schema/' holds the repository's own schemas; write to another folder, "
                    "such as {}",
                    editor_schema_folder));
}

void run_schema(Context& ctx, const SchemaCommandOptions& o) {
  Diagnostics findings;
  std::vector<EditorSchema> schemas = editor_schemas(repository_files(ctx), &findings);
  if (!findings.empty()) {
    print_findings(ctx, findings);
    throw Error(ExitCode::DataErrors, "the repository's schemas have errors (see above)");
  }
  schemas = selected(std::move(schemas), o.kind);
  const bool yaml = o.format == "yaml";
  if (!o.output.empty()) {
    fs::path dir = ctx.start_dir() / o.output;
    try {
      refuse_own_schema_folder(ctx, dir);
    } catch (const Error& e) {
      if (e.code() != ExitCode::NotARepository) throw;
    }
    write_editor_schemas(schemas, dir, yaml);
    return;
  }
  if (schemas.size() == 1) {
    std::fputs(editor_schema_text(schemas.front().document, yaml).c_str(), stdout);
    return;
  }
  Value all = Value::mapping();  // {customer: {...}, ..., settings: {...}}
  for (EditorSchema& s : schemas) all.set(s.name, std::move(s.document));
  std::fputs(editor_schema_text(all, yaml).c_str(), stdout);
}

}  // namespace

void setup_schema(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SchemaCommandOptions>();
  auto* cmd = app.add_subcommand(
      "schema", "Print or write the schemas in effect, for editors and JSON Schema tools");
  cmd->add_option("KIND", o->kind, "One kind (customer, ...) or settings (brm.yaml); default all");
  cmd->add_option("--format", o->format, "Output: json or yaml")
      ->check(CLI::IsMember({"json", "yaml"}));
  cmd->add_option("-o,--output", o->output, "Write DIR/<kind>.schema.json (or .yaml), one per kind")
      ->option_text("DIR");
  cmd->footer(
      "Each schema is the built-in one combined (allOf) with the repository's own\n"
      "schema/<kind>.schema.yaml, self-contained, without brm's x-brm-* keywords.\n"
      "Without -o and KIND, prints {\"customer\": {...}, ..., \"settings\": {...}}.\n"
      "brm init writes them to .brm/schema/ and maps them in .vscode/settings.json;\n"
      "refresh them with 'brm schema -o .brm/schema' after changing schema/.");
  cmd->callback([&ctx, o] { run_schema(ctx, *o); });
}

}  // namespace brm::cli

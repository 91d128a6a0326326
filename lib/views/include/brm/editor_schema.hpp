// The schemas in effect, exported for editors and other JSON Schema tools: per kind the
// built-in schema and the repository's own schema/<kind>.schema.yaml combined (allOf),
// each self-contained (the shared definitions inlined, no `urn:brm:` ids left) and
// without brm's own `x-brm-*` keywords, which Ajv's strict mode and editors reject.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "brm/diagnostic.hpp"
#include "brm/repository.hpp"
#include "brm/value.hpp"

namespace brm {

struct EditorSchema {
  std::string name;   // "customer", ... and "settings" for brm.yaml
  std::string files;  // the files it is for, from the root: "customers/*.yaml", "brm.yaml"
  Value document;     // the JSON Schema (draft 2020-12)
};

// Every kind's schema, then brm.yaml's. `files` holds the repository's files (only
// schema/<kind>.schema.yaml are used); a repository schema that does not parse or that
// refers where an exported schema cannot follow is a finding, and left out.
std::vector<EditorSchema> editor_schemas(const std::vector<SourceFile>& files,
                                         Diagnostics* findings);

// "customer.schema.json" or "customer.schema.yaml".
std::string editor_schema_file(std::string_view name, bool yaml);

// A schema as the text of its file: JSON (two-space indent) or YAML, with a final newline.
std::string editor_schema_text(const Value& document, bool yaml);

// Writes each schema to `dir`/<name>.schema.json (or .yaml), making `dir` if needed.
void write_editor_schemas(const std::vector<EditorSchema>& schemas,
                          const std::filesystem::path& dir, bool yaml);

// The folder brm init writes the exported schemas to, and `brm schema -o` refreshes.
inline constexpr std::string_view editor_schema_folder = ".brm/schema";

// The files brm init adds for editors, as (path from the root, content): every schema of
// a repository made of `files` (brm.yaml, schema/...) as JSON under .brm/schema, and with
// `with_vscode_settings` .vscode/settings.json mapping each kind's folder to its schema
// (yaml.schemas). Throws Error(DataErrors) with the findings' text when a repository
// schema is broken.
std::vector<std::pair<std::string, std::string>> editor_settings_files(
    const std::vector<SourceFile>& files, bool with_vscode_settings);

}  // namespace brm

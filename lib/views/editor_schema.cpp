// Exporting the schemas in effect. The built-in schemas refer to each other by URN
// (urn:brm:schema:common#/$defs/id), which only brm's registry resolves; editors and
// Ajv need every reference inside the file or beside it. So each exported schema is the
// kind's built-in schema with the shared definitions it uses copied into its own $defs,
// and the repository's schema appended to its allOf with its local references moved there.
#include "brm/editor_schema.hpp"

#include <fmt/format.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <set>

#include "brm/canonical.hpp"
#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/json.hpp"
#include "brm/kinds.hpp"
#include "brm/schemas.hpp"
#include "brm/yaml.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

constexpr std::string_view urn_prefix = "urn:brm:schema:";

bool is_one_of(std::string_view key, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys)
    if (k == key) return true;
  return false;
}

// Calls `visit` on `schema` and every schema inside it, following the keywords whose
// values are schemas; data (enum, const, default, examples) is not walked.
void for_each_schema(Value& schema, const std::function<void(Value&)>& visit) {
  if (!schema.is_mapping()) return;
  visit(schema);
  for (Value::Entry& e : schema.entries()) {
    if (is_one_of(e.key, {"additionalProperties", "items", "contains", "propertyNames", "not", "if",
                          "then", "else", "unevaluatedItems", "unevaluatedProperties"})) {
      for_each_schema(e.value, visit);
    } else if (is_one_of(e.key, {"properties", "patternProperties", "$defs", "dependentSchemas"})) {
      for (Value::Entry& member : e.value.entries()) for_each_schema(member.value, visit);
    } else if (is_one_of(e.key, {"allOf", "anyOf", "oneOf", "prefixItems"})) {
      for (Value& item : e.value.items()) for_each_schema(item, visit);
    }
  }
}

// What becomes of the references of one part of an exported schema.
struct RefContext {
  std::string_view kind;        // references to urn:brm:schema:<kind> point to the root
  std::string local_base;       // where this part's own "#/..." now lives ("" at the root)
  std::set<std::string>* used;  // the shared definitions referred to
};

// The reference as it reads in the exported schema, or nullopt when it cannot be followed.
std::optional<std::string> exported_ref(std::string_view ref, const RefContext& c) {
  if (ref.substr(0, urn_prefix.size()) == urn_prefix) {
    std::size_t hash = ref.find('#');
    std::string_view name = ref.substr(urn_prefix.size(), hash - urn_prefix.size());
    std::string_view fragment = hash == std::string_view::npos ? "" : ref.substr(hash + 1);
    if (name == c.kind) return fmt::format("#{}", fragment);
    constexpr std::string_view defs = "/$defs/";
    if (name != "common" || fragment.substr(0, defs.size()) != defs) return std::nullopt;
    std::string_view def = fragment.substr(defs.size());
    c.used->insert(std::string(def.substr(0, def.find('/'))));
    return fmt::format("#{}", fragment);
  }
  if (ref == "#" || ref.substr(0, 2) == "#/")
    return fmt::format("#{}{}", c.local_base, ref.substr(1));
  if (ref.substr(0, 1) == "#" || ref.substr(0, 8) == "https://" || ref.substr(0, 7) == "http://")
    return std::string(ref);  // an anchor, or a schema on the web the editor can fetch
  return std::nullopt;
}

// Rewrites the references of `part` and takes brm's own keywords out. Returns the first
// reference that cannot be exported, with its value for the position, or nullptr.
const Value* export_part(Value& part, const RefContext& c) {
  const Value* bad = nullptr;
  for_each_schema(part, [&](Value& schema) {
    std::erase_if(schema.entries(),
                  [](const Value::Entry& e) { return e.key.rfind("x-brm-", 0) == 0; });
    Value* ref = schema.find("$ref");
    if (!ref || !ref->is_string()) return;
    if (auto now = exported_ref(ref->as_string(), c))
      ref->as_string() = *now;
    else if (!bad)
      bad = ref;
  });
  return bad;
}

// The shared definitions `used` names, and those they use in turn.
Value shared_definitions(std::set<std::string> used) {
  const Value* all = RecordSchemas::common_document().find("$defs");
  Value defs = Value::mapping();
  std::set<std::string> done;
  while (!used.empty()) {
    std::string name = *used.begin();
    used.erase(used.begin());
    const Value* def = all ? all->find(name) : nullptr;
    if (!def || !done.insert(name).second) continue;
    Value copy = *def;
    std::set<std::string> more;
    export_part(copy, {"common", "", &more});
    for (const std::string& m : more)
      if (!done.count(m)) used.insert(m);
    defs.set(name, std::move(copy));
  }
  return defs;
}

// The repository's own schema of a kind, parsed; nullopt (with a finding) when broken.
std::optional<Value> own_schema(const SourceFile& f, Diagnostics* findings) {
  Value doc;
  if (!parse_yaml(f.content, f.path, &doc, findings)) return std::nullopt;
  if (!doc.is_mapping()) {
    findings->push_back({f.path, doc.mark().line, doc.mark().column, Severity::Error, "bad-schema",
                         "a schema is a mapping of keywords"});
    return std::nullopt;
  }
  doc.erase("$schema");
  doc.erase("$id");
  return doc;
}

EditorSchema export_schema(std::string name, std::string files, const Value& builtin,
                           const SourceFile* own_file, Diagnostics* findings) {
  EditorSchema out{name, std::move(files), builtin};
  Value& doc = out.document;
  doc.erase("$id");
  std::set<std::string> used;
  export_part(doc, {name, "", &used});
  std::optional<Value> own = own_file ? own_schema(*own_file, findings) : std::nullopt;
  if (own) {
    if (!doc.find("allOf")) doc.set("allOf", Value::sequence());
    Value& all_of = *doc.find("allOf");
    std::set<std::string> own_used = used;
    RefContext c{name, fmt::format("/allOf/{}", all_of.size()), &own_used};
    if (const Value* bad = export_part(*own, c)) {
      findings->push_back({own_file->path, bad->mark().line, bad->mark().column, Severity::Error,
                           "bad-schema",
                           fmt::format("'$ref: {}' cannot be followed in an exported schema; refer "
                                       "to urn:brm:schema:common#/$defs/..., into this file, or to "
                                       "a URL",
                                       bad->as_string())});
    } else {
      all_of.push_back(std::move(*own));
      used = std::move(own_used);
    }
  }
  if (!used.empty()) doc.set("$defs", shared_definitions(std::move(used)));
  return out;
}

}  // namespace

std::vector<EditorSchema> editor_schemas(const std::vector<SourceFile>& files,
                                         Diagnostics* findings) {
  auto own_file = [&](std::string_view path) -> const SourceFile* {
    for (const SourceFile& f : files)
      if (f.path == path) return &f;
    return nullptr;
  };
  std::vector<EditorSchema> out;
  for (const Kind& k : kinds())
    out.push_back(export_schema(std::string(k.name), std::string(k.folder) + "/*.yaml",
                                RecordSchemas::builtin_document(k.id), own_file(k.schema_path()),
                                findings));
  out.push_back(
      export_schema("settings", "brm.yaml", RecordSchemas::settings_document(), nullptr, findings));
  return out;
}

std::string editor_schema_file(std::string_view name, bool yaml) {
  return fmt::format("{}.schema.{}", name, yaml ? "yaml" : "json");
}

std::string editor_schema_text(const Value& document, bool yaml) {
  return yaml ? to_yaml(document) : to_json(document, 2) + "\n";
}

void write_editor_schemas(const std::vector<EditorSchema>& schemas, const fs::path& dir,
                          bool yaml) {
  make_folders(dir);
  for (const EditorSchema& s : schemas)
    write_file_atomic(dir / editor_schema_file(s.name, yaml), editor_schema_text(s.document, yaml));
}

std::vector<std::pair<std::string, std::string>> editor_settings_files(
    const std::vector<SourceFile>& files, bool with_vscode_settings) {
  Diagnostics findings;
  std::vector<EditorSchema> schemas = editor_schemas(files, &findings);
  if (!findings.empty()) {
    std::string text;
    for (const Diagnostic& d : findings)
      text += fmt::format("{}{}", text.empty() ? "" : "\n", format_text(d));
    throw Error(ExitCode::DataErrors, text);
  }
  std::vector<std::pair<std::string, std::string>> out;
  Value associations = Value::mapping();
  for (const EditorSchema& s : schemas) {
    std::string path =
        fmt::format("{}/{}", editor_schema_folder, editor_schema_file(s.name, false));
    out.emplace_back(path, editor_schema_text(s.document, false));
    Value globs = Value::sequence();
    globs.push_back(Value::string(s.files));
    associations.set("./" + path, std::move(globs));
  }
  if (with_vscode_settings) {
    Value settings = Value::mapping();
    settings.set("yaml.schemas", std::move(associations));
    out.emplace_back(".vscode/settings.json", to_json(settings, 2) + "\n");
  }
  return out;
}

}  // namespace brm

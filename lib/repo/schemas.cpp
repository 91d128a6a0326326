// The built-in schemas are YAML files under schema/, embedded at build time; they are
// parsed and compiled once per process and shared by every thread.
#include "brm/schemas.hpp"

#include <fmt/format.h>

#include <mutex>

#include "brm/embedded.hpp"
#include "brm/error.hpp"
#include "brm/json_pointer.hpp"
#include "brm/yaml.hpp"

namespace brm {
namespace {

Value parse_embedded(std::string_view path) {
  const std::string_view* text = find_embedded(path);
  if (!text) throw Error(ExitCode::Io, fmt::format("built-in schema '{}' is missing", path));
  Value doc;
  Diagnostics ds;
  if (!parse_yaml(*text, path, &doc, &ds))
    throw Error(ExitCode::Io, fmt::format("built-in schema '{}' is broken: {}", path,
                                          ds.empty() ? "" : format_text(ds.front())));
  return doc;
}

// The documents live in the registry that resolves their $refs (for the schema model too)
// and compiles them; the documents alone are cheap to have (command setup reads them for
// flags), compiling waits until something is validated.
struct BuiltinDocuments {
  SchemaRegistry registry;
  std::array<const Value*, kind_count> kinds{};
  const Value* settings = nullptr;
  const Value* common = nullptr;

  BuiltinDocuments() {
    common = add(std::string(common_schema_uri), "schema/common.schema.yaml");
    for (const Kind& k : brm::kinds())
      kinds[static_cast<std::size_t>(k.id)] = add(builtin_schema_uri(k.id), k.schema_path());
    settings = add(std::string(settings_schema_uri), "schema/settings.schema.yaml");
  }

  const Value* add(const std::string& uri, std::string_view path) {
    registry.add(uri, parse_embedded(path));
    return registry.resolve(uri, uri);
  }
};

BuiltinDocuments& builtin_documents() {
  static BuiltinDocuments documents;
  return documents;
}

struct Builtin {
  std::array<std::unique_ptr<CompiledSchema>, kind_count> kinds;
  std::unique_ptr<CompiledSchema> settings;

  Builtin() {
    SchemaRegistry& registry = builtin_documents().registry;
    for (const Kind& k : brm::kinds())
      kinds[static_cast<std::size_t>(k.id)] =
          std::make_unique<CompiledSchema>(registry.compile_added(builtin_schema_uri(k.id)));
    settings =
        std::make_unique<CompiledSchema>(registry.compile_added(std::string(settings_schema_uri)));
  }
};

Builtin& builtin() {
  static Builtin b;
  return b;
}

// A key written without a value reads as null, and "expected a string, got null" names
// neither the field nor what went wrong: say that the field is empty.
std::string message_of(const SchemaFinding& f) {
  constexpr std::string_view got_null = ", got null";
  if (f.rule != "wrong-type" || f.instance_path.empty() || !f.message.ends_with(got_null))
    return f.message;
  return fmt::format("field '{}' has no value: {}", dotted_path(f.instance_path),
                     f.message.substr(0, f.message.size() - got_null.size()));
}

void append_findings(const std::vector<SchemaFinding>& found, std::string_view file,
                     Diagnostics* findings) {
  for (const SchemaFinding& f : found)
    findings->push_back(
        {std::string(file), f.mark.line, f.mark.column, Severity::Error, f.rule, message_of(f)});
}

}  // namespace

const CompiledSchema& builtin_schema(KindId kind) {
  return *builtin().kinds[static_cast<std::size_t>(kind)];
}

const CompiledSchema& settings_schema() { return *builtin().settings; }

std::string builtin_schema_uri(KindId kind) {
  return fmt::format("urn:brm:schema:{}", kind_of(kind).name);
}

SchemaRegistry& builtin_registry() { return builtin_documents().registry; }

// Repositories' own schemas get a registry of their own, so that they can $ref the
// built-in ones by URN but never change them.
SchemaRegistry& repository_registry() {
  static SchemaRegistry r;
  static std::once_flag once;
  std::call_once(once, [] { r.add(std::string(common_schema_uri), *builtin_documents().common); });
  return r;
}

const Value& RecordSchemas::builtin_document(KindId kind) {
  return *builtin_documents().kinds[static_cast<std::size_t>(kind)];
}

const Value& RecordSchemas::settings_document() { return *builtin_documents().settings; }

const Value& RecordSchemas::common_document() { return *builtin_documents().common; }

RecordSchemas::RecordSchemas(const std::vector<SourceFile>& files, Diagnostics* findings) {
  builtin();  // compile before any thread needs it
  for (const SourceFile& f : files) {
    if (f.path.rfind("schema/", 0) != 0) continue;
    std::string_view name = std::string_view(f.path).substr(7);
    const std::string_view suffix = ".schema.yaml";
    if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix)
      continue;
    const Kind* kind = find_kind(name.substr(0, name.size() - suffix.size()));
    if (!kind) {
      findings->push_back({f.path, 0, 0, Severity::Warning, "unknown-schema",
                           "no kind of record has this name; the schema is ignored"});
      continue;
    }
    Value doc;
    if (!parse_yaml(f.content, f.path, &doc, findings)) continue;
    try {
      // Each repository schema gets a URI of its own so that two loads never clash.
      static std::mutex m;
      std::lock_guard lock(m);
      static int generation = 0;
      extra_[static_cast<std::size_t>(kind->id)] =
          std::make_unique<CompiledSchema>(repository_registry().compile(
              doc, fmt::format("urn:brm:repository:{}:{}", ++generation, f.path)));
    } catch (const Error& e) {
      findings->push_back({f.path, doc.mark().line, doc.mark().column, Severity::Error,
                           "bad-schema", fmt::format("the schema cannot be used: {}", e.what())});
    }
  }
}

RecordSchemas::~RecordSchemas() = default;

bool RecordSchemas::validate(KindId kind, const Value& doc, std::string_view file,
                             Diagnostics* findings) const {
  std::vector<SchemaFinding> found;
  bool ok = builtin_schema(kind).validate(doc, &found);
  if (const auto& extra = extra_[static_cast<std::size_t>(kind)]) {
    std::vector<SchemaFinding> more;
    if (!extra->validate(doc, &more)) {
      ok = false;
      for (SchemaFinding& f : more) found.push_back(std::move(f));
    }
  }
  append_findings(found, file, findings);
  return ok;
}

bool RecordSchemas::is_valid(KindId kind, const Value& doc) const {
  if (!builtin_schema(kind).is_valid(doc)) return false;
  const auto& extra = extra_[static_cast<std::size_t>(kind)];
  return !extra || extra->is_valid(doc);
}

bool RecordSchemas::validate_settings(const Value& doc, std::string_view file,
                                      Diagnostics* findings) const {
  std::vector<SchemaFinding> found;
  bool ok = settings_schema().validate(doc, &found);
  append_findings(found, file, findings);
  return ok;
}

}  // namespace brm

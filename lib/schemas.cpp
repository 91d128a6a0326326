// The built-in schemas are YAML files under schema/, embedded at build time; they are
// parsed and compiled once per process and shared by every thread.
#include "brm/schemas.hpp"

#include <fmt/format.h>
#include <mutex>

#include "brm/embedded.hpp"
#include "brm/error.hpp"
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

// The schema documents alone are cheap to have (command setup reads them for flags);
// compiling waits until something is validated.
const std::array<Value, kind_count>& builtin_documents() {
  static const std::array<Value, kind_count> documents = [] {
    std::array<Value, kind_count> d;
    for (const Kind& k : brm::kinds()) d[static_cast<std::size_t>(k.id)] = parse_embedded(k.schema_path());
    return d;
  }();
  return documents;
}

struct Builtin {
  SchemaRegistry registry;
  std::array<std::unique_ptr<CompiledSchema>, kind_count> kinds;
  std::unique_ptr<CompiledSchema> settings;

  Builtin() {
    if (find_embedded("schema/common.schema.yaml"))
      registry.add("urn:brm:schema:common", parse_embedded("schema/common.schema.yaml"));
    for (const Kind& k : brm::kinds()) {
      auto i = static_cast<std::size_t>(k.id);
      kinds[i] = std::make_unique<CompiledSchema>(
          registry.compile(builtin_documents()[i], fmt::format("urn:brm:schema:{}", k.name)));
    }
    settings = std::make_unique<CompiledSchema>(
        registry.compile(RecordSchemas::settings_document(), "urn:brm:schema:settings"));
  }
};

Builtin& builtin() {
  static Builtin b;
  return b;
}

// Repositories' own schemas get a registry of their own, so that they can $ref the
// built-in ones by URN but never change them.
SchemaRegistry& extra_registry() {
  static SchemaRegistry r;
  static std::once_flag once;
  std::call_once(once, [] {
    if (find_embedded("schema/common.schema.yaml"))
      r.add("urn:brm:schema:common", parse_embedded("schema/common.schema.yaml"));
  });
  return r;
}

// "/services/0/levels" -> "services.0.levels", the dotted path `brm KIND set` takes.
std::string dotted(std::string_view pointer) {
  std::string out;
  for (std::size_t i = 0; i < pointer.size(); ++i) {
    char c = pointer[i];
    if (c == '/') {
      if (i > 0) out += '.';
    } else if (c == '~' && i + 1 < pointer.size()) {
      out += pointer[++i] == '1' ? '/' : '~';
    } else {
      out += c;
    }
  }
  return out;
}

// A key written without a value reads as null, and "expected a string, got null" names
// neither the field nor what went wrong: say that the field is empty.
std::string message_of(const SchemaFinding& f) {
  constexpr std::string_view got_null = ", got null";
  if (f.rule != "wrong-type" || f.instance_path.empty() || !f.message.ends_with(got_null))
    return f.message;
  return fmt::format("field '{}' has no value: {}", dotted(f.instance_path),
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

const Value& RecordSchemas::builtin_document(KindId kind) {
  return builtin_documents()[static_cast<std::size_t>(kind)];
}

const Value& RecordSchemas::settings_document() {
  static const Value doc = parse_embedded("schema/settings.schema.yaml");
  return doc;
}

const Value& RecordSchemas::common_document() {
  static const Value doc = parse_embedded("schema/common.schema.yaml");
  return doc;
}

RecordSchemas::RecordSchemas(const std::vector<SourceFile>& files, Diagnostics* findings) {
  builtin();  // compile before any thread needs it
  for (const SourceFile& f : files) {
    if (f.path.rfind("schema/", 0) != 0) continue;
    std::string_view name = std::string_view(f.path).substr(7);
    const std::string_view suffix = ".schema.yaml";
    if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) continue;
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
      extra_[static_cast<std::size_t>(kind->id)] = std::make_unique<CompiledSchema>(
          extra_registry().compile(doc, fmt::format("urn:brm:repository:{}:{}", ++generation, f.path)));
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

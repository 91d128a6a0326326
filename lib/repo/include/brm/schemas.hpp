// brm's own schemas (compiled into the binary) and a repository's extra ones
// (schema/<kind>.schema.yaml), and the step that validates one record with them.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "brm/diagnostic.hpp"
#include "brm/kinds.hpp"
#include "brm/schema.hpp"
#include "brm/snapshot.hpp"

namespace brm {

class RecordSchemas {
 public:
  // Compiles the repository's own schemas found in `files` (paths schema/<kind>.schema.yaml);
  // a broken one is a finding on its file and is left out.
  RecordSchemas(const std::vector<SourceFile>& files, Diagnostics* findings);
  ~RecordSchemas();

  // Validates a record's document: the built-in schema of its kind, then the
  // repository's own. Appends findings; returns true when both pass.
  bool validate(KindId kind, const Value& doc, std::string_view file, Diagnostics* findings) const;
  bool is_valid(KindId kind, const Value& doc) const;
  bool validate_settings(const Value& doc, std::string_view file, Diagnostics* findings) const;

  // The built-in schema document of a kind (for key order and field lists).
  static const Value& builtin_document(KindId kind);
  // brm.yaml's schema, and the definitions the others share (urn:brm:schema:common).
  static const Value& settings_document();
  static const Value& common_document();

 private:
  std::array<std::unique_ptr<CompiledSchema>, kind_count> extra_;
};

// The URIs brm's own schemas are known by, as their $id says.
constexpr std::string_view common_schema_uri = "urn:brm:schema:common";
constexpr std::string_view settings_schema_uri = "urn:brm:schema:settings";
std::string builtin_schema_uri(KindId kind);  // urn:brm:schema:<kind>

// The registry of brm's own schema documents: it resolves their $refs for the schema
// model (brm/schema_model.hpp) and compiles them for validation.
SchemaRegistry& builtin_registry();
// The registry of repositories' own schemas, which may $ref brm's shared definitions by
// URN but never change brm's own documents.
SchemaRegistry& repository_registry();

// The built-in schemas, compiled once per process.
const CompiledSchema& builtin_schema(KindId kind);
const CompiledSchema& settings_schema();

}  // namespace brm

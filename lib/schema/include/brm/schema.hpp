// A JSON Schema (draft 2020-12) validator over brm's document tree. A schema is
// compiled once and then validates many documents; validation is const and may run
// on several threads at once. Findings carry the instance position and a message a
// person understands, with a stable rule id.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "brm/value.hpp"

namespace brm {

struct SchemaFinding {
  std::string instance_path;  // JSON pointer into the instance, e.g. "/services/0/levels/1/unit"
  Mark mark;                  // where in the file (the key's position for unknown fields)
  std::string keyword;        // the failing keyword, e.g. "required"
  std::string rule;           // brm rule id, e.g. "missing-field" (table in schema.cpp)
  std::string message;        // e.g. "expected a date YYYY-MM-DD, got '03/04/2026'"
};

struct SchemaOptions {
  bool format_assertion = true;  // 2020-12 default is annotation only; brm asserts
};

class SchemaRegistry;  // documents known by URI: the embedded meta-schemas, remotes, brm's own

class CompiledSchema {
 public:
  ~CompiledSchema();
  CompiledSchema(CompiledSchema&&) noexcept;
  CompiledSchema& operator=(CompiledSchema&&) noexcept;

  // Fast path: no findings are built.
  bool is_valid(const Value& instance) const;
  // Appends findings; returns true when valid.
  bool validate(const Value& instance, std::vector<SchemaFinding>* findings) const;

  struct Impl;

 private:
  friend class SchemaRegistry;
  explicit CompiledSchema(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class SchemaRegistry {
 public:
  SchemaRegistry();  // the 2020-12 meta-schemas are built in
  ~SchemaRegistry();
  SchemaRegistry(const SchemaRegistry&) = delete;
  SchemaRegistry& operator=(const SchemaRegistry&) = delete;

  // Makes a document available to $ref under `uri` (and under its own $id, if any).
  void add(std::string uri, Value document);

  // Compiles `schema` (its base URI is `uri` unless it has an $id). Throws
  // brm::Error(ExitCode::Usage-free: DataErrors) with a message naming the problem when the
  // schema itself is broken (an unresolvable $ref, a bad regex).
  CompiledSchema compile(const Value& schema, std::string uri, SchemaOptions options = {});
  // Compiles a document added before under `uri`, without a second copy of it.
  CompiledSchema compile_added(const std::string& uri, SchemaOptions options = {});

  // The schema a $ref names, resolved as the compiler resolves it against the base URI of
  // the schema that holds the $ref; nullptr when it names nothing known. `target_base`
  // receives the base URI that $refs inside the target resolve against.
  const Value* resolve(std::string_view base_uri, std::string_view ref,
                       std::string* target_base = nullptr);

  struct Impl;

 private:
  CompiledSchema compile_stored(const Value* root, const std::string& uri, SchemaOptions options);
  std::unique_ptr<Impl> impl_;
};

}  // namespace brm

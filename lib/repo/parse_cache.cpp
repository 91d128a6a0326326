// Parsing one record file; the parse cache: a map from (schemas, path, blob id) to what the file
// became.
#include "brm/parse_cache.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "brm/error.hpp"
#include "brm/git.hpp"
#include "brm/schemas.hpp"
#include "brm/yaml.hpp"

namespace brm {

ParsedFile parse_record(const SourceFile& f, const Kind& kind, std::string_view id,
                        const RecordSchemas& schemas) {
  ParsedFile p;
  if (!is_valid_id(id))
    p.findings.push_back({f.path, 0, 0, Severity::Error, "bad-id",
                          fmt::format("'{}' is not a valid id: use lowercase letters, digits and "
                                      "'-' (at most 64, starting with a letter or digit)",
                                      id)});
  Value doc;
  if (!parse_yaml(f.content, f.path, &doc, &p.findings)) return p;
  if (!doc.is_mapping()) {
    p.findings.push_back({f.path, doc.mark().line, doc.mark().column, Severity::Error,
                          "not-a-mapping",
                          fmt::format("a record is a mapping of fields, not {}",
                                      doc.is_sequence() ? "a list" : "a single value")});
    return p;
  }
  Diagnostics schema_findings;
  bool valid = schemas.validate(kind.id, doc, f.path, &schema_findings);
  if (!valid) {
    // A record in the wrong folder shows up as a heap of unknown fields; say what it is.
    bool unknown = std::any_of(schema_findings.begin(), schema_findings.end(),
                               [](const Diagnostic& d) { return d.rule == "unknown-field"; });
    if (unknown) {
      for (const Kind& other : kinds()) {
        if (other.id == kind.id || !builtin_schema(other.id).is_valid(doc)) continue;
        schema_findings = {
            {f.path, doc.mark().line, doc.mark().column, Severity::Error, "wrong-folder",
             fmt::format("this is a {} record; it belongs in {}/", other.name, other.folder)}};
        break;
      }
    }
  }
  for (auto& d : schema_findings) p.findings.push_back(std::move(d));
  if (!is_valid_id(id)) return p;
  Record r;
  r.kind = kind.id;
  r.id = std::string(id);
  r.doc = std::move(doc);
  r.valid = valid;
  p.record = std::move(r);
  return p;
}

ParsedFile parse_record_file(const SourceFile& file, const RecordSchemas& schemas) {
  std::string_view id;
  const Kind* kind = kind_of_record_path(file.path, &id);
  if (!kind) throw Error(ExitCode::Io, fmt::format("'{}' is not a record file", file.path));
  return parse_record(file, *kind, id, schemas);
}

std::string ParseCache::schemas_key(const std::vector<SourceFile>& files) {
  std::string key;
  for (const SourceFile& f : files) {
    if (f.path.rfind("schema/", 0) != 0) continue;
    // A schema from the work tree has no blob id; its text then stands for itself.
    key += f.path + '\n' + (f.blob_id.empty() ? f.content : f.blob_id) + '\n';
  }
  // Hashed, since it is part of every entry's key and schemas can be long.
  return key.empty() ? key : blob_id_of(key);
}

std::string ParseCache::key(std::string_view schemas_key, const SourceFile& file) {
  std::string k;
  k.reserve(schemas_key.size() + file.path.size() + file.blob_id.size() + 2);
  k.append(schemas_key).append(1, '\0').append(file.path).append(1, '\0').append(file.blob_id);
  return k;
}

const ParsedFile* ParseCache::find(std::string_view schemas_key, const SourceFile& file) const {
  if (file.blob_id.empty()) return nullptr;
  std::string k = key(schemas_key, file);
  std::shared_lock lock(mutex_);
  auto it = entries_.find(k);
  if (it == entries_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  return &it->second;
}

bool ParseCache::fetch(std::string_view schemas_key, const SourceFile& file, ParsedFile* out) {
  const ParsedFile* hit = find(schemas_key, file);
  if (!hit) return false;
  // Entries are never erased, and each path is loaded once per load: moving out of an
  // entry while other threads read other entries is safe.
  if (single_use_)
    *out = std::move(*const_cast<ParsedFile*>(hit));
  else
    *out = *hit;
  return true;
}

void ParseCache::insert(std::string_view schemas_key, const SourceFile& file,
                        const ParsedFile& parsed) {
  if (file.blob_id.empty() || lookup_only_) return;
  insert(schemas_key, file, ParsedFile(parsed));
}

void ParseCache::insert(std::string_view schemas_key, const SourceFile& file, ParsedFile&& parsed) {
  if (file.blob_id.empty() || lookup_only_) return;
  std::string k = key(schemas_key, file);
  std::unique_lock lock(mutex_);
  entries_.try_emplace(std::move(k), std::move(parsed));
}

std::size_t ParseCache::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace brm

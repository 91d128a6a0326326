// The parse cache: a map from (schemas, path, blob id) to what the file became.
#include "brm/parse_cache.hpp"

#include <mutex>

#include "brm/git.hpp"

namespace brm {

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

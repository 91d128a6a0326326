// The on-disk record cache: a flat binary file of (path, stamp, blob id, parsed file)
// entries behind a header that names the brm binary and the repository's schemas.
// Reading is bounds-checked throughout: a damaged cache is ignored, never trusted.
#include "brm/record_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "brm/files.hpp"
#include "brm/git.hpp"
#include "brm/parse_cache.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

constexpr std::string_view magic = "BRMCACHE";
constexpr std::uint32_t format_version = 2;
constexpr std::int64_t racy_ns = 2'000'000'000;

// The running binary, by path, size and modification time: a rebuilt brm (new rules,
// new built-in schemas) never reads an older one's cache.
std::string binary_identity() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  struct ::stat st {};
  if (ec || ::stat(exe.c_str(), &st) != 0) return std::string("brm ") + BRM_VERSION;
  return fmt::format("brm {} {} {} {}.{}", BRM_VERSION, exe.string(), st.st_size,
                     st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

class Writer {
 public:
  std::string out;
  template <class T>
  void raw(T v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(std::string_view s) {
    raw<std::uint64_t>(s.size());
    out.append(s);
  }
  void mark(Mark m) {
    raw(m.line);
    raw(m.column);
  }
  void value(const Value& v) {
    raw(static_cast<std::uint8_t>(v.type()));
    mark(v.mark());
    switch (v.type()) {
      case Value::Type::Null: break;
      case Value::Type::Bool: raw<std::uint8_t>(v.as_bool() ? 1 : 0); break;
      case Value::Type::Int: raw(v.as_int()); break;
      case Value::Type::Float: raw(v.as_double()); break;
      case Value::Type::String: str(v.as_string()); break;
      case Value::Type::Sequence:
        raw<std::uint64_t>(v.items().size());
        for (const Value& i : v.items()) value(i);
        break;
      case Value::Type::Mapping:
        raw<std::uint64_t>(v.entries().size());
        for (const auto& e : v.entries()) {
          str(e.key);
          mark(e.key_mark);
          value(e.value);
        }
        break;
    }
  }
  void parsed(const ParsedFile& p) {
    raw<std::uint8_t>(p.record ? 1 : 0);
    if (p.record) {
      raw(static_cast<std::uint8_t>(p.record->kind));
      str(p.record->id);
      str(p.record->path);
      raw<std::uint8_t>(p.record->valid ? 1 : 0);
      value(p.record->doc);
    }
    diagnostics(p.findings);
  }
  void diagnostics(const Diagnostics& ds) {
    raw<std::uint64_t>(ds.size());
    for (const Diagnostic& d : ds) {
      str(d.file);
      raw(d.line);
      raw(d.column);
      raw(static_cast<std::uint8_t>(d.severity));
      str(d.rule);
      str(d.message);
    }
  }
};

class Reader {
 public:
  explicit Reader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }

  template <class T>
  T raw() {
    T v{};
    if (static_cast<std::size_t>(end_ - p_) < sizeof v) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  std::string str() {
    auto n = raw<std::uint64_t>();
    if (!ok_ || n > static_cast<std::uint64_t>(end_ - p_)) {
      ok_ = false;
      return {};
    }
    std::string s(p_, static_cast<std::size_t>(n));
    p_ += n;
    return s;
  }
  Mark mark() {
    Mark m;
    m.line = raw<std::uint32_t>();
    m.column = raw<std::uint32_t>();
    return m;
  }
  // A count of things that each take at least `min_size` bytes: never more than remain.
  std::size_t count(std::size_t min_size) {
    auto n = raw<std::uint64_t>();
    if (!ok_ || n > static_cast<std::uint64_t>(end_ - p_) / min_size) {
      ok_ = false;
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
  Value value(int depth = 0) {
    if (depth > 128) {
      ok_ = false;
      return {};
    }
    auto type = raw<std::uint8_t>();
    Mark m = mark();
    if (!ok_) return {};
    switch (static_cast<Value::Type>(type)) {
      case Value::Type::Null: return Value::null(m);
      case Value::Type::Bool: return Value::boolean(raw<std::uint8_t>() != 0, m);
      case Value::Type::Int: return Value::integer(raw<std::int64_t>(), m);
      case Value::Type::Float: return Value::floating(raw<double>(), m);
      case Value::Type::String: return Value::string(str(), m);
      case Value::Type::Sequence: {
        Value v = Value::sequence(m);
        std::size_t n = count(9);
        v.items().reserve(n);
        for (std::size_t i = 0; i < n && ok_; ++i) v.items().push_back(value(depth + 1));
        return v;
      }
      case Value::Type::Mapping: {
        Value v = Value::mapping(m);
        std::size_t n = count(25);
        v.entries().reserve(n);
        for (std::size_t i = 0; i < n && ok_; ++i) {
          std::string key = str();
          Mark km = mark();
          Value item = value(depth + 1);
          v.entries().push_back({std::move(key), km, std::move(item)});
        }
        return v;
      }
    }
    ok_ = false;
    return {};
  }
  ParsedFile parsed() {
    ParsedFile p;
    if (raw<std::uint8_t>() != 0) {
      Record r;
      auto kind = raw<std::uint8_t>();
      if (kind >= kind_count) ok_ = false;
      r.kind = static_cast<KindId>(kind);
      r.id = str();
      r.path = str();
      r.valid = raw<std::uint8_t>() != 0;
      r.doc = value();
      p.record = std::move(r);
    }
    diagnostics(&p.findings);
    return p;
  }
  void diagnostics(Diagnostics* out) {
    std::size_t n = count(41);
    for (std::size_t i = 0; i < n && ok_; ++i) {
      Diagnostic d;
      d.file = str();
      d.line = raw<std::uint32_t>();
      d.column = raw<std::uint32_t>();
      auto sev = raw<std::uint8_t>();
      if (sev > static_cast<std::uint8_t>(Severity::Error)) ok_ = false;
      d.severity = static_cast<Severity>(sev);
      d.rule = str();
      d.message = str();
      out->push_back(std::move(d));
    }
  }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

// Where one file's parsed form lies in the data section; decoded only when needed.
struct IndexEntry {
  FileStamp stamp;
  std::string blob_id;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct CacheFile {
  std::string buffer;  // the whole file; `data` points into it
  std::string schemas_key;
  std::int64_t saved_at_ns = 0;
  // The findings of the last whole load, valid while result_key and every file match.
  std::string result_key;
  std::uint64_t result_files = 0;
  Diagnostics result_findings;
  std::unordered_map<std::string, IndexEntry> index;  // by path
  std::string_view data;
};

bool read_diagnostics(Reader& r, Diagnostics* out) {
  r.diagnostics(out);
  return r.ok();
}

bool read_cache(const fs::path& path, const std::string& identity, CacheFile* cache) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  std::string& buf = cache->buffer;
  buf.resize(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())));
  in.seekg(0);
  if (!in.read(buf.data(), static_cast<std::streamsize>(buf.size()))) return false;
  if (buf.compare(0, magic.size(), magic) != 0) return false;
  Reader r(std::string_view(buf).substr(magic.size()));
  if (r.raw<std::uint32_t>() != format_version || r.str() != identity) return false;
  cache->schemas_key = r.str();
  cache->saved_at_ns = r.raw<std::int64_t>();
  cache->result_key = r.str();
  cache->result_files = r.raw<std::uint64_t>();
  if (!read_diagnostics(r, &cache->result_findings)) return false;
  std::size_t n = r.count(40);
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    std::string p = r.str();
    IndexEntry e;
    e.stamp.mtime_ns = r.raw<std::int64_t>();
    e.stamp.size = r.raw<std::uint64_t>();
    e.stamp.inode = r.raw<std::uint64_t>();
    e.blob_id = r.str();
    e.offset = r.raw<std::uint64_t>();
    e.length = r.raw<std::uint64_t>();
    cache->index.emplace(std::move(p), std::move(e));
  }
  std::string data = r.str();  // checks the length; the view below avoids the copy
  if (!r.ok() || !r.at_end()) return false;
  cache->data = std::string_view(buf).substr(buf.size() - data.size());
  for (const auto& [p, e] : cache->index)
    if (e.offset > cache->data.size() || e.length > cache->data.size() - e.offset) return false;
  return true;
}

// One file's parsed form from the data section; false when it does not decode whole.
bool decode_entry(const CacheFile& cache, const IndexEntry& e, ParsedFile* out) {
  Reader r(cache.data.substr(e.offset, e.length));
  *out = r.parsed();
  return r.ok() && r.at_end();
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool cache_disabled() {
  const char* v = std::getenv("BRM_CACHE");
  return v && (std::string_view(v) == "off" || std::string_view(v) == "0");
}

}  // namespace

// The git folder that holds `dir`, found as git does: the nearest `.git` folder, or a
// `.git` file naming one (worktrees, submodules). Done by hand because initialising
// libgit2 costs more than a cached check.
fs::path find_git_dir(const fs::path& dir) {
  std::error_code ec;
  for (fs::path d = dir;; d = d.parent_path()) {
    fs::path dot_git = d / ".git";
    auto st = fs::symlink_status(dot_git, ec);
    if (fs::is_directory(st)) return dot_git;
    if (fs::is_regular_file(st)) {
      std::ifstream in(dot_git);
      std::string line;
      std::getline(in, line);
      if (line.rfind("gitdir: ", 0) == 0) {
        fs::path target = line.substr(8);
        return target.is_absolute() ? target : d / target;
      }
    }
    if (d == d.parent_path()) return {};
  }
}

fs::path record_cache_path(const fs::path& root) {
  std::string name = fmt::format("records-{:016x}.cache", std::hash<std::string>{}(root.string()));
  if (fs::path git_dir = find_git_dir(root); !git_dir.empty()) return git_dir / "brm" / name;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  fs::path base = xdg && *xdg ? fs::path(xdg) : home && *home ? fs::path(home) / ".cache" : fs::path();
  return base.empty() ? base : base / "brm" / name;
}

namespace {

// A brm killed while writing the cache leaves `.<cache name>.<hex>.brm-tmp` beside it, and
// nothing else removes those (readers take no lock): the next write of the cache does,
// once they are a minute old and so no other process's write in progress.
void remove_stale_temps(const fs::path& cache_path) {
  std::string prefix = fmt::format(".{}.", cache_path.filename().string());
  constexpr std::string_view suffix = ".brm-tmp";
  auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (fs::directory_iterator it(cache_path.parent_path(), ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    std::error_code old_ec;
    auto written = fs::last_write_time(it->path(), old_ec);
    if (!old_ec && now - written > std::chrono::minutes(1)) fs::remove(it->path(), old_ec);
  }
}

// The loading behind load_worktree and check_worktree. With `findings_only`, a repository
// whose files, schemas, settings and day all match the last run's gets that run's
// findings and no records (*repo stays empty).
void load_through_cache(const fs::path& root, Diagnostics* findings, LoadOptions options,
                        bool findings_only, Repository* repo) {
  fs::path cache_path = cache_disabled() ? fs::path() : record_cache_path(root);
  if (cache_path.empty()) {
    *repo = load_repository(read_worktree(root), findings, options);
    return;
  }
  std::string identity = binary_identity();
  CacheFile disk;
  if (!read_cache(cache_path, identity, &disk)) disk = CacheFile();

  // Files the cache may stand in for without being read: same stamp, and not written
  // so close to the cache that a change within the clock's resolution could hide.
  std::unordered_map<std::string, FileStamp> stamps;
  std::unordered_set<std::string> reused;
  ReuseFile reuse = [&](const std::string& path, const FileStamp& stamp, SourceFile* out) {
    stamps[path] = stamp;
    auto it = disk.index.find(path);
    if (it == disk.index.end() || !(it->second.stamp == stamp) ||
        stamp.mtime_ns >= disk.saved_at_ns - racy_ns)
      return false;
    out->blob_id = it->second.blob_id;
    reused.insert(path);
    return true;
  };
  Snapshot snap = read_worktree(root, reuse);
  std::string schemas_key = ParseCache::schemas_key(snap.files);
  bool schemas_changed = schemas_key != disk.schemas_key;

  // What else the findings depend on: the day (rules about dates), the settings, and
  // the files the listing passed over.
  std::string result_key = today().str();
  for (const SourceFile& f : snap.files)
    if (f.path == "brm.yaml") result_key.append("\n").append(blob_id_of(f.content));
  for (const Diagnostic& d : snap.findings) result_key.append("\n").append(format_text(d));

  bool unchanged = !schemas_changed && reused.size() == stamps.size() &&
                   stamps.size() == disk.index.size();
  if (findings_only && unchanged && result_key == disk.result_key) {
    *findings = std::move(disk.result_findings);
    repo->files = static_cast<std::size_t>(disk.result_files);
    return;
  }

  for (SourceFile& f : snap.files) {
    if (!stamps.count(f.path)) continue;  // brm.yaml and schemas: always read
    if (reused.count(f.path)) {
      if (!schemas_changed) continue;
      std::ifstream in(root / f.path, std::ios::binary | std::ios::ate);
      f.content.resize(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())));
      in.seekg(0);
      in.read(f.content.data(), static_cast<std::streamsize>(f.content.size()));
    }
    f.blob_id = blob_id_of(f.content);
  }

  ParseCache cache;
  std::vector<std::pair<std::string, std::string>> record_files;  // path, blob id
  for (const SourceFile& f : snap.files) {
    if (!stamps.count(f.path)) continue;
    record_files.emplace_back(f.path, f.blob_id);
    auto it = disk.index.find(f.path);
    ParsedFile parsed;
    if (!schemas_changed && it != disk.index.end() && it->second.blob_id == f.blob_id &&
        decode_entry(disk, it->second, &parsed))
      cache.insert(schemas_key, f, std::move(parsed));
  }
  // Written back when it learnt anything; when not, its entries can be moved into the
  // repository instead of copied.
  bool write_back = !unchanged || result_key != disk.result_key;
  cache.set_single_use(!write_back);
  options.cache = &cache;
  std::size_t before = findings->size();
  *repo = load_repository(std::move(snap), findings, options);
  if (!write_back && cache.misses() == 0) return;

  // Written whole and atomically: a reader never sees half a cache, and a failure to
  // write (a read-only .git in CI) costs only speed.
  Writer data;
  Writer index;
  std::uint64_t n = 0;
  for (const auto& [path, blob] : record_files) {
    const ParsedFile* p = cache.find(schemas_key, SourceFile{path, {}, blob});
    if (!p) continue;
    std::size_t offset = data.out.size();
    data.parsed(*p);
    index.str(path);
    const FileStamp& st = stamps[path];
    index.raw(st.mtime_ns);
    index.raw(st.size);
    index.raw(st.inode);
    index.str(blob);
    index.raw<std::uint64_t>(offset);
    index.raw<std::uint64_t>(data.out.size() - offset);
    ++n;
  }
  Writer w;
  w.out.append(magic);
  w.raw(format_version);
  w.str(identity);
  w.str(schemas_key);
  w.raw(now_ns());
  w.str(result_key);
  w.raw<std::uint64_t>(repo->files);
  w.diagnostics(Diagnostics(findings->begin() + static_cast<std::ptrdiff_t>(before), findings->end()));
  w.raw(n);
  w.out.append(index.out);
  w.str(data.out);
  try {
    make_folders(cache_path.parent_path());
    remove_stale_temps(cache_path);
    write_file_atomic(cache_path, w.out);
  } catch (const std::exception&) {
  }
}

}  // namespace

Repository load_worktree(const fs::path& root, Diagnostics* findings, LoadOptions options) {
  Repository repo;
  load_through_cache(root, findings, std::move(options), false, &repo);
  return repo;
}

std::size_t check_worktree(const fs::path& root, Diagnostics* findings, LoadOptions options) {
  Repository repo;
  options.findings_only = true;
  load_through_cache(root, findings, std::move(options), true, &repo);
  std::size_t files = repo.files;
  // Freeing tens of thousands of records costs more than a cached check itself, and
  // the caller only wanted the findings (ninja skips its cleanup at exit likewise).
  // Held through a pointer that is never freed, so that LeakSanitizer still sees the
  // records reachable at exit (a static vector would be destroyed first).
  static auto* kept = new std::vector<Repository*>;
  kept->push_back(new Repository(std::move(repo)));
  return files;
}

}  // namespace brm

// The on-disk record cache: a flat binary file of (path, stamp, blob id, parsed file)
// entries behind a header that names the brm binary and the repository's schemas.
// Reading is bounds-checked throughout: a damaged cache is ignored, never trusted.
#include "brm/record_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "brm/checksum.hpp"
#include "brm/files.hpp"
#include "brm/git.hpp"
#include "brm/parse_cache.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

constexpr std::string_view magic = "BRMCACHE";
constexpr std::uint32_t format_version = 7;  // 7: stamps with ctime and device
constexpr std::int64_t racy_ns = 2'000'000'000;
// How much of the mapped cache a reader decodes before letting it go (MappedFile::release).
constexpr std::uint64_t release_stretch = std::uint64_t{4} << 20;

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

constexpr std::size_t seal_size = sizeof(std::uint64_t);

// What a sealed piece holds without its checksum; nullopt when the checksum disagrees.
std::optional<std::string_view> unseal(std::string_view sealed) {
  if (sealed.size() < seal_size) return std::nullopt;
  std::string_view body = sealed.substr(0, sealed.size() - seal_size);
  std::uint64_t stored;
  std::memcpy(&stored, sealed.data() + body.size(), seal_size);
  if (stored != checksum(body)) return std::nullopt;
  return body;
}

class Writer {
 public:
  std::string out;
  // Ends a piece (an entry, the tail) with the checksum of everything written to it.
  void seal() { raw(checksum(out)); }
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
  // A string left in the cache's memory: valid while the cache is mapped.
  std::string_view view() {
    auto n = raw<std::uint64_t>();
    if (!ok_ || n > static_cast<std::uint64_t>(end_ - p_)) {
      ok_ = false;
      return {};
    }
    std::string_view s(p_, static_cast<std::size_t>(n));
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
  // Steps over a value as value() would read it, building nothing.
  void skip_value(int depth = 0) {
    if (depth > 128) {
      ok_ = false;
      return;
    }
    auto type = raw<std::uint8_t>();
    mark();
    if (!ok_) return;
    switch (static_cast<Value::Type>(type)) {
      case Value::Type::Null: return;
      case Value::Type::Bool: raw<std::uint8_t>(); return;
      case Value::Type::Int: raw<std::int64_t>(); return;
      case Value::Type::Float: raw<double>(); return;
      case Value::Type::String: view(); return;
      case Value::Type::Sequence:
        for (std::size_t i = 0, n = count(9); i < n && ok_; ++i) skip_value(depth + 1);
        return;
      case Value::Type::Mapping:
        for (std::size_t i = 0, n = count(25); i < n && ok_; ++i) {
          view();
          mark();
          skip_value(depth + 1);
        }
        return;
    }
    ok_ = false;
  }
  // A record's top-level mapping with only the members `keep` names, in file order.
  Value selected(const std::vector<std::string_view>& keep) {
    auto type = raw<std::uint8_t>();
    Mark m = mark();
    if (!ok_ || static_cast<Value::Type>(type) != Value::Type::Mapping) {
      ok_ = false;  // a record is always a mapping
      return {};
    }
    Value v = Value::mapping(m);
    std::size_t n = count(25);
    v.entries().reserve(std::min(n, keep.size()));
    for (std::size_t i = 0; i < n && ok_; ++i) {
      std::string_view key = view();
      Mark km = mark();
      if (std::find(keep.begin(), keep.end(), key) == keep.end()) {
        skip_value(1);
        continue;
      }
      Value item = value(1);
      v.entries().push_back({std::string(key), km, std::move(item)});
    }
    return v;
  }
  // What parsed() reads, without the findings and with the document limited to `fields`.
  std::optional<Record> selected_record(const FieldSelection& fields) {
    std::optional<Record> out;
    if (raw<std::uint8_t>() != 0) {
      Record r;
      auto kind = raw<std::uint8_t>();
      if (kind >= kind_count) {
        ok_ = false;
        return out;
      }
      r.kind = static_cast<KindId>(kind);
      r.id = str();
      r.valid = raw<std::uint8_t>() != 0;
      r.doc = selected(fields[kind]);
      out = std::move(r);
    }
    for (std::size_t i = 0, n = count(41); i < n && ok_; ++i) {
      view();
      raw<std::uint32_t>();
      raw<std::uint32_t>();
      raw<std::uint8_t>();
      view();
      view();
    }
    return out;
  }
  ParsedFile parsed() {
    ParsedFile p;
    if (raw<std::uint8_t>() != 0) {
      Record r;
      auto kind = raw<std::uint8_t>();
      if (kind >= kind_count) ok_ = false;
      r.kind = static_cast<KindId>(kind);
      r.id = str();
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

// A file mapped read-only, so that only the parts a run decodes are read in. The cache is
// only ever replaced by a rename, never written in place, so the mapping cannot change.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_) ::munmap(data_, size_);
  }
  bool map(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct ::stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p =
          ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = p;
        size_ = static_cast<std::size_t>(st.st_size);
      }
    }
    ::close(fd);
    return data_ != nullptr;
  }
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }
  // Lets the pages wholly inside `part` (a piece of view()) go from this process's
  // memory; they stay in the page cache, and reading them again maps them again.
  void release(std::string_view part) const {
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    auto begin = reinterpret_cast<std::uintptr_t>(part.data());
    auto end = begin + part.size();
    begin = (begin + page - 1) / page * page;
    end = end / page * page;
    if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
  }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

// Where one file's parsed form lies in the data section; decoded only when needed.
struct IndexEntry {
  std::string_view path;  // in the mapping, as blob_id
  FileStamp stamp;
  std::string_view blob_id;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  // What this run's listing found: the file, and whether its stamp vouches for the entry.
  bool seen = false;
  bool reused = false;
};

struct CacheFile {
  MappedFile file;  // the strings below marked so point into it
  std::string schemas_key;
  std::int64_t saved_at_ns = 0;
  // The findings of the last whole load, valid while result_key and every file match.
  std::string result_key;
  std::uint64_t result_files = 0;
  Diagnostics result_findings;
  std::vector<IndexEntry> index;  // in the order written, which is the listing's order
  std::string_view data;          // in the mapping

  // The entry of `path`, nullptr when none. A listing asks in the order the entries were
  // written, so the next entry is tried first and the map is built only on a miss.
  IndexEntry* find(std::string_view path) {
    if (next_ < index.size() && index[next_].path == path) return &index[next_++];
    if (by_path_.empty())
      for (std::size_t i = 0; i < index.size(); ++i) by_path_.emplace(index[i].path, i);
    auto it = by_path_.find(path);
    if (it == by_path_.end()) return nullptr;
    next_ = it->second + 1;
    return &index[it->second];
  }
  void rewind() { next_ = 0; }

  // Forgets what was read (a damaged cache), keeping the mapping the views point into.
  void clear() {
    schemas_key.clear();
    saved_at_ns = 0;
    result_key.clear();
    result_files = 0;
    result_findings.clear();
    index.clear();
    data = {};
    by_path_.clear();
    next_ = 0;
  }

 private:
  std::unordered_map<std::string_view, std::size_t> by_path_;
  std::size_t next_ = 0;
};

bool read_diagnostics(Reader& r, Diagnostics* out) {
  r.diagnostics(out);
  return r.ok();
}

// The file: magic, version, binary identity | each file's entry, in the order they were
// parsed | the tail: schemas, time, last result, index | the tail's offset, magic. The
// entries come first so that they can be written while the files are parsed.
bool read_cache(const fs::path& path, const std::string& identity, CacheFile* cache) {
  if (!cache->file.map(path)) return false;
  std::string_view buf = cache->file.view();
  constexpr std::size_t footer = sizeof(std::uint64_t) + magic.size();
  if (buf.size() < magic.size() + footer || buf.substr(0, magic.size()) != magic ||
      buf.substr(buf.size() - magic.size()) != magic)
    return false;
  Reader head(buf.substr(magic.size()));
  if (head.raw<std::uint32_t>() != format_version || head.str() != identity) return false;
  const std::size_t data_start = magic.size() + sizeof(std::uint32_t) + sizeof(std::uint64_t) + identity.size();
  std::uint64_t tail_offset = 0;
  std::memcpy(&tail_offset, buf.data() + buf.size() - footer, sizeof tail_offset);
  if (tail_offset < data_start || tail_offset > buf.size() - footer) return false;
  cache->data = buf.substr(data_start, static_cast<std::size_t>(tail_offset) - data_start);
  std::optional<std::string_view> tail = unseal(buf.substr(
      static_cast<std::size_t>(tail_offset), buf.size() - footer - static_cast<std::size_t>(tail_offset)));
  if (!tail) return false;
  Reader r(*tail);
  cache->schemas_key = r.str();
  cache->saved_at_ns = r.raw<std::int64_t>();
  cache->result_key = r.str();
  cache->result_files = r.raw<std::uint64_t>();
  if (!read_diagnostics(r, &cache->result_findings)) return false;
  std::size_t n = r.count(40);
  cache->index.reserve(n);
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    IndexEntry e;
    e.path = r.view();
    e.stamp.mtime_ns = r.raw<std::int64_t>();
    e.stamp.size = r.raw<std::uint64_t>();
    e.stamp.inode = r.raw<std::uint64_t>();
    e.stamp.ctime_ns = r.raw<std::int64_t>();
    e.stamp.device = r.raw<std::uint64_t>();
    e.blob_id = r.view();
    e.offset = r.raw<std::uint64_t>();
    e.length = r.raw<std::uint64_t>();
    cache->index.push_back(e);
  }
  if (!r.ok() || !r.at_end()) return false;
  for (const IndexEntry& e : cache->index)
    if (e.offset > cache->data.size() || e.length > cache->data.size() - e.offset) return false;
  return true;
}

// One file's parsed form from the data section; false when it does not decode whole.
bool decode_entry(const CacheFile& cache, const IndexEntry& e, ParsedFile* out) {
  std::optional<std::string_view> bytes = unseal(cache.data.substr(e.offset, e.length));
  if (!bytes) return false;
  Reader r(*bytes);
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

// What a caller of load_through_cache wants.
struct Wanted {
  // Only the findings: a repository whose files, schemas, settings and day all match the
  // last run's gets that run's findings and no records (*repo stays empty).
  bool findings_only = false;
  // Only these fields of the records, and no findings at all (nullptr: everything).
  const FieldSelection* fields = nullptr;
};

// A record file, as load_repository takes one (read_worktree lists besides them only
// brm.yaml and the schemas).
bool is_record_file(std::string_view path) { return kind_of_record_path(path) != nullptr; }

// Every record straight from the cache, limited to `fields`, when no record file changed:
// no parsing, no validation, no rules. brm.yaml (for the settings) and the schemas go
// through load_repository as usual. False when an entry does not decode.
bool load_selected(const CacheFile& disk, const Snapshot& snap, const FieldSelection& fields,
                   Repository* repo) {
  // The index holds exactly the record files (each was reused).
  Snapshot base;
  for (const SourceFile& f : snap.files)
    if (!is_record_file(f.path)) base.files.push_back(f);
  Diagnostics ignored;
  LoadOptions options;
  options.rules = false;
  *repo = load_repository(std::move(base), &ignored, options);
  repo->files = snap.files.size() + snap.left_out;
  repo->record_files = disk.index.size();
  std::array<std::size_t, kind_count> per_kind{};
  for (const IndexEntry& e : disk.index)
    if (const Kind* k = find_kind(e.path.substr(0, e.path.find('/'))))
      ++per_kind[static_cast<std::size_t>(k->id)];
  for (std::size_t k = 0; k < kind_count; ++k) repo->records[k].reserve(per_kind[k]);
  // In the order the entries lie in the file, letting each stretch go once decoded: the
  // records hold copies, and the mapping would otherwise count whole in the peak memory.
  std::vector<const IndexEntry*> in_file_order;
  in_file_order.reserve(disk.index.size());
  for (const IndexEntry& e : disk.index) in_file_order.push_back(&e);
  std::sort(in_file_order.begin(), in_file_order.end(),
            [](const IndexEntry* a, const IndexEntry* b) { return a->offset < b->offset; });
  std::uint64_t released = 0;
  for (const IndexEntry* e : in_file_order) {
    std::optional<std::string_view> bytes = unseal(disk.data.substr(e->offset, e->length));
    if (!bytes) return false;
    Reader r(*bytes);
    std::optional<Record> record = r.selected_record(fields);
    if (!r.ok() || !r.at_end()) return false;
    if (e->offset - released >= release_stretch) {
      disk.file.release(disk.data.substr(released, e->offset - released));
      released = e->offset;
    }
    if (!record) continue;
    if (!record->valid) ++repo->invalid;
    repo->of(record->kind).push_back(std::move(*record));
  }
  for (auto& rs : repo->records)
    std::sort(rs.begin(), rs.end(), [](const Record& a, const Record& b) { return a.id < b.id; });
  return true;
}

// The loading behind load_worktree, check_worktree and load_worktree_fields.
void load_through_cache(const fs::path& root, Diagnostics* findings, LoadOptions options,
                        Wanted wanted, Repository* repo) {
  if (wanted.fields) {
    options.rules = false;  // no findings wanted
    options.keep = wanted.fields;
  }
  fs::path cache_path = cache_disabled() ? fs::path() : record_cache_path(root);
  if (cache_path.empty()) {
    *repo = load_repository(read_worktree(root), findings, options);
    return;
  }
  std::string identity = binary_identity();
  CacheFile disk;
  if (!read_cache(cache_path, identity, &disk)) disk.clear();

  // Files the cache may stand in for without being read: same stamp, and not written
  // so close to the cache that a change within the clock's resolution could hide.
  std::size_t unknown = 0;  // record files the cache does not know
  std::size_t reused = 0;
  Reuse reuse;
  // A reused file is left without content and blob id: filled in below, when needed.
  reuse.file = [&](std::string_view path, const FileStamp& stamp) {
    IndexEntry* e = disk.find(path);
    if (!e) {
      ++unknown;
      return false;
    }
    e->seen = true;
    if (!(e->stamp == stamp) || stamp.mtime_ns >= disk.saved_at_ns - racy_ns) return false;
    e->reused = true;
    ++reused;
    return true;
  };
  // What the findings depend on besides the record files: the schemas, the day (rules
  // about dates), the settings, and the files the listing passed over.
  auto schemas_key_of = [](const Snapshot& s) { return ParseCache::schemas_key(s.files); };
  auto result_key_of = [](const Snapshot& s) {
    std::string key = today().str();
    for (const SourceFile& f : s.files)
      if (f.path == "brm.yaml") key.append("\n").append(blob_id_of(f.content));
    for (const Diagnostic& d : s.findings) key.append("\n").append(format_text(d));
    return key;
  };
  // When the cache holds every record file as it is, and the answer wanted comes from
  // the cache alone, the record files need not be in the snapshot at all.
  reuse.leave_out = [&](const Snapshot& others) {
    if (unknown != 0 || reused != disk.index.size() || schemas_key_of(others) != disk.schemas_key)
      return false;
    return wanted.fields || (wanted.findings_only && result_key_of(others) == disk.result_key);
  };
  // With nothing to reuse (a first run), the listing reads each file in one go.
  Snapshot snap = disk.index.empty() ? read_worktree(root) : read_worktree(root, reuse);
  if (disk.index.empty())
    unknown = static_cast<std::size_t>(std::count_if(
        snap.files.begin(), snap.files.end(), [](const SourceFile& f) { return is_record_file(f.path); }));
  std::string schemas_key = schemas_key_of(snap);
  std::string result_key = result_key_of(snap);
  bool unchanged = schemas_key == disk.schemas_key && unknown == 0 && reused == disk.index.size();
  if (wanted.findings_only && unchanged && result_key == disk.result_key) {
    *findings = std::move(disk.result_findings);
    repo->files = static_cast<std::size_t>(disk.result_files);
    return;
  }
  if (wanted.fields && unchanged && load_selected(disk, snap, *wanted.fields, repo)) return;
  if (snap.left_out > 0) {
    // An entry did not decode: list again, this time with every record file.
    unknown = reused = 0;
    for (IndexEntry& e : disk.index) e.seen = e.reused = false;
    disk.rewind();
    reuse.leave_out = nullptr;
    snap = read_worktree(root, reuse);
    schemas_key = schemas_key_of(snap);
    result_key = result_key_of(snap);
    unchanged = schemas_key == disk.schemas_key && unknown == 0 && reused == disk.index.size();
  }
  bool schemas_changed = schemas_key != disk.schemas_key;
  // A record file's cache entry; nullptr when the cache does not know it.
  auto entry_of = [&](const std::string& path) -> const IndexEntry* {
    const IndexEntry* e = disk.find(path);
    return e && e->seen ? e : nullptr;
  };

  // Each record file from its cache entry when that decodes and matches, else from its
  // text: read now if the listing left it to the cache (a damaged entry, new schemas).
  // What the cache's index will say of each: its path (taken from the load once parsed),
  // stamp, blob id, and where its entry went.
  struct RecordFile {
    std::string path;
    FileStamp stamp;
    ObjectId blob{};
    bool has_blob = false;
    std::string_view reused_bytes;  // its entry in the old file, copied as it is
    std::uint64_t offset = 0, length = 0;  // length 0: no entry (not written)
  };
  constexpr std::uint32_t no_slot = ~std::uint32_t{0};
  std::vector<RecordFile> record_files;
  std::vector<std::uint32_t> slot_of(snap.files.size(), no_slot);  // by snapshot position
  ParseCache cache;
  std::size_t decoded = 0;
  disk.rewind();
  for (std::size_t i = 0; i < snap.files.size(); ++i) {
    SourceFile& f = snap.files[i];
    if (!is_record_file(f.path)) continue;  // brm.yaml and schemas: always read
    const IndexEntry* e = entry_of(f.path);
    ParsedFile parsed;
    bool from_cache = false;
    if (e && e->reused) {
      if (!schemas_changed && decode_entry(disk, *e, &parsed)) {
        f.blob_id = std::string(e->blob_id);
        from_cache = true;
      } else {
        std::ifstream in(root / f.path, std::ios::binary | std::ios::ate);
        f.content.resize(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())));
        in.seekg(0);
        in.read(f.content.data(), static_cast<std::streamsize>(f.content.size()));
      }
    }
    if (!from_cache && e) {
      // Touched but maybe not changed: the content decides. A file the cache does not
      // know gets its blob id where it is parsed, on every core.
      f.blob_id = blob_id_of(f.content);
      from_cache = !schemas_changed && e->blob_id == f.blob_id && !e->reused &&
                   decode_entry(disk, *e, &parsed);
    }
    slot_of[i] = static_cast<std::uint32_t>(record_files.size());
    RecordFile& rf = record_files.emplace_back();
    rf.stamp = f.stamp;
    if (std::optional<ObjectId> id = object_id_from_hex(f.blob_id)) {
      rf.blob = *id;
      rf.has_blob = true;
    }
    if (from_cache) {
      rf.path = f.path;  // the load will not call back for it
      rf.reused_bytes = disk.data.substr(e->offset, e->length);
      cache.insert(schemas_key, f, std::move(parsed));
      ++decoded;
    }
  }
  // Written back when it learnt anything, a damaged entry's parse included. The entries
  // the cache stood in for are moved into the repository; their bytes are copied from
  // the old file as they are. The files parsed now are encoded on the loading threads
  // and appended as they come, and the index is written in pieces: neither is ever
  // whole in memory. Written atomically, so that a reader never sees half a cache; a
  // failure to write (a read-only .git in CI) costs only speed.
  bool write_back =
      !unchanged || result_key != disk.result_key || decoded != record_files.size();
  cache.set_single_use(true);
  cache.set_lookup_only(true);
  // An empty cache would only cost a locked lookup per file (a fresh clone's first run).
  options.cache = decoded > 0 ? &cache : nullptr;
  std::unique_ptr<AtomicFile> out;
  std::uint64_t data_start = 0;
  std::mutex out_mutex;
  bool out_failed = false;
  if (write_back) {
    try {
      make_folders(cache_path.parent_path());
      remove_stale_temps(cache_path);
      out = std::make_unique<AtomicFile>(cache_path);
      Writer head;
      head.out.append(magic);
      head.raw(format_version);
      head.str(identity);
      out->append(head.out);
      data_start = out->size();
      for (RecordFile& rf : record_files) {
        if (rf.reused_bytes.empty()) continue;
        rf.offset = out->size() - data_start;
        rf.length = rf.reused_bytes.size();
        out->append(rf.reused_bytes);
      }
    } catch (const std::exception&) {
      out.reset();
    }
  }
  if (out) {
    options.parsed = [&](std::size_t position, SourceFile& f, const ParsedFile& p) {
      std::uint32_t slot = position < slot_of.size() ? slot_of[position] : no_slot;
      if (slot == no_slot) return;
      RecordFile& rf = record_files[slot];  // this thread's alone
      if (!rf.has_blob) {
        rf.blob = blob_object_id_of(f.content);
        rf.has_blob = true;
      }
      rf.path = std::move(f.path);
      thread_local Writer w;
      w.out.clear();
      w.parsed(p);
      w.seal();
      std::lock_guard lock(out_mutex);
      if (out_failed) return;
      try {
        rf.offset = out->size() - data_start;
        rf.length = w.out.size();
        out->append(w.out);
      } catch (const std::exception&) {
        out_failed = true;  // on a loading thread: never let it escape
      }
    };
  }
  std::size_t before = findings->size();
  *repo = load_repository(std::move(snap), findings, options);
  if (!out || out_failed) return;
  std::vector<std::uint32_t>().swap(slot_of);

  try {
    std::uint64_t tail_start = out->size();
    Checksum sum;
    Writer tail;
    auto flush = [&] {
      sum.update(tail.out);
      out->append(tail.out);
      tail.out.clear();
    };
    tail.str(schemas_key);
    tail.raw(now_ns());
    tail.str(result_key);
    tail.raw<std::uint64_t>(repo->files);
    tail.diagnostics(
        Diagnostics(findings->begin() + static_cast<std::ptrdiff_t>(before), findings->end()));
    std::uint64_t n = 0;
    for (const RecordFile& rf : record_files) n += rf.length > 0 ? 1 : 0;
    tail.raw(n);
    for (const RecordFile& rf : record_files) {
      if (rf.length == 0) continue;
      tail.str(rf.path);
      tail.raw(rf.stamp.mtime_ns);
      tail.raw(rf.stamp.size);
      tail.raw(rf.stamp.inode);
      tail.raw(rf.stamp.ctime_ns);
      tail.raw(rf.stamp.device);
      tail.str(to_hex(rf.blob));
      tail.raw(rf.offset);
      tail.raw(rf.length);
      if (tail.out.size() >= (std::size_t{1} << 20)) flush();
    }
    flush();
    tail.raw(sum.value());
    tail.raw<std::uint64_t>(tail_start);  // where the tail starts
    tail.out.append(magic);
    out->append(tail.out);
    // Not synced to disk: a cache torn by a crash fails its checksums and is rebuilt.
    out->commit(AtomicFile::Sync::No);
  } catch (const std::exception&) {
  }
}

}  // namespace

struct CachedRecords::Disk {
  CacheFile file;
};

CachedRecords::CachedRecords(const fs::path& root, const FieldSelection& fields)
    : fields_(fields) {
  fs::path path = cache_disabled() ? fs::path() : record_cache_path(root);
  if (path.empty()) return;
  auto disk = std::make_unique<Disk>();
  if (read_cache(path, binary_identity(), &disk->file)) disk_ = std::move(disk);
}

CachedRecords::~CachedRecords() = default;

void CachedRecords::fill(const Snapshot& snap, ParseCache* cache) const {
  if (!disk_) return;
  CacheFile& disk = disk_->file;
  // The cache names its schemas by their text, as read from the work tree.
  std::vector<SourceFile> schemas;
  for (const SourceFile& f : snap.files)
    if (f.path.rfind("schema/", 0) == 0) schemas.push_back({f.path, f.content, {}});
  if (ParseCache::schemas_key(schemas) != disk.schemas_key) return;
  std::string key = ParseCache::schemas_key(snap.files);
  // The files the cache has, decoded in the order their entries lie in the file, each
  // stretch let go once decoded (as in load_selected): the records are copies.
  std::vector<std::pair<const IndexEntry*, const SourceFile*>> known;
  disk.rewind();
  for (const SourceFile& f : snap.files) {
    if (f.blob_id.empty() || !is_record_file(f.path)) continue;
    const IndexEntry* e = disk.find(f.path);
    if (e && e->blob_id == f.blob_id) known.emplace_back(e, &f);
  }
  std::sort(known.begin(), known.end(),
            [](const auto& a, const auto& b) { return a.first->offset < b.first->offset; });
  std::uint64_t released = 0;
  for (const auto& [e, f] : known) {
    if (e->offset - released >= release_stretch) {
      disk.file.release(disk.data.substr(released, e->offset - released));
      released = e->offset;
    }
    std::optional<std::string_view> bytes = unseal(disk.data.substr(e->offset, e->length));
    if (!bytes) continue;
    Reader r(*bytes);
    ParsedFile parsed;
    parsed.record = r.selected_record(fields_);
    if (r.ok() && r.at_end()) cache->insert(key, *f, std::move(parsed));
  }
}

Repository load_worktree(const fs::path& root, Diagnostics* findings, LoadOptions options) {
  Repository repo;
  load_through_cache(root, findings, std::move(options), Wanted{}, &repo);
  return repo;
}

Repository load_worktree_fields(const fs::path& root, const FieldSelection& fields,
                                LoadOptions options) {
  Repository repo;
  Diagnostics findings;
  load_through_cache(root, &findings, std::move(options), Wanted{false, &fields}, &repo);
  return repo;
}

std::size_t check_worktree(const fs::path& root, Diagnostics* findings, LoadOptions options) {
  Repository repo;
  options.keep = &rule_read_fields();
  load_through_cache(root, findings, std::move(options), Wanted{true, nullptr}, &repo);
  std::size_t files = repo.files;
  keep_until_exit(std::move(repo));  // the caller only wanted the findings
  return files;
}

}  // namespace brm

// The on-disk record cache: a flat binary file of (path, stamp, blob id, parsed file)
// entries behind a header that names the brm binary and the repository's schemas.
// Reading is bounds-checked throughout: a damaged cache is ignored, never trusted.
#include "brm/record_cache.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "brm/checksum.hpp"
#include "brm/files.hpp"
#include "brm/git.hpp"
#include "brm/git_handle.hpp"
#include "brm/parse_cache.hpp"
#include "brm/trace.hpp"
#include "record_cache_testing.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

constexpr std::string_view magic = "BRMCACHE";
constexpr std::uint32_t format_version = 9;  // 9: a tail may extend an earlier full index
constexpr std::int64_t racy_ns = 2'000'000'000;
// A refresh (refresh_stamps) writes the whole index again, some microseconds a file, where
// reading a racy file costs ten or so a run: it waits for at least this share of the
// files, so that a write's one new file does not cost the next run a new index.
constexpr std::size_t refresh_share = 64;
// How much of the mapped cache a reader decodes before letting it go (MappedFile::release).
constexpr std::uint64_t release_stretch = std::uint64_t{4} << 20;

// The running binary, by path, size and modification time: a rebuilt brm (new rules,
// new built-in schemas) never reads an older one's cache.
std::string binary_identity() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  struct ::stat st {};
  if (ec || ::stat(exe.c_str(), &st) != 0) return std::string("brm ") + BRM_VERSION;
  return fmt::format("brm {} {} {} {}.{}", BRM_VERSION, exe.string(), st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
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
      case Value::Type::Null:
        break;
      case Value::Type::Bool:
        raw<std::uint8_t>(v.as_bool() ? 1 : 0);
        break;
      case Value::Type::Int:
        raw(v.as_int());
        break;
      case Value::Type::Float:
        raw(v.as_double());
        break;
      case Value::Type::String:
        str(v.as_string());
        break;
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
  const char* position() const { return p_; }

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
      case Value::Type::Null:
        return Value::null(m);
      case Value::Type::Bool:
        return Value::boolean(raw<std::uint8_t>() != 0, m);
      case Value::Type::Int:
        return Value::integer(raw<std::int64_t>(), m);
      case Value::Type::Float:
        return Value::floating(raw<double>(), m);
      case Value::Type::String:
        return Value::string(str(), m);
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
      case Value::Type::Null:
        return;
      case Value::Type::Bool:
        raw<std::uint8_t>();
        return;
      case Value::Type::Int:
        raw<std::int64_t>();
        return;
      case Value::Type::Float:
        raw<double>();
        return;
      case Value::Type::String:
        view();
        return;
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
  // What parsed() reads, without the findings and with the document limited to `fields`
  // (whole when they hold every_field).
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
      const auto& keep = fields[kind];
      bool whole = std::find(keep.begin(), keep.end(), every_field) != keep.end();
      r.doc = whole ? value() : selected(keep);
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
// replaced by a rename, or appended to (note_written, under the repository's lock): bytes
// once written never change, so the mapping cannot.
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
      device_ = st.st_dev;
      inode_ = st.st_ino;
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
  // Whether `st` is of the file mapped, as it was mapped (not grown since).
  bool is(const struct ::stat& st) const {
    return data_ && st.st_dev == device_ && st.st_ino == inode_ &&
           static_cast<std::uint64_t>(st.st_size) == size_;
  }
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
  dev_t device_ = 0;
  ino_t inode_ = 0;
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
  bool verified = false;  // not vouched for by its stamp, but read and of the same content
  bool in_delta = false;  // from a tail's changes, not from the full index it extends
};

// Where a full index lies in the cache file (absolute offsets): the rows of a tail that
// holds them all, which a later tail may extend with its changes alone.
struct IndexRows {
  std::uint64_t at = 0, length = 0;  // length 0: none
  std::uint64_t count = 0;
  std::uint64_t sum = 0;  // their checksum, when `summed`
  bool summed = false;
};

struct CacheFile {
  MappedFile file;  // the strings below marked so point into it
  std::string schemas_key;
  std::int64_t saved_at_ns = 0;
  std::uint64_t generation = 0;  // new at every write of the tail
  // The findings of the last whole load, valid while result_key and every file match, and
  // the same without the rules' (the listing's, the settings', the schemas', each file's):
  // a write replaces its files' findings there and adds the rules' findings again.
  std::string result_key;
  std::uint64_t result_files = 0;
  Diagnostics result_findings;
  Diagnostics result_base;
  std::vector<IndexEntry> index;  // in the order written, which is the listing's order
  std::string_view data;          // in the mapping
  // The full index `index` comes from: the tail's own rows, or those of the earlier tail
  // it extends (then the entries it changed are in_delta).
  IndexRows rows;

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
    generation = 0;
    result_key.clear();
    result_files = 0;
    result_findings.clear();
    result_base.clear();
    index.clear();
    data = {};
    rows = {};
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

// `n` rows of an index into *out; false when they do not decode.
bool read_rows(Reader& r, std::size_t n, std::vector<IndexEntry>* out) {
  if (out->capacity() < out->size() + n) out->reserve(out->size() + n);
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
    out->push_back(e);
  }
  return r.ok();
}

// The order the listing asks for record files in (read_worktree): the kinds' folders in
// their order, the names in a folder byte by byte. A full index is written in it, so that
// the listing finds each file's entry at the cursor (CacheFile::find) and a tail's changes
// merge in without a map of every path.
std::size_t folder_rank(std::string_view folder) {
  const auto& all = kinds();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].folder == folder) return i;
  return all.size();
}

bool listing_less(std::string_view a, std::string_view b) {
  std::string_view fa = a.substr(0, a.find('/')), fb = b.substr(0, b.find('/'));
  if (fa != fb) return folder_rank(fa) < folder_rank(fb);
  return a < b;
}

// Puts rows in the listing's order, if they are not in it already.
template <class Row>
void sort_for_listing(std::vector<Row>* rows) {
  auto less = [](const Row& a, const Row& b) { return listing_less(a.path, b.path); };
  if (!std::is_sorted(rows->begin(), rows->end(), less))
    std::stable_sort(rows->begin(), rows->end(), less);
}

// A full index with a later tail's `changes`: each in its path's place, a new path where
// the listing will ask for it, in place (a second copy of a large index costs more in
// fresh pages than the merge). False when the index is not strictly in the listing's
// order, as every full index is written: the cache is then as good as damaged.
bool apply_changes(std::vector<IndexEntry> changes, std::vector<IndexEntry>* index) {
  auto less = [](const IndexEntry& a, const IndexEntry& b) { return listing_less(a.path, b.path); };
  if (!std::is_sorted(index->begin(), index->end(),
                      [&](const IndexEntry& a, const IndexEntry& b) { return !less(b, a); }))
    return false;
  for (IndexEntry& c : changes) c.in_delta = true;
  sort_for_listing(&changes);
  // Replaced where they are; then room for the new paths is opened from the back, each
  // entry moved once.
  std::vector<IndexEntry> added;
  for (IndexEntry& c : changes) {
    auto it = std::lower_bound(index->begin(), index->end(), c, less);
    if (it != index->end() && it->path == c.path)
      *it = c;
    else
      added.push_back(c);
  }
  std::size_t from = index->size();
  index->resize(from + added.size());
  std::size_t to = index->size();
  for (std::size_t a = added.size(); a-- > 0;) {
    while (from > 0 && less(added[a], (*index)[from - 1])) (*index)[--to] = (*index)[--from];
    (*index)[--to] = added[a];
  }
  return true;
}

// The file: magic, version, binary identity | each file's entry, in the order they were
// parsed | the tail: schemas, time, last result, index | the tail's offset, magic. The
// entries come first so that they can be written while the files are parsed. A tail
// appended after a write may hold only the index rows it changed, and where the full
// index it extends lies in the file (an earlier tail's rows, with their checksum).
bool read_cache(const fs::path& path, const std::string& identity, CacheFile* cache) {
  if (!cache->file.map(path)) return false;
  std::string_view buf = cache->file.view();
  constexpr std::size_t footer = sizeof(std::uint64_t) + magic.size();
  if (buf.size() < magic.size() + footer || buf.substr(0, magic.size()) != magic ||
      buf.substr(buf.size() - magic.size()) != magic)
    return false;
  Reader head(buf.substr(magic.size()));
  if (head.raw<std::uint32_t>() != format_version || head.str() != identity) return false;
  const std::size_t data_start =
      magic.size() + sizeof(std::uint32_t) + sizeof(std::uint64_t) + identity.size();
  std::uint64_t tail_offset = 0;
  std::memcpy(&tail_offset, buf.data() + buf.size() - footer, sizeof tail_offset);
  if (tail_offset < data_start || tail_offset > buf.size() - footer) return false;
  cache->data = buf.substr(data_start, static_cast<std::size_t>(tail_offset) - data_start);
  std::optional<std::string_view> tail =
      unseal(buf.substr(static_cast<std::size_t>(tail_offset),
                        buf.size() - footer - static_cast<std::size_t>(tail_offset)));
  if (!tail) return false;
  Reader r(*tail);
  cache->schemas_key = r.str();
  cache->saved_at_ns = r.raw<std::int64_t>();
  cache->generation = r.raw<std::uint64_t>();
  cache->result_key = r.str();
  cache->result_files = r.raw<std::uint64_t>();
  if (!read_diagnostics(r, &cache->result_findings) || !read_diagnostics(r, &cache->result_base))
    return false;
  IndexRows base;
  base.at = r.raw<std::uint64_t>();
  base.length = r.raw<std::uint64_t>();
  base.sum = r.raw<std::uint64_t>();
  base.count = r.raw<std::uint64_t>();
  if (!r.ok()) return false;
  if (base.length == 0) {
    // A full index: the entries are the rows that follow.
    std::size_t n = r.count(40);
    const char* rows_start = r.position();
    if (!read_rows(r, n, &cache->index)) return false;
    cache->rows.at = static_cast<std::uint64_t>(rows_start - buf.data());
    cache->rows.length = static_cast<std::uint64_t>(r.position() - rows_start);
    cache->rows.count = n;
  } else {
    if (base.at < data_start || base.at > tail_offset || base.length > tail_offset - base.at ||
        base.count > base.length / 40)
      return false;
    // The changes first, so that the index is allocated once with room for them.
    std::vector<IndexEntry> changes;
    if (!read_rows(r, r.count(40), &changes)) return false;
    std::string_view base_rows = buf.substr(base.at, base.length);
    Reader br(base_rows);
    cache->index.reserve(base.count + changes.size());
    if (checksum(base_rows) != base.sum ||
        !read_rows(br, static_cast<std::size_t>(base.count), &cache->index) || !br.at_end())
      return false;
    base.summed = true;
    cache->rows = base;
    if (!apply_changes(std::move(changes), &cache->index)) return false;
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

std::int64_t system_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t (*cache_clock)() = nullptr;  // set by tests (record_cache_testing.hpp)

// The time the racy rule compares modification times with.
std::int64_t now_ns() { return cache_clock ? cache_clock() : system_now_ns(); }

// git's racy rule: a file modified within `racy_ns` of the time a cache was written as of,
// or after it, may have changed again within its stamp's resolution after its entry was
// taken, so its stamp cannot vouch for the entry.
bool is_racy(const FileStamp& stamp, std::int64_t saved_at_ns) {
  return stamp.mtime_ns >= saved_at_ns - racy_ns;
}

bool cache_disabled() {
  const char* v = std::getenv("BRM_CACHE");
  return v && (std::string_view(v) == "off" || std::string_view(v) == "0");
}

}  // namespace

fs::path record_cache_path(const fs::path& root) {
  std::string name = fmt::format("records-{:016x}.cache", std::hash<std::string>{}(root.string()));
  bool refused = false;
  if (fs::path git_dir = gitx::find_git_dir(root, &refused); !git_dir.empty())
    return git_dir / "brm" / name;
  // In a git repository that git would refuse to work in, brm keeps no cache at all.
  if (refused) return {};
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  fs::path base = xdg && *xdg     ? fs::path(xdg)
                  : home && *home ? fs::path(home) / ".cache"
                                  : fs::path();
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
  // With `fields`: the findings too, the last run's when they hold (else computed).
  bool with_findings = false;
  // With `fields`: only these records, when the cache answers alone (else all of them).
  const RecordSubset* subset = nullptr;
  // Given: also the files besides the records (brm.yaml, the schemas), as read.
  std::vector<SourceFile>* others = nullptr;
  // Given: also the killed writers' temporary files the listing came across.
  std::vector<std::string>* leftovers = nullptr;
  // Given: called once the work tree is listed (WriteLoad::after_listing).
  const std::function<void()>* after_listing = nullptr;
  // Given: set to the generation of a cache file holding this load's findings (or 0).
  std::uint64_t* generation = nullptr;
  // Given, with `fields` and `with_findings`: the fields taken instead when the last
  // run's findings hold; then *narrowed is set, and *base gets the files' own findings.
  const FieldSelection* narrow = nullptr;
  bool* narrowed = nullptr;
  Diagnostics* base = nullptr;
};

// What `wanted` asks of the listing besides the records: the other files, the leftovers,
// and to be told that it is done.
void keep_listed(const Snapshot& snap, const Wanted& wanted) {
  if (wanted.others)
    for (const SourceFile& f : snap.files)
      if (f.path == "brm.yaml" || f.path.rfind("schema/", 0) == 0) wanted.others->push_back(f);
  if (wanted.leftovers) *wanted.leftovers = snap.leftovers;
  if (wanted.after_listing && *wanted.after_listing) (*wanted.after_listing)();
}

// A record file, as load_repository takes one (read_worktree lists besides them only
// brm.yaml and the schemas).
bool is_record_file(std::string_view path) { return kind_of_record_path(path) != nullptr; }

// The record files' entries, in the order they lie in the cache file.
std::vector<const IndexEntry*> in_file_order(const CacheFile& disk) {
  std::vector<const IndexEntry*> out;
  out.reserve(disk.index.size());
  for (const IndexEntry& e : disk.index) out.push_back(&e);
  std::sort(out.begin(), out.end(),
            [](const IndexEntry* a, const IndexEntry* b) { return a->offset < b->offset; });
  return out;
}

// brm.yaml (for the settings) and the schemas of a snapshot, through load_repository without
// rules; its findings (the listing's, the settings', the schemas') go to *findings.
void load_base(const Snapshot& snap, Repository* repo, Diagnostics* findings) {
  Snapshot base;
  base.findings = snap.findings;
  for (const SourceFile& f : snap.files)
    if (!is_record_file(f.path)) base.files.push_back(f);
  LoadOptions options;
  options.rules = false;
  *repo = load_repository(std::move(base), findings, options);
}

// One entry's bytes decoded into the repository: whole (its findings to *file_findings), or
// limited to `fields` (findings skipped). False when they do not decode.
bool take_entry(std::string_view bytes, std::string_view path, const FieldSelection* fields,
                Repository* repo, Diagnostics* file_findings) {
  Reader r(bytes);
  std::optional<Record> record;
  if (fields) {
    record = r.selected_record(*fields);
  } else {
    ParsedFile parsed = r.parsed();
    record = std::move(parsed.record);
    for (Diagnostic& d : parsed.findings) file_findings->push_back(std::move(d));
  }
  if (!r.ok() || !r.at_end()) return false;
  if (!record) {
    std::string_view id;
    const Kind* kind = kind_of_record_path(path, &id);
    if (kind && is_valid_id(id))
      repo->unparsed[static_cast<std::size_t>(kind->id)].emplace_back(id);
    return true;
  }
  if (!record->valid) ++repo->invalid;
  // A document limited to some fields has room for at most those: moving it into a
  // snug copy would cost more than the room.
  if (!fields) record->doc.shrink_to_fit();
  repo->of(record->kind).push_back(std::move(*record));
  return true;
}

// What a pass over the entries takes of one kind (RecordSubset): nothing, every entry, or
// the entries whose bytes hold one of `needles`. A record that refers to an id holds it as
// a string, so an entry without those bytes cannot be one of its referrers.
struct KindPick {
  enum class Mode : std::uint8_t { None, Every, Holding } mode = Mode::Every;
  std::vector<std::string> needles;

  bool holds_one(std::string_view bytes) const {
    return std::any_of(needles.begin(), needles.end(), [&](const std::string& n) {
      return ::memmem(bytes.data(), bytes.size(), n.data(), n.size()) != nullptr;
    });
  }
};
using KindPicks = std::array<KindPick, kind_count>;

// The entries `picks` takes, in the order they lie in the file, each stretch let go once
// decoded: the records hold copies, and the mapping would otherwise count whole in the
// peak memory. An entry looked at is checked whole, taken or not, so that a damaged one
// is never mistaken for one that does not refer. False when one does not decode.
bool take_entries(const CacheFile& disk, const std::vector<const IndexEntry*>& order,
                  const KindPicks& picks, const FieldSelection* fields, Repository* repo,
                  Diagnostics* file_findings) {
  static const KindPick every;
  std::uint64_t released = 0;
  for (const IndexEntry* e : order) {
    const Kind* kind = kind_of_record_path(e->path);
    const KindPick& pick = kind ? picks[static_cast<std::size_t>(kind->id)] : every;
    if (pick.mode == KindPick::Mode::None) continue;
    std::optional<std::string_view> bytes = unseal(disk.data.substr(e->offset, e->length));
    if (!bytes) return false;
    if (pick.mode == KindPick::Mode::Holding && !pick.holds_one(*bytes)) continue;
    if (!take_entry(*bytes, e->path, fields, repo, file_findings)) return false;
    if (e->offset - released >= release_stretch) {
      disk.file.release(disk.data.substr(released, e->offset - released));
      released = e->offset;
    }
  }
  return true;
}

// The passes that take what `subset` names (null: every entry, in one pass). Kinds read
// through another kind's records come second, with those records' ids to look for.
std::vector<KindPicks> passes_for(const RecordSubset* subset) {
  if (!subset) return {KindPicks{}};
  KindPicks first, second;
  bool through = false;
  for (std::size_t k = 0; k < kind_count; ++k) {
    KindPick pick;
    pick.mode = subset->every[k]                          ? KindPick::Mode::Every
                : subset->mentioning[k] || subset->via[k] ? KindPick::Mode::Holding
                                                          : KindPick::Mode::None;
    if (subset->mentioning[k]) pick.needles.push_back(subset->id);
    first[k].mode = second[k].mode = KindPick::Mode::None;
    (subset->via[k] ? second[k] : first[k]) = std::move(pick);
    through = through || subset->via[k];
  }
  if (!through) return {first};
  return {first, second};
}

// The ids that the second pass looks for: those of the records read of each kind's `via`.
void add_via_needles(const RecordSubset& subset, const Repository& repo, KindPicks* picks) {
  for (std::size_t k = 0; k < kind_count; ++k) {
    if (!subset.via[k] || (*picks)[k].mode != KindPick::Mode::Holding) continue;
    for (const Record& r : repo.of(*subset.via[k])) (*picks)[k].needles.push_back(r.id);
  }
}

// Every record straight from the cache, when no record file changed: no parsing, no
// validation. Limited to `fields` (no findings), or whole with each file's findings in
// *file_findings; only those of `subset` when given. brm.yaml and the schemas go through
// load_repository as usual, their findings to *base_findings. False when an entry does
// not decode.
bool load_from_entries(const CacheFile& disk, const Snapshot& snap, const FieldSelection* fields,
                       const RecordSubset* subset, Repository* repo, Diagnostics* base_findings,
                       Diagnostics* file_findings) {
  load_base(snap, repo, base_findings);
  repo->files = snap.files.size() + snap.left_out;
  repo->record_files = disk.index.size();
  std::vector<KindPicks> passes = passes_for(subset);
  std::array<std::size_t, kind_count> per_kind{};
  for (const IndexEntry& e : disk.index)
    if (const Kind* k = find_kind(e.path.substr(0, e.path.find('/'))))
      ++per_kind[static_cast<std::size_t>(k->id)];
  for (std::size_t k = 0; k < kind_count; ++k)
    if (passes.front()[k].mode == KindPick::Mode::Every) repo->records[k].reserve(per_kind[k]);
  std::vector<const IndexEntry*> order = in_file_order(disk);
  for (KindPicks& picks : passes) {
    if (subset && &picks != &passes.front()) add_via_needles(*subset, *repo, &picks);
    if (!take_entries(disk, order, picks, fields, repo, file_findings)) return false;
  }
  // Mostly in order already: the entries lie in the file in the listing's order.
  auto by_id = [](const Record& a, const Record& b) { return a.id < b.id; };
  for (auto& rs : repo->records)
    if (!std::is_sorted(rs.begin(), rs.end(), by_id)) std::sort(rs.begin(), rs.end(), by_id);
  return true;
}

// What the cache file's tail says: the schemas, when it was written, the last whole load's
// findings, and (written by entry()) the index.
struct TailFacts {
  std::string_view schemas_key;
  std::int64_t saved_at_ns = 0;
  std::string_view result_key;
  std::uint64_t result_files = 0;
  const Diagnostics* result_findings = nullptr;
  const Diagnostics* result_base = nullptr;  // result_findings without the rules'
  std::uint64_t entries = 0;
  // Given: the full index the tail's rows change (then they are only the changed ones).
  const IndexRows* base = nullptr;
  // Set by TailWriter to a new one unless given: a refresh of the stamps keeps the
  // generation, for the findings it names are still the file's.
  std::uint64_t generation = 0;
};

// A number that names one write of a cache file's tail: a write's load tells note_written
// which cache it loaded, and note_written finds out whether the file is still that one.
std::uint64_t new_generation() {
  static std::uint64_t last = 0;
  std::uint64_t g = static_cast<std::uint64_t>(system_now_ns()) ^
                    (static_cast<std::uint64_t>(::getpid()) << 40) ^ std::random_device{}();
  last = g == last || g == 0 ? g + 1 : g;
  return last;
}

// Writes the tail in pieces, the index never whole in memory, sealed with one checksum,
// to a new cache file (AtomicFile) or to bytes to be appended to one (AppendBuffer).
template <class Out>
class TailWriter {
 public:
  TailWriter(Out& out, TailFacts& facts) : out_(out), start_(out.size()) {
    static const Diagnostics none;
    if (facts.generation == 0) facts.generation = new_generation();
    w_.str(facts.schemas_key);
    w_.raw(facts.saved_at_ns);
    w_.raw(facts.generation);
    w_.str(facts.result_key);
    w_.raw(facts.result_files);
    w_.diagnostics(facts.result_findings ? *facts.result_findings : none);
    w_.diagnostics(facts.result_base ? *facts.result_base : none);
    static const IndexRows no_base;
    const IndexRows& base = facts.base ? *facts.base : no_base;
    w_.raw(base.at);
    w_.raw(base.length);
    w_.raw(base.sum);
    w_.raw(base.count);
    w_.raw(facts.entries);
  }
  void entry(std::string_view path, const FileStamp& stamp, std::string_view blob_hex,
             std::uint64_t offset, std::uint64_t length) {
    w_.str(path);
    w_.raw(stamp.mtime_ns);
    w_.raw(stamp.size);
    w_.raw(stamp.inode);
    w_.raw(stamp.ctime_ns);
    w_.raw(stamp.device);
    w_.str(blob_hex);
    w_.raw(offset);
    w_.raw(length);
    if (w_.out.size() >= (std::size_t{1} << 20)) flush();
  }
  // The checksum and the footer. Not synced to disk: a cache torn by a crash fails its
  // checksums or has no footer, and is rebuilt.
  void finish() {
    flush();
    w_.raw(sum_.value());
    w_.raw<std::uint64_t>(start_);  // where the tail starts
    w_.out.append(magic);
    out_.append(w_.out);
  }

 private:
  void flush() {
    sum_.update(w_.out);
    out_.append(w_.out);
    w_.out.clear();
  }
  Out& out_;
  std::uint64_t start_;
  Writer w_;
  Checksum sum_;
};

// Bytes to be appended to a cache file of `base` bytes; size() as the file's would be.
struct AppendBuffer {
  std::uint64_t base = 0;
  std::string bytes;
  void append(std::string_view b) { bytes.append(b); }
  std::uint64_t size() const { return base + bytes.size(); }
};

// A new cache file at `path` with the header of this binary; its data section starts at
// the returned file's size().
std::unique_ptr<AtomicFile> start_cache_file(const fs::path& path, const std::string& identity) {
  make_folders(path.parent_path());
  remove_stale_temps(path);
  auto out = std::make_unique<AtomicFile>(path);
  Writer head;
  head.out.append(magic);
  head.raw(format_version);
  head.str(identity);
  out->append(head.out);
  return out;
}

// One file's new entry: its sealed bytes, stamp and blob id; no bytes: the file is gone.
struct ChangedEntry {
  FileStamp stamp;
  std::string blob_hex;
  std::string bytes;
};

// One row of a cache file's index: a file, and where its entry lies in the data section.
struct IndexRow {
  std::string_view path, blob_hex;
  FileStamp stamp;
  std::uint64_t offset, length;
};

// The tail `facts` describe, with `rows` for its index, written to `out`. Returns the
// tail's generation.
template <class Out>
std::uint64_t write_tail(Out& out, const TailFacts& facts, const std::vector<IndexRow>& rows) {
  TailFacts tail = facts;
  tail.entries = rows.size();
  TailWriter writer(out, tail);
  for (const IndexRow& r : rows) writer.entry(r.path, r.stamp, r.blob_hex, r.offset, r.length);
  writer.finish();
  return tail.generation;
}

// The cache written again from `disk`: every entry as it is but those `changed` replaces
// or removes, then those it adds, with the result and time `facts` give (a write keeps
// the cache's time, so that what was racy stays so). A failure to write costs only speed.
// Returns the new file's generation, 0 when it was not written.
std::uint64_t rewrite_cache(const fs::path& path, const CacheFile& disk,
                            const std::string& identity,
                            const std::map<std::string, ChangedEntry, std::less<>>& changed,
                            const TailFacts& facts) {
  try {
    std::unique_ptr<AtomicFile> out = start_cache_file(path, identity);
    const std::uint64_t data_start = out->size();
    std::vector<IndexRow> rows;
    auto append = [&](std::string_view p, const FileStamp& stamp, std::string_view blob,
                      std::string_view bytes) {
      rows.push_back({p, blob, stamp, out->size() - data_start, bytes.size()});
      out->append(bytes);
    };
    for (const IndexEntry& e : disk.index)
      if (!changed.count(e.path))
        append(e.path, e.stamp, e.blob_id, disk.data.substr(e.offset, e.length));
    for (const auto& [p, c] : changed)
      if (!c.bytes.empty()) append(p, c.stamp, c.blob_hex, c.bytes);
    sort_for_listing(&rows);
    std::uint64_t generation = write_tail(*out, facts, rows);
    out->commit(AtomicFile::Sync::No);
    return generation;
  } catch (const std::exception&) {
    return 0;
  }
}

// Writes all of `bytes` at `offset` of `fd`; false on a failure.
bool write_all_at(int fd, std::string_view bytes, std::uint64_t offset) {
  while (!bytes.empty()) {
    ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

// The index after appending the entries `changed` gives to `disk`, their bytes put in
// *out: the index keeps its order, a replaced entry in its place, new ones at its end
// (the caller puts them in the listing's order).
std::vector<IndexRow> appended_rows(const CacheFile& disk,
                                    const std::map<std::string, ChangedEntry, std::less<>>& changed,
                                    std::uint64_t data_start, AppendBuffer* out) {
  std::vector<IndexRow> rows;
  rows.reserve(disk.index.size() + changed.size());
  auto place = [&](std::string_view p, const ChangedEntry& c) {
    rows.push_back({p, c.blob_hex, c.stamp, out->size() - data_start, c.bytes.size()});
    out->append(c.bytes);
  };
  std::set<std::string_view> known;
  for (const IndexEntry& e : disk.index) {
    auto it = changed.find(e.path);
    if (it == changed.end())
      rows.push_back({e.path, e.blob_id, e.stamp, e.offset, e.length});
    else if (known.insert(it->first).second && !it->second.bytes.empty())
      place(it->first, it->second);
  }
  for (const auto& [p, c] : changed)
    if (!known.count(p) && !c.bytes.empty()) place(p, c);
  return rows;
}

// The rows that differ from the full index `disk` extends after the entries `changed`
// gives (none removed) are appended, their bytes put in *out: those changed now, and those
// its tail had changed already. *live grows by the bytes of the entries the index then
// points to.
std::vector<IndexRow> changed_rows(const CacheFile& disk,
                                   const std::map<std::string, ChangedEntry, std::less<>>& changed,
                                   std::uint64_t data_start, AppendBuffer* out,
                                   std::uint64_t* live) {
  std::vector<IndexRow> rows;
  for (const auto& [p, c] : changed) {
    rows.push_back({p, c.blob_hex, c.stamp, out->size() - data_start, c.bytes.size()});
    out->append(c.bytes);
    *live += c.bytes.size();
  }
  for (const IndexEntry& e : disk.index) {
    if (changed.count(e.path)) continue;
    *live += e.length;
    if (e.in_delta) rows.push_back({e.path, e.blob_id, e.stamp, e.offset, e.length});
  }
  return rows;
}

// `bytes` written at the end of the cache file at `path`, when it is still the file `disk`
// was read from. Writes append under the repository's lock, but a read-only command's
// refresh appends too: one appender at a time (flock), each finding the file as it read it
// or leaving it. A failed append is left as it is, never cut back: a reader may have mapped
// the longer file, and reading its pages past a new end would kill it (SIGBUS). A torn end
// has no footer: the next reader rebuilds the cache, unless the caller (a write) has
// already written it whole.
bool append_bytes(const fs::path& path, const CacheFile& disk, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  struct ::stat st {};
  bool same = ::flock(fd, LOCK_EX) == 0 && ::fstat(fd, &st) == 0 && disk.file.is(st);
  bool done = same && write_all_at(fd, bytes, disk.file.view().size());
  ::close(fd);
  return done;
}

// The entries `changed` gives and a new tail appended to the cache file `disk` was read
// from, in place of writing the whole file again: what readers mapped stays as it was, and
// a reader that finds a torn append (no footer, a bad checksum) rebuilds the cache.
// The tail holds the whole index when `full_index` says so (new stamps all over, from a
// refresh); else only the rows changed since the last full one, and where that lies: a
// write of one file appends a few hundred bytes, not the index of every file again. Each
// such tail holds the changes of the ones before it, so their dead bytes grow with the
// square of their number; the file is written whole again when they outweigh the live
// ones (about every 400 writes in 25,000 records, against every 5 with whole indexes).
// Returns the new tail's generation; 0 when nothing was appended: the file is no longer
// the one read, or it would hold more dead bytes than live ones (then the caller writes it
// again whole).
std::uint64_t append_to_cache(const fs::path& path, const CacheFile& disk,
                              const std::map<std::string, ChangedEntry, std::less<>>& changed,
                              const TailFacts& facts, bool full_index = false) {
  const std::string_view file = disk.file.view();
  const auto data_start = static_cast<std::uint64_t>(disk.data.data() - file.data());
  const std::uint64_t old_tail = file.size() - data_start - disk.data.size();
  bool removes = std::any_of(changed.begin(), changed.end(),
                             [](const auto& c) { return c.second.bytes.empty(); });
  bool delta = !full_index && !removes && disk.rows.length > 0;
  AppendBuffer out{file.size(), {}};
  std::uint64_t live = data_start + old_tail;
  std::vector<IndexRow> rows;
  if (delta) {
    rows = changed_rows(disk, changed, data_start, &out, &live);
    live += disk.rows.length;
  } else {
    rows = appended_rows(disk, changed, data_start, &out);
    for (const IndexRow& r : rows) live += r.length;
    sort_for_listing(&rows);  // new paths were put at the end
  }
  if (out.size() + old_tail > 2 * live) return 0;  // mostly dead bytes: written again whole
  IndexRows base = disk.rows;
  TailFacts tail = facts;
  if (delta) {
    if (!base.summed) base.sum = checksum(file.substr(base.at, base.length));
    tail.base = &base;
  }
  std::uint64_t generation = write_tail(out, tail, rows);
  return append_bytes(path, disk, out.bytes) ? generation : 0;
}

// One load of the work tree through the cache: what the listing found against the cache,
// and the keys that say whether the cache's schemas and last findings still hold.
struct CacheLoad {
  fs::path root;
  fs::path cache_path;
  std::string identity;
  CacheFile disk;
  Snapshot snap;
  std::size_t unknown = 0;   // record files the cache does not know
  std::size_t reused = 0;    // vouched for by their stamps
  std::size_t verified = 0;  // read, and of the content the cache knows
  // Of those, the files whose stamps are past the racy window now: their entries take the
  // listing's stamps, and the cache could vouch for them from now on (refresh_stamps).
  std::size_t refreshable = 0;
  // Taken before the listing's first stat: the time a cache written from this load is
  // written as of (git's racy rule compares the index's time with its entries' stamps).
  // The end of the load would be too late: a file changed after its stat, within its
  // stamp's resolution, would look older than the window and be trusted.
  std::int64_t listed_at_ns = 0;
  std::string schemas_key;
  std::string result_key;
  // The generation of a cache file whose result is this load's findings; 0 when none is.
  std::uint64_t generation = 0;

  // Every record file is one the cache holds as it is, under the same schemas.
  bool unchanged() const {
    return schemas_key == disk.schemas_key && unknown == 0 &&
           reused + verified == disk.index.size();
  }
  bool result_holds() const { return unchanged() && result_key == disk.result_key; }
};

std::string schemas_key_of(const Snapshot& s) { return ParseCache::schemas_key(s.files); }

// What the findings depend on besides the record files: the day (rules about dates), the
// settings, and the files the listing passed over (the schemas are in schemas_key).
std::string result_key_of(const Snapshot& s) {
  std::string key = today().str();
  for (const SourceFile& f : s.files)
    if (f.path == "brm.yaml") key.append("\n").append(blob_id_of(f.content));
  for (const Diagnostic& d : s.findings) key.append("\n").append(format_text(d));
  return key;
}

// The listing, told which record files the cache may stand in for without being read:
// same stamp, and not written so close to the cache that a change within the clock's
// resolution could hide. When the cache holds every record file and the answer wanted
// comes from the cache alone, the record files are left out of the snapshot.
void list_with_cache(CacheLoad& c, const Wanted& wanted) {
  CacheFile& disk = c.disk;
  if (disk.index.empty()) {  // nothing to reuse (a first run): each file read in one go
    c.snap = read_worktree(c.root);
    c.unknown = static_cast<std::size_t>(
        std::count_if(c.snap.files.begin(), c.snap.files.end(),
                      [](const SourceFile& f) { return is_record_file(f.path); }));
    return;
  }
  Reuse reuse;
  reuse.file = [&](std::string_view path, const FileStamp& stamp) {
    IndexEntry* e = disk.find(path);
    if (!e) {
      ++c.unknown;
      return false;
    }
    e->seen = true;
    if (!(e->stamp == stamp) || is_racy(stamp, disk.saved_at_ns)) return false;
    e->reused = true;
    ++c.reused;
    return true;
  };
  reuse.leave_out = [&](const Snapshot& others) {
    if (c.unknown != 0 || c.reused != disk.index.size() ||
        schemas_key_of(others) != disk.schemas_key)
      return false;
    bool result_holds = result_key_of(others) == disk.result_key;
    return (wanted.fields && !wanted.with_findings) ||
           ((wanted.findings_only || wanted.with_findings) && result_holds);
  };
  c.snap = read_worktree(c.root, reuse);
  if (c.snap.left_out > 0) return;
  // Files read because their stamps could not vouch for them (a write within the racy
  // window, a touch): their content decides. The blob id is kept for the steps below.
  disk.rewind();  // asked in the listing's order, as the listing asked
  for (SourceFile& f : c.snap.files) {
    if (!is_record_file(f.path)) continue;
    IndexEntry* e = disk.find(f.path);
    if (!e || e->reused || !e->seen) continue;
    f.blob_id = blob_id_of(f.content);
    if (e->blob_id == f.blob_id) {
      e->verified = true;
      ++c.verified;
      // Read after its stat: the entry holds the content the file had with this stamp.
      e->stamp = f.stamp;
      if (!is_racy(f.stamp, c.listed_at_ns)) ++c.refreshable;
    }
  }
}

// git's refresh (`git status` writes the index back with the stamps of the racy entries it
// found unchanged): when files read only because their stamps could not vouch for them are
// now past the racy window, the cache takes their stamps and the listing's time, so that the
// next run stats them only. Nothing else changes: the entries' bytes, the findings and the
// generation stay, and only a new index is appended when the file allows. Not when the load
// writes the cache anyway (a change, or findings to compute), which takes the stamps too.
void refresh_stamps(CacheLoad& c, const Wanted& wanted) {
  bool findings_computed = !(wanted.fields && !wanted.with_findings);
  if (c.refreshable == 0 || c.refreshable * refresh_share < c.disk.index.size() || !c.unchanged() ||
      (findings_computed && !c.result_holds()))
    return;
  CacheFile& disk = c.disk;
  TailFacts facts{disk.schemas_key,  c.listed_at_ns,        disk.result_key,
                  disk.result_files, &disk.result_findings, &disk.result_base};
  facts.generation = disk.generation;
  // Written whole when the file is mostly dead bytes, but not over another run's write.
  struct ::stat st {};
  if (append_to_cache(c.cache_path, disk, {}, facts, true) == 0 &&
      ::stat(c.cache_path.c_str(), &st) == 0 && disk.file.is(st))
    rewrite_cache(c.cache_path, disk, c.identity, {}, facts);
  disk.saved_at_ns = c.listed_at_ns;
}

// The answers that come from the cache alone, without parsing; false when none applies.
bool answer_from_cache(CacheLoad& c, const Wanted& wanted, const LoadOptions& options,
                       Diagnostics* findings, Repository* repo) {
  if (!c.unchanged()) return false;
  if (c.result_holds()) c.generation = c.disk.generation;
  if (wanted.findings_only && c.result_holds()) {
    *findings = std::move(c.disk.result_findings);
    repo->files = static_cast<std::size_t>(c.disk.result_files);
    return true;
  }
  if (wanted.fields && (!wanted.with_findings || c.result_holds())) {
    Diagnostics ignored;
    bool narrow = wanted.narrow && wanted.with_findings;
    const FieldSelection* fields = narrow ? wanted.narrow : wanted.fields;
    if (!load_from_entries(c.disk, c.snap, fields, wanted.subset, repo, &ignored, nullptr))
      return false;
    if (narrow) {
      *wanted.narrowed = true;
      *wanted.base = std::move(c.disk.result_base);
    }
    if (wanted.with_findings) *findings = std::move(c.disk.result_findings);
    return true;
  }
  if (wanted.findings_only || c.snap.left_out > 0) return false;
  // Whole records (show, list, a write): the last findings when they hold, else the
  // findings again from the entries and the rules, which the cache then keeps.
  Diagnostics base, per_file;
  Repository whole;
  if (!load_from_entries(c.disk, c.snap, nullptr, nullptr, &whole, &base, &per_file)) return false;
  if (c.result_holds()) {
    for (const Diagnostic& d : c.disk.result_findings) findings->push_back(d);
  } else {
    for (Diagnostic& d : per_file) base.push_back(std::move(d));
    sort_diagnostics(base);
    if (!options.rules) {
      for (Diagnostic& d : base) findings->push_back(std::move(d));
    } else {
      Diagnostics result = base;
      check_rules(whole, &result, today());
      sort_diagnostics(result);
      for (const Diagnostic& d : result) findings->push_back(d);
      TailFacts facts{c.schemas_key, c.listed_at_ns, c.result_key, whole.files, &result, &base};
      c.generation = rewrite_cache(c.cache_path, c.disk, c.identity, {}, facts);
    }
    sort_diagnostics(*findings);
  }
  if (options.keep)  // after the rules, which read what they read
    for (auto& rs : whole.records)
      for (Record& r : rs) keep_fields(&r, *options.keep);
  *repo = std::move(whole);
  return true;
}

// What the cache's index will say of a record file: its path (taken from the load once
// parsed), stamp, blob id, and where its entry went.
struct RecordFile {
  std::string path;
  FileStamp stamp;
  ObjectId blob{};
  bool has_blob = false;
  std::string_view reused_bytes;         // its entry in the old file, copied as it is
  std::uint64_t offset = 0, length = 0;  // length 0: no entry (not written)
};
constexpr std::uint32_t no_slot = ~std::uint32_t{0};

// The files the load will parse and those the cache stands in for (put into *cache).
struct Plan {
  std::vector<RecordFile> record_files;
  std::vector<std::uint32_t> slot_of;  // by snapshot position
  std::size_t decoded = 0;
};

// A record file's text, read now because the listing left it to the cache.
void read_content(const fs::path& root, SourceFile& f) {
  std::ifstream in(root / f.path, std::ios::binary | std::ios::ate);
  f.content.resize(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())));
  in.seekg(0);
  in.read(f.content.data(), static_cast<std::streamsize>(f.content.size()));
}

// Each record file from its cache entry when that decodes and matches, else from its
// text: read now if the listing left it to the cache (a damaged entry, new schemas).
bool from_entry(CacheLoad& c, SourceFile& f, const IndexEntry* e, ParsedFile* parsed) {
  bool schemas_changed = c.schemas_key != c.disk.schemas_key;
  if (e && e->reused) {
    if (!schemas_changed && decode_entry(c.disk, *e, parsed)) {
      f.blob_id = std::string(e->blob_id);
      return true;
    }
    read_content(c.root, f);
  }
  if (!e) return false;
  // Touched but maybe not changed: the content decides. A file the cache does not know
  // gets its blob id where it is parsed, on every core.
  if (f.blob_id.empty() || e->reused) f.blob_id = blob_id_of(f.content);
  return !schemas_changed && e->blob_id == f.blob_id && !e->reused &&
         decode_entry(c.disk, *e, parsed);
}

Plan plan_load(CacheLoad& c, ParseCache* cache) {
  Plan plan;
  plan.slot_of.assign(c.snap.files.size(), no_slot);
  c.disk.rewind();
  for (std::size_t i = 0; i < c.snap.files.size(); ++i) {
    SourceFile& f = c.snap.files[i];
    if (!is_record_file(f.path)) continue;  // brm.yaml and schemas: always read
    const IndexEntry* e = c.disk.find(f.path);
    if (e && !e->seen) e = nullptr;
    ParsedFile parsed;
    bool cached = from_entry(c, f, e, &parsed);
    plan.slot_of[i] = static_cast<std::uint32_t>(plan.record_files.size());
    RecordFile& rf = plan.record_files.emplace_back();
    rf.stamp = f.stamp;
    if (std::optional<ObjectId> id = object_id_from_hex(f.blob_id)) {
      rf.blob = *id;
      rf.has_blob = true;
    }
    if (cached) {
      rf.path = f.path;  // the load will not call back for it
      rf.reused_bytes = c.disk.data.substr(e->offset, e->length);
      cache->insert(c.schemas_key, f, std::move(parsed));
      ++plan.decoded;
    }
  }
  return plan;
}

// The new cache file's head and the entries copied from the old one; null when it cannot
// be written (a read-only .git in CI), which costs only speed.
std::unique_ptr<AtomicFile> start_write_back(const CacheLoad& c, Plan& plan,
                                             std::uint64_t* data_start) {
  try {
    std::unique_ptr<AtomicFile> out = start_cache_file(c.cache_path, c.identity);
    *data_start = out->size();
    for (RecordFile& rf : plan.record_files) {
      if (rf.reused_bytes.empty()) continue;
      rf.offset = out->size() - *data_start;
      rf.length = rf.reused_bytes.size();
      out->append(rf.reused_bytes);
    }
    return out;
  } catch (const std::exception&) {
    return nullptr;
  }
}

// The files parsed now, encoded on the loading threads and appended as they come.
struct EntrySink {
  EntrySink(AtomicFile* o, std::uint64_t start, Plan* p) : out(o), data_start(start), plan(p) {}
  AtomicFile* out;
  std::uint64_t data_start;
  Plan* plan;
  std::mutex mutex;
  bool failed = false;

  void add(std::size_t position, SourceFile& f, const ParsedFile& p) {
    std::uint32_t slot = position < plan->slot_of.size() ? plan->slot_of[position] : no_slot;
    if (slot == no_slot) return;
    RecordFile& rf = plan->record_files[slot];  // this thread's alone
    if (!rf.has_blob) {
      rf.blob = blob_object_id_of(f.content);
      rf.has_blob = true;
    }
    rf.path = std::move(f.path);
    thread_local Writer w;
    w.out.clear();
    w.parsed(p);
    w.seal();
    std::lock_guard lock(mutex);
    if (failed) return;
    try {
      rf.offset = out->size() - data_start;
      rf.length = w.out.size();
      out->append(w.out);
    } catch (const std::exception&) {
      failed = true;  // on a loading thread: never let it escape
    }
  }
};

// Returns the generation of the file written, 0 when it could not be.
std::uint64_t finish_write_back(AtomicFile& out, const CacheLoad& c, const Plan& plan,
                                const Repository& repo, const Diagnostics& result,
                                const Diagnostics& base) {
  try {
    std::uint64_t n = 0;
    for (const RecordFile& rf : plan.record_files) n += rf.length > 0 ? 1 : 0;
    TailFacts facts{c.schemas_key, c.listed_at_ns, c.result_key, repo.files, &result, &base, n};
    TailWriter tail(out, facts);
    for (const RecordFile& rf : plan.record_files)
      if (rf.length > 0) tail.entry(rf.path, rf.stamp, to_hex(rf.blob), rf.offset, rf.length);
    tail.finish();
    out.commit(AtomicFile::Sync::No);
    return facts.generation;
  } catch (const std::exception&) {
    return 0;
  }
}

// The load that parses what the cache cannot stand in for, and writes the cache back when
// it learnt anything (a damaged entry's parse included). The entries the cache stood in
// for are moved into the repository; their bytes are copied from the old file as they
// are. Written atomically, so that a reader never sees half a cache.
void load_and_write_back(CacheLoad& c, Diagnostics* findings, LoadOptions options,
                         Repository* repo) {
  ParseCache cache;
  Plan plan = plan_load(c, &cache);
  bool write_back = !c.unchanged() || c.result_key != c.disk.result_key ||
                    plan.decoded != plan.record_files.size();
  cache.set_single_use(true);
  cache.set_lookup_only(true);
  // An empty cache would only cost a locked lookup per file (a fresh clone's first run).
  options.cache = plan.decoded > 0 ? &cache : nullptr;
  std::uint64_t data_start = 0;
  std::unique_ptr<AtomicFile> out = write_back ? start_write_back(c, plan, &data_start) : nullptr;
  EntrySink sink(out.get(), data_start, &plan);
  if (out)
    options.parsed = [&sink](std::size_t position, SourceFile& f, const ParsedFile& p) {
      sink.add(position, f, p);
    };
  std::size_t before = findings->size();
  // The rules run apart, so that the cache keeps the findings without them too.
  bool rules = options.rules;
  options.rules = false;
  *repo = load_repository(std::move(c.snap), findings, options);
  Diagnostics base(findings->begin() + static_cast<std::ptrdiff_t>(before), findings->end());
  if (rules) {
    check_rules(*repo, findings, today());
    sort_diagnostics(*findings);
  }
  if (!out || sink.failed) return;
  std::vector<std::uint32_t>().swap(plan.slot_of);
  // Without the rules the findings are not the whole answer: no result is kept then.
  if (!rules) c.result_key.clear();
  Diagnostics result(findings->begin() + static_cast<std::ptrdiff_t>(before), findings->end());
  std::uint64_t generation = finish_write_back(*out, c, plan, *repo, result, base);
  if (rules) c.generation = generation;
}

// The loading behind load_worktree, check_worktree and load_worktree_fields.
void load_through_cache(const fs::path& root, Diagnostics* findings, LoadOptions options,
                        Wanted wanted, Repository* repo) {
  if (wanted.fields) {
    // Records limited as they are parsed, unless the rules must read them whole first.
    options.rules = wanted.with_findings;  // else no findings wanted
    options.keep = wanted.with_findings ? nullptr : wanted.fields;
  }
  CacheLoad c;
  c.root = root;
  c.cache_path = cache_disabled() ? fs::path() : record_cache_path(root);
  if (c.cache_path.empty()) {
    Snapshot snap = read_worktree(root);
    keep_listed(snap, wanted);
    *repo = load_repository(std::move(snap), findings, options);
    return;
  }
  c.identity = binary_identity();
  {
    TraceRegion trace("read the record cache");
    if (!read_cache(c.cache_path, c.identity, &c.disk)) c.disk.clear();
  }
  c.listed_at_ns = now_ns();
  {
    TraceRegion trace("list the work tree");
    list_with_cache(c, wanted);
  }
  c.schemas_key = schemas_key_of(c.snap);
  c.result_key = result_key_of(c.snap);
  keep_listed(c.snap, wanted);
  refresh_stamps(c, wanted);
  if (TraceRegion trace("answer from the cache");
      answer_from_cache(c, wanted, options, findings, repo)) {
    if (wanted.generation) *wanted.generation = c.generation;
    return;
  }
  if (c.snap.left_out > 0) {
    // An entry did not decode: list again, this time with every record file.
    c.unknown = c.reused = c.verified = 0;
    for (IndexEntry& e : c.disk.index) e.seen = e.reused = e.verified = false;
    c.disk.rewind();
    list_with_cache(c, Wanted{});
    c.schemas_key = schemas_key_of(c.snap);
    c.result_key = result_key_of(c.snap);
  }
  load_and_write_back(c, findings, std::move(options), repo);
  if (wanted.generation) *wanted.generation = c.generation;
}

}  // namespace

struct CachedRecords::Disk {
  CacheFile file;
};

CachedRecords::CachedRecords(const fs::path& root, const FieldSelection& fields) : fields_(fields) {
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

Repository load_for_write(const fs::path& root, Diagnostics* findings, WriteLoad* load) {
  Repository repo;
  Wanted wanted;
  wanted.fields = load->fields;
  wanted.with_findings = load->fields != nullptr;
  wanted.others = &load->others;
  wanted.leftovers = &load->leftovers;
  wanted.after_listing = &load->after_listing;
  wanted.generation = &load->generation;
  wanted.narrow = load->narrow;
  wanted.narrowed = &load->narrowed;
  wanted.base = &load->base;
  load->narrowed = false;
  load_through_cache(root, findings, LoadOptions{}, wanted, &repo);
  return repo;
}

Repository load_worktree_fields(const fs::path& root, const FieldSelection& fields,
                                const RecordSubset& subset, Diagnostics* findings) {
  Repository repo;
  Wanted wanted;
  wanted.fields = &fields;
  wanted.with_findings = true;
  wanted.subset = &subset;
  load_through_cache(root, findings, LoadOptions{}, wanted, &repo);
  return repo;
}

namespace {

// The cache's encoding of a document, positions included: two documents that encode alike
// give the rules the same findings.
std::string encoded(const Value& doc) {
  Writer w;
  w.value(doc);
  return std::move(w.out);
}

// The findings of the repository after a write, from those the cache kept before it: each
// written file's own replaced by `file_findings`, the rules' by the write's. nullopt when
// they cannot be told exactly; then the next run computes them.
std::optional<std::pair<Diagnostics, Diagnostics>> findings_after(CacheFile& disk,
                                                                  const WriteNote& note,
                                                                  Diagnostics file_findings,
                                                                  bool docs_as_read) {
  std::string day = note.day.str();
  bool same_day = disk.result_key == day || disk.result_key.rfind(day + "\n", 0) == 0;
  if (!note.rules || note.generation == 0 || disk.generation != note.generation || !same_day ||
      !docs_as_read)
    return std::nullopt;
  std::set<std::string_view> written;
  for (const WrittenFile& f : note.files) {
    // A file the listing saw but the cache holds no entry for (a link, an unreadable one)
    // may have had findings of the listing's, which the key of the result names.
    if (f.existed && !disk.find(f.path)) return std::nullopt;
    written.insert(f.path);
  }
  for (const Diagnostic& d : file_findings)
    if (!written.count(d.file)) return std::nullopt;
  Diagnostics base = std::move(file_findings);
  for (const Diagnostic& d : disk.result_base)
    if (!written.count(d.file)) base.push_back(d);
  sort_diagnostics(base);
  Diagnostics result = base;
  result.insert(result.end(), note.rules->begin(), note.rules->end());
  sort_diagnostics(result);
  return std::pair{std::move(result), std::move(base)};
}

}  // namespace

void note_written(const fs::path& root, const WriteNote& note, const RecordSchemas& schemas) {
  fs::path path = cache_disabled() ? fs::path() : record_cache_path(root);
  std::string identity = binary_identity();
  CacheFile disk;
  {
    TraceRegion trace("read the record cache again");
    if (path.empty() || !read_cache(path, identity, &disk)) return;
  }
  std::map<std::string, ChangedEntry, std::less<>> changed;
  Diagnostics file_findings;
  bool docs_as_read = true;  // each written text parses to the document the rules read
  std::int64_t files = static_cast<std::int64_t>(disk.result_files);
  for (const WrittenFile& f : note.files) {
    ChangedEntry& c = changed[f.path];
    files += (f.text ? 1 : 0) - (f.existed ? 1 : 0);
    if (!f.text) continue;  // removed: its entry goes
    std::optional<FileStamp> stamp = f.stamp ? f.stamp : stamp_of_file(root / f.path);
    if (!stamp) return;  // the next run finds out for itself
    c.stamp = *stamp;
    c.blob_hex = blob_id_of(*f.text);
    ParsedFile parsed = parse_record_file({f.path, *f.text, {}, *stamp}, schemas);
    docs_as_read = docs_as_read && note.rules && f.doc && parsed.record &&
                   encoded(parsed.record->doc) == encoded(*f.doc);
    Writer w;
    w.parsed(parsed);
    w.seal();
    c.bytes = std::move(w.out);
    for (Diagnostic& d : parsed.findings) file_findings.push_back(std::move(d));
  }
  auto after = [&] {
    TraceRegion trace("findings after the write");
    return findings_after(disk, note, std::move(file_findings), docs_as_read);
  }();
  TailFacts facts{disk.schemas_key, disk.saved_at_ns, "", 0, nullptr, nullptr};
  if (after) {
    facts.result_key = disk.result_key;
    facts.result_files = static_cast<std::uint64_t>(std::max<std::int64_t>(files, 0));
    facts.result_findings = &after->first;
    facts.result_base = &after->second;
  }
  // An append makes no temporary file, so it is also where killed writers' old ones go
  // (start_cache_file does the same for a whole write).
  {
    TraceRegion trace("remove stale cache temporaries");
    remove_stale_temps(path);
  }
  TraceRegion trace("append to the record cache");
  // A removal (rare: rm, mv) writes the file whole, so that no trace of the removed file's
  // entry stays behind in it.
  bool removes = std::any_of(changed.begin(), changed.end(),
                             [](const auto& c) { return c.second.bytes.empty(); });
  if (removes || append_to_cache(path, disk, changed, facts) == 0)
    rewrite_cache(path, disk, identity, changed, facts);
}

Repository load_worktree_fields(const fs::path& root, const FieldSelection& fields,
                                LoadOptions options) {
  Repository repo;
  Diagnostics findings;
  load_through_cache(root, &findings, std::move(options), Wanted{false, &fields}, &repo);
  return repo;
}

void set_record_cache_clock(std::int64_t (*clock)()) { cache_clock = clock; }

std::optional<std::int64_t> record_cache_saved_at(const fs::path& root) {
  CacheFile disk;
  if (!read_cache(record_cache_path(root), binary_identity(), &disk)) return std::nullopt;
  return disk.saved_at_ns;
}

std::optional<CacheIndexLayout> record_cache_index_layout(const fs::path& root) {
  CacheFile disk;
  if (!read_cache(record_cache_path(root), binary_identity(), &disk)) return std::nullopt;
  bool extends = std::any_of(disk.index.begin(), disk.index.end(),
                             [](const IndexEntry& e) { return e.in_delta; });
  return CacheIndexLayout{disk.rows.at, disk.rows.length, extends};
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

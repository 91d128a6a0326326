// git's index as bytes (git_index_file.hpp). The format is git's
// Documentation/gitformat-index.txt: a header ("DIRC", version, entry count), the entries
// sorted by name, extensions, and the SHA-1 of all that.
#include "git_index_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>

namespace brm::gitx {

namespace {

constexpr std::size_t header_size = 12;
constexpr std::size_t checksum_size = 20;
constexpr std::size_t short_entry = 62;  // stat data (40), id (20), flags (2): the name follows
constexpr std::uint16_t name_mask = 0x0fff;
constexpr std::uint16_t extended_flag = 0x4000;
constexpr std::uint16_t stage_mask = 0x3000;
constexpr std::size_t size_field = 36;  // the file's size within the stat data

std::uint32_t get32(std::string_view d, std::size_t at) {
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(d[at + i]));
  };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}
std::uint16_t get16(std::string_view d, std::size_t at) {
  auto b = [&](std::size_t i) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(d[at + i]));
  };
  return static_cast<std::uint16_t>(b(0) << 8 | b(1));
}
void put32(std::string& out, std::uint64_t v) {
  for (int shift : {24, 16, 8, 0}) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void set32(std::string& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

// The file whose stat is `st`, read in one piece when it is as large as it says.
bool read_whole(int fd, const struct ::stat& st, std::string* out) {
  out->resize(static_cast<std::size_t>(std::max<off_t>(st.st_size, 0)) + 1);
  std::size_t have = 0;
  for (;;) {
    if (have == out->size()) out->resize(out->size() * 2);
    ssize_t n = ::read(fd, out->data() + have, out->size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  out->resize(have);
  return true;
}

bool write_whole(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool parse_number(std::string_view& d, char end, long* out) {
  std::size_t stop = d.find(end);
  if (stop == std::string_view::npos || stop == 0 || stop > 12) return false;
  std::string digits(d.substr(0, stop));
  char* rest = nullptr;
  errno = 0;
  *out = std::strtol(digits.c_str(), &rest, 10);
  if (errno || rest != digits.c_str() + digits.size()) return false;
  d.remove_prefix(stop + 1);
  return true;
}

bool parse_tree(std::string_view& d, CachedTree* t, int depth) {
  std::size_t nul = d.find('\0');
  if (depth > 4096 || nul == std::string_view::npos) return false;
  t->name = std::string(d.substr(0, nul));
  d.remove_prefix(nul + 1);
  long subtrees = 0;
  if (!parse_number(d, ' ', &t->entries) || !parse_number(d, '\n', &subtrees) || t->entries < -1 ||
      subtrees < 0)
    return false;
  if (t->entries >= 0) {
    if (d.size() < t->id.size()) return false;
    std::memcpy(t->id.data(), d.data(), t->id.size());
    d.remove_prefix(t->id.size());
  }
  // One by one, not resized to the count first: a count is only a claim, and the bytes
  // bound what a node can hold.
  for (long i = 0; i < subtrees; ++i) {
    t->children.emplace_back();
    if (!parse_tree(d, &t->children.back(), depth + 1)) return false;
  }
  return true;
}

void render_tree(const CachedTree& t, std::string& out) {
  out.append(t.name).push_back('\0');
  out.append(std::to_string(t.entries)).push_back(' ');
  out.append(std::to_string(t.children.size())).push_back('\n');
  if (t.entries >= 0) out.append(reinterpret_cast<const char*>(t.id.data()), t.id.size());
  for (const CachedTree& c : t.children) render_tree(c, out);
}

// As git_tree_cache_invalidate_path: the root and each cached folder on `name`'s path.
void invalidate(CachedTree& root, std::string_view name) {
  CachedTree* t = &root;
  t->entries = -1;
  for (std::size_t slash; (slash = name.find('/')) != std::string_view::npos;) {
    std::string_view folder = name.substr(0, slash);
    auto c = std::find_if(t->children.begin(), t->children.end(),
                          [&](const CachedTree& x) { return x.name == folder; });
    if (c == t->children.end()) return;
    t = &*c;
    t->entries = -1;
    name.remove_prefix(slash + 1);
  }
}

// An entry as git writes it for a file: its stat data cut to 32 bits, id, flags, name and
// one to eight NULs.
std::string entry_bytes(const std::string& name, const struct ::stat& st, const ObjectId& id,
                        std::uint32_t mode) {
  std::string out;
  out.reserve(short_entry + name.size() + 8);
  put32(out, static_cast<std::uint64_t>(st.st_ctim.tv_sec));
  put32(out, static_cast<std::uint64_t>(st.st_ctim.tv_nsec));
  put32(out, static_cast<std::uint64_t>(st.st_mtim.tv_sec));
  put32(out, static_cast<std::uint64_t>(st.st_mtim.tv_nsec));
  // libgit2 keeps st_rdev here (0 for a file) where git keeps st_dev, which git compares
  // only when built with USE_STDEV (not on Linux); libgit2's value, as before these bytes.
  put32(out, st.st_rdev);
  put32(out, st.st_ino);
  put32(out, mode);
  put32(out, st.st_uid);
  put32(out, st.st_gid);
  put32(out, static_cast<std::uint64_t>(st.st_size));
  out.append(reinterpret_cast<const char*>(id.data()), id.size());
  std::uint16_t flags = static_cast<std::uint16_t>(std::min<std::size_t>(name.size(), name_mask));
  out.push_back(static_cast<char>(flags >> 8));
  out.push_back(static_cast<char>(flags & 0xff));
  out.append(name);
  out.append(((short_entry + name.size() + 8) & ~std::size_t{7}) - out.size(), '\0');
  return out;
}

}  // namespace

std::optional<IndexFile> IndexFile::read(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) return std::nullopt;
    return parse(path, {}, Stamp{});
  }
  struct ::stat st;
  std::string data;
  bool ok = ::fstat(fd, &st) == 0 && read_whole(fd, st, &data);
  ::close(fd);
  if (!ok) return std::nullopt;
  return parse(path, std::move(data), stamp_of(st));
}

IndexFile::Stamp IndexFile::stamp_of(const struct ::stat& st) {
  return Stamp{true, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_size, st.st_ino};
}

std::optional<IndexFile> IndexFile::from_bytes(std::string bytes) {
  // An index newer than any file: no entry is racily clean, none is read from disk.
  Stamp stamp{true, std::numeric_limits<std::int64_t>::max(), 0,
              static_cast<std::int64_t>(bytes.size()), 0};
  return parse("", std::move(bytes), stamp);
}

std::string IndexFile::bytes() const { return render(""); }

std::string IndexFile::with_checksum(std::string body) {
  ObjectId sum = sha1_of({body});
  body.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  return body;
}

std::optional<IndexFile> IndexFile::parse(const std::string& path, std::string data, Stamp stamp) {
  IndexFile f;
  f.path_ = path;
  f.stamp_ = stamp;
  if (!stamp.exists) return f;  // an empty index, written as version 2
  f.data_ = std::move(data);
  std::string_view d = f.data_;
  // Entries are found by 32-bit offsets, as in git's own format.
  if (d.size() < header_size + checksum_size || d.size() > UINT32_MAX || d.substr(0, 4) != "DIRC")
    return std::nullopt;
  f.version_ = get32(d, 4);
  if (f.version_ != 2 && f.version_ != 3) return std::nullopt;
  std::string_view body = d.substr(0, d.size() - checksum_size);
  ObjectId trailer;
  std::memcpy(trailer.data(), d.data() + body.size(), checksum_size);
  // index.skipHash writes no checksum, which libgit2 1.5 does not read either.
  if (trailer == ObjectId{} || sha1_of({body}) != trailer) return std::nullopt;
  if (!f.parse_entries(body.size()) || !f.parse_extensions(body.size())) return std::nullopt;
  return f;
}

bool IndexFile::parse_entries(std::size_t body_size) {
  std::string_view d = data_;
  std::uint32_t count = get32(d, 8);
  if (count > body_size / short_entry) return false;
  entries_.reserve(count);
  std::size_t at = header_size;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (at + short_entry > body_size) return false;
    std::uint16_t flags = get16(d, at + 60);
    if (flags & stage_mask) return false;  // a conflict: libgit2 resolves it
    if ((flags & extended_flag) && version_ < 3) return false;
    std::size_t name = at + short_entry + ((flags & extended_flag) ? 2 : 0);
    std::size_t len = flags & name_mask;
    if (len == name_mask) {
      std::size_t nul = d.find('\0', name);
      if (nul == std::string_view::npos) return false;
      len = nul - name;
    }
    std::size_t size = (name - at + len + 8) & ~std::size_t{7};
    if (at + size > body_size || len == 0) return false;
    entries_.push_back(static_cast<std::uint32_t>(at));
    // Out of order or doubled: not an index git wrote.
    if (i > 0 && !(name_at(i - 1) < d.substr(name, len))) return false;
    at += size;
  }
  entries_end_ = at;
  return true;
}

bool IndexFile::parse_extensions(std::size_t body_size) {
  std::string_view d = data_;
  for (std::size_t at = entries_end_; at < body_size;) {
    if (at + 8 > body_size) return false;
    std::string_view sig = d.substr(at, 4);
    std::size_t size = get32(d, at + 4);
    if (size > body_size - at - 8) return false;
    // An extension whose name starts with a capital may be left out by a writer that does
    // not know it (libgit2 leaves them out); any other must be understood.
    if (sig[0] < 'A' || sig[0] > 'Z') return false;
    std::string_view content = d.substr(at + 8, size);
    if (sig == "NAME") return false;  // conflicts' names
    if (sig == "TREE") {
      tree_.emplace();
      if (!parse_tree(content, &*tree_, 0) || !content.empty()) return false;
    } else if (sig == "REUC") {
      reuc_ = std::string(content);
    }
    at += 8 + size;
  }
  return true;
}

std::string_view IndexFile::name_at(std::size_t i) const {
  std::string_view d = data_;
  std::size_t at = entries_[i];
  std::uint16_t flags = get16(d, at + 60);
  std::size_t name_at = at + short_entry + ((flags & extended_flag) ? 2 : 0);
  std::size_t len = flags & name_mask;
  if (len == name_mask) len = d.find('\0', name_at) - name_at;
  return d.substr(name_at, len);
}

std::size_t IndexFile::lower_bound(std::string_view name) const {
  std::size_t lo = 0, hi = entries_.size();
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (name_at(mid) < name)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

std::optional<std::size_t> IndexFile::find_read(std::string_view name) const {
  std::size_t i = lower_bound(name);
  if (i < entries_.size() && name_at(i) == name) return i;
  return std::nullopt;
}

bool IndexFile::tracked(std::string_view name) const {
  return puts_.find(name) != puts_.end() || find_read(name);
}

// Whether entry i is racily clean (git's racy-git problem): its file's mtime is not older
// than the index's, in whole seconds as git compares them, so a change made in the same
// second would pass its stat check. Such an entry is smudged (its size set to 0, which
// makes git and libgit2 hash the file) when the file no longer holds its blob.
bool IndexFile::racily_changed(std::size_t i, const std::string& work_tree) const {
  std::size_t at = entries_[i];
  if (!stamp_.exists || get32(data_, at + size_field) == 0 ||
      static_cast<std::int64_t>(get32(data_, at + 8)) < stamp_.mtime_sec)
    return false;
  std::uint32_t mode = get32(data_, at + 24);
  if (mode == 0160000) return false;  // a submodule: its stat data is not a file's
  std::string file = work_tree + std::string(name_at(i));
  std::string content;
  struct ::stat st;
  if (mode != 0100644 && mode != 0100755) return true;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  bool ok = fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read_whole(fd, st, &content);
  if (fd >= 0) ::close(fd);
  if (!ok) return true;
  ObjectId id = blob_object_id_of(content);
  return std::memcmp(id.data(), data_.data() + at + 40, id.size()) != 0;
}

std::optional<std::uint32_t> IndexFile::mode_of(std::string_view name) const {
  if (auto p = puts_.find(name); p != puts_.end()) return p->second.mode;
  std::optional<std::size_t> i = find_read(name);
  if (!i) return std::nullopt;
  return get32(data_, entries_[*i] + 24);
}

std::vector<IndexFile::Entry> IndexFile::attribute_files() const {
  std::vector<Entry> out;
  constexpr std::string_view file = ".gitattributes";
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::string_view n = name_at(i);
    if (n.size() < file.size() || n.substr(n.size() - file.size()) != file ||
        (n.size() > file.size() && n[n.size() - file.size() - 1] != '/'))
      continue;
    Entry e{std::string(n), get32(data_, entries_[i] + 24), {}};
    std::memcpy(e.id.data(), data_.data() + entries_[i] + 40, e.id.size());
    out.push_back(std::move(e));
  }
  return out;
}

bool IndexFile::can_put(std::string_view name) const {
  // A file on one of its folders' names.
  for (std::size_t slash = name.find('/'); slash != std::string_view::npos;
       slash = name.find('/', slash + 1))
    if (tracked(name.substr(0, slash))) return false;
  // Entries below it, as though it were a folder.
  std::string below = std::string(name) + '/';
  std::size_t i = lower_bound(below);
  if (i < entries_.size() && name_at(i).substr(0, below.size()) == below) return false;
  // An entry of its own: a plain file's, without extended flags. (A link's stays a link
  // under core.symlinks=false in libgit2's index_merge_mode: libgit2 decides that.)
  std::optional<std::size_t> own = find_read(name);
  if (!own) return true;
  std::uint32_t mode = get32(data_, entries_[*own] + 24);
  return !(get16(data_, entries_[*own] + 60) & extended_flag) &&
         (mode == 0100644 || mode == 0100755);
}

void IndexFile::put(const std::string& name, const struct ::stat& st, const ObjectId& id,
                    std::uint32_t mode) {
  puts_[name] = Put{st, id, mode};
}

std::string IndexFile::render(const std::string& work_tree) const {
  std::string out;
  out.reserve(data_.size() + puts_.size() * 128 + 64);
  std::size_t replaced = 0;
  for (const auto& [name, p] : puts_) replaced += find_read(name) ? 1 : 0;
  out.append("DIRC");
  put32(out, version_);
  put32(out, entries_.size() + puts_.size() - replaced);
  auto put = puts_.begin();
  for (std::size_t i = 0; i <= entries_.size(); ++i) {
    std::string_view name = i < entries_.size() ? name_at(i) : std::string_view();
    for (; put != puts_.end() && (i == entries_.size() || put->first <= name); ++put)
      out.append(entry_bytes(put->first, put->second.st, put->second.id, put->second.mode));
    if (i == entries_.size()) break;
    if (puts_.find(name) != puts_.end()) continue;  // put in its place above
    std::size_t at = entries_[i];
    std::size_t end = i + 1 < entries_.size() ? entries_[i + 1] : entries_end_;
    std::size_t here = out.size();
    out.append(data_, at, end - at);
    if (racily_changed(i, work_tree)) set32(out, here + size_field, 0);
  }
  if (tree_) {
    CachedTree root = *tree_;
    for (const auto& [name, p] : puts_) invalidate(root, name);
    std::string tree;
    render_tree(root, tree);
    out.append("TREE");
    put32(out, tree.size());
    out.append(tree);
  }
  if (reuc_) {
    out.append("REUC");
    put32(out, reuc_->size());
    out.append(*reuc_);
  }
  ObjectId sum = sha1_of({out});
  out.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  return out;
}

IndexFile::HeldLock::~HeldLock() {
  if (!path.empty()) ::unlink(path.c_str());
}

std::string IndexFile::prepare(const std::string& work_tree) {
  std::string lock = path_ + ".lock";
  int fd = ::open(lock.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    return errno == EEXIST ? "'" + lock + "' exists"
                           : "cannot create '" + lock + "': " + std::strerror(errno);
  auto held = std::make_unique<HeldLock>();
  held->path = lock;
  auto fail = [&](std::string why) {
    ::close(fd);
    return why;  // `held` removes the lock
  };
  // Another git command may have written the index since it was read: put the entries
  // into that one, as git would have, had it waited for this lock.
  struct ::stat st;
  Stamp now;
  if (::stat(path_.c_str(), &st) == 0)
    now = stamp_of(st);
  else if (errno != ENOENT)
    return fail("cannot read '" + path_ + "': " + std::strerror(errno));
  if (!(now == stamp_)) {
    std::optional<IndexFile> again = read(path_);
    if (!again)
      return fail("'" + path_ + "' changed while brm worked, into a form brm does not write");
    again->puts_ = std::move(puts_);
    *this = std::move(*again);
  }
  std::string bytes = render(work_tree);
  if (!write_whole(fd, bytes)) return fail("cannot write '" + lock + "': " + std::strerror(errno));
  if (::close(fd) != 0) return "cannot write '" + lock + "': " + std::strerror(errno);
  lock_ = std::move(held);
  return "";
}

std::string IndexFile::finish() {
  if (!lock_) return "the index was not written";
  std::string lock = std::exchange(lock_->path, "");
  lock_.reset();
  if (::rename(lock.c_str(), path_.c_str()) == 0) return "";
  int e = errno;
  ::unlink(lock.c_str());
  return "cannot rename '" + lock + "': " + std::strerror(e);
}

void IndexFile::abandon() { lock_.reset(); }

std::string IndexFile::write(const std::string& work_tree) {
  std::string why = prepare(work_tree);
  return why.empty() ? finish() : why;
}

}  // namespace brm::gitx

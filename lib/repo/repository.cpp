// Loading a repository: list the files, parse and validate each (on every core; files
// are independent until the rules beyond one file), then index and run the rules.
#include "brm/repository.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/git.hpp"
#include "brm/parse_cache.hpp"
#include "brm/schemas.hpp"
#include "brm/yaml.hpp"

namespace fs = std::filesystem;

namespace brm {

fs::path find_repository_root(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) throw Error(ExitCode::NotARepository, fmt::format("cannot resolve '{}'", start.string()));
  dir = dir.lexically_normal();
  if (!fs::is_directory(dir, ec))
    throw Error(ExitCode::NotARepository, fmt::format("'{}' is not a folder", start.string()));
  for (fs::path d = dir;; d = d.parent_path()) {
    if (fs::is_regular_file(d / "brm.yaml", ec)) return d;
    if (d == d.parent_path()) break;
  }
  throw Error(ExitCode::NotARepository,
              fmt::format("not a brm repository (or any of the parent folders): {}\n"
                          "hint: run 'brm init' to create one here",
                          dir.string()));
}

Snapshot read_git_tree(const fs::path& brm_root, std::string_view rev, bool record_texts) {
  std::vector<std::string_view> folders;
  for (const Kind& k : kinds()) folders.push_back(k.folder);
  folders.push_back("schema");
  return read_git_folders(brm_root, rev, folders, record_texts);
}

namespace {

// Reads a file relative to an open folder, never through a symbolic link (O_NOFOLLOW:
// a link swapped in after the listing is refused, not followed).
// Reads an open file of `size` bytes (as stat'ed).
void read_open_file(int fd, std::size_t size, std::string* out) {
  // Files beyond the limit are read only so far: the parser reports their size.
  constexpr std::size_t cap = (std::size_t{1} << 20) + 1;
  out->resize(std::min(size, cap));
  std::size_t got = 0;
  while (got < out->size()) {
    ssize_t n = ::read(fd, out->data() + got, out->size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got < out->size()) out->resize(got);  // shrank while we read
  if (size > cap) out->resize(size);        // the size is what the parser reports
}

bool read_file_at(int dir_fd, const char* name, std::size_t size, std::string* out) {
  int fd = ::openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  read_open_file(fd, size, out);
  ::close(fd);
  return true;
}

// An open folder that closes itself.
struct Folder {
  int fd = -1;
  explicit Folder(int f) : fd(f) {}
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  ~Folder() {
    if (fd >= 0) ::close(fd);
  }
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Snapshot read_worktree(const fs::path& root) { return read_worktree(root, Reuse()); }

namespace {

// Runs fn(0..n-1) on `threads` threads (0: one per core), at least `per_thread` items each.
template <class Fn>
void parallel_for(std::size_t n, unsigned threads, std::size_t per_thread, Fn fn) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(
      std::min<std::size_t>(threads, std::max<std::size_t>(1, n / per_thread)));
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// One entry of a folder's listing, in the order findings and files are reported: a file
// to stat and read, or a finding the listing made itself. Its path is kept in the
// folder's buffer, so that a file the cache stands in for costs no string of its own.
struct Listed {
  std::uint32_t at = 0;  // the path, relative to the root, in FolderList::paths
  std::uint32_t size = 0;
  std::uint32_t name_at = 0;  // where the name within the folder starts in the path
  int finding = -1;           // -1: a file; else the listing's own finding
  bool reusable = false;      // `reuse` may stand in for it (record files)
  bool regular = false;       // a regular file, as the listing says (d_type)
  bool stat_ok = false;
  bool have_file = false;  // read, or stood in for
  bool reused = false;     // stood in for
  int error = 0;
  mode_t mode = 0;
  FileStamp stamp;
  std::string content;
};

// A folder's listing, its paths in one buffer, each ended by a NUL for the calls that
// take one.
struct FolderList {
  int dir_fd = -1;
  std::string paths;
  std::vector<Listed> listed;
  Diagnostics findings;                // what Listed::finding counts in
  std::vector<std::string> leftovers;  // Snapshot::leftovers, relative to the root

  std::string_view path(const Listed& l) const {
    return std::string_view(paths).substr(l.at, l.size);
  }
  const char* name(const Listed& l) const { return paths.c_str() + l.at + l.name_at; }
  void add_finding(Diagnostic d) {
    Listed l;
    l.finding = static_cast<int>(findings.size());
    findings.push_back(std::move(d));
    listed.push_back(std::move(l));
  }
  void add_file(std::string_view folder, std::string_view name, bool reusable, bool regular) {
    Listed l;
    l.at = static_cast<std::uint32_t>(paths.size());
    if (!folder.empty()) paths.append(folder).append(1, '/');
    l.name_at = static_cast<std::uint32_t>(paths.size() - l.at);
    paths.append(name);
    l.size = static_cast<std::uint32_t>(paths.size() - l.at);
    paths.append(1, '\0');
    l.reusable = reusable;
    l.regular = regular;
    listed.push_back(std::move(l));
  }
};

// A temporary file a writer killed halfway left: `.<name>.<hex>.brm-tmp` (files.cpp), a
// regular file.
bool is_leftover(int fd, const struct ::dirent& e) {
  if (!is_atomic_file_temp(e.d_name)) return false;
  struct ::stat st {};
  return e.d_type == DT_REG ||
         (e.d_type == DT_UNKNOWN && ::fstatat(fd, e.d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISREG(st.st_mode));
}

// The names of an open folder but those starting with '.' (., .., .gitkeep, editors'
// files), sorted, as views into one buffer: a folder of thousands of files costs no
// string apiece. False when the folder cannot be listed. Killed writers' temporary files
// among the hidden ones are kept apart, in `leftovers`.
struct Names {
  struct Name {
    std::uint64_t key;  // 8 bytes from where the names start to differ, for sorting
    std::uint32_t at, size;
    unsigned char type;  // readdir's d_type
  };
  std::string buffer;
  std::vector<Name> names;
  std::vector<std::string> leftovers;  // killed writers' temporary files (is_leftover)
  std::string_view view(const Name& n) const {
    return std::string_view(buffer).substr(n.at, n.size);
  }
  const char* c_str(const Name& n) const { return buffer.c_str() + n.at; }

  bool list(int fd) {
    int list_fd = ::dup(fd);  // closedir closes it; `fd` stays open for the reads
    DIR* dir = list_fd >= 0 ? ::fdopendir(list_fd) : nullptr;
    if (!dir) {
      int e = errno;
      if (list_fd >= 0) ::close(list_fd);
      errno = e;
      return false;
    }
    while (const struct ::dirent* e = ::readdir(dir)) {
      if (e->d_name[0] == '.') {
        if (is_leftover(fd, *e)) leftovers.emplace_back(e->d_name);
        continue;
      }
      std::size_t size = std::strlen(e->d_name);
      names.push_back({0, static_cast<std::uint32_t>(buffer.size()),
                       static_cast<std::uint32_t>(size), e->d_type});
      buffer.append(e->d_name, size + 1);
    }
    ::closedir(dir);
    sort();
    return true;
  }

 private:
  // Names in a folder share long prefixes (2024-05-17-meeting-...): comparing 8 bytes
  // past the common prefix as one number settles most comparisons without memcmp.
  void sort() {
    if (names.empty()) return;
    std::string_view first = view(names.front());
    std::size_t common = first.size();
    for (const Name& n : names) {
      std::string_view v = view(n);
      std::size_t i = 0;
      while (i < common && i < v.size() && v[i] == first[i]) ++i;
      common = i;
    }
    for (Name& n : names) {
      std::uint64_t key = 0;
      for (std::size_t i = 0; i < 8; ++i) {
        std::size_t at = common + i;
        key = (key << 8) | (at < n.size ? static_cast<unsigned char>(buffer[n.at + at]) : 0u);
      }
      n.key = key;
    }
    std::sort(names.begin(), names.end(), [&](const Name& a, const Name& b) {
      return a.key != b.key ? a.key < b.key : view(a) < view(b);
    });
  }
};

}  // namespace

namespace {

// Stats without following links: a link is reported, never read through.
void stat_listed(const FolderList& list, Listed& l) {
  struct ::stat st {};
  l.stat_ok = ::fstatat(list.dir_fd, list.name(l), &st, AT_SYMLINK_NOFOLLOW) == 0;
  if (!l.stat_ok) {
    l.error = errno;
    return;
  }
  l.mode = st.st_mode;
  l.stamp = stamp_of(st);
}

// The folders brm reads: one per kind, then the schemas.
std::vector<std::string> data_folders() {
  std::vector<std::string> folders;
  for (const Kind& k : kinds()) folders.emplace_back(k.folder);
  folders.emplace_back("schema");
  return folders;
}

// Whether a listed name is a folder; d_type says so on most file systems, stat on others.
bool is_subfolder(int fd, const Names& names, const Names::Name& n) {
  struct ::stat est {};
  return n.type == DT_DIR ||
         (n.type == DT_UNKNOWN && ::fstatat(fd, names.c_str(n), &est, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISDIR(est.st_mode));
}

// Turns a folder's names into files to read and warnings for what is not a record; the
// schema folder may hold anything else without a word.
void add_folder_entries(FolderList& out, const std::string& folder, int fd, const Names& names) {
  bool is_schema = folder == "schema";
  out.listed.reserve(names.names.size());
  out.paths.reserve(names.buffer.size() + names.names.size() * (folder.size() + 1));
  for (const Names::Name& n : names.names) {
    std::string_view name = names.view(n);
    auto rel = [&] { return fmt::format("{}/{}", folder, name); };
    if (is_subfolder(fd, names, n)) {
      if (!is_schema)
        out.add_finding({rel(), 0, 0, Severity::Warning, "stray-file",
                         "folders inside a kind's folder are ignored"});
      continue;
    }
    if (!ends_with(name, ".yaml")) {
      if (!is_schema)
        out.add_finding({rel(), 0, 0, Severity::Warning, "stray-file",
                         ends_with(name, ".yml") ? "ignored: records end in '.yaml', not '.yml'"
                                                 : "ignored: not a .yaml file"});
      continue;
    }
    out.add_file(folder, name, !is_schema, n.type == DT_REG);
  }
}

// Lists one folder found under the root into `out`; the folder stays open in `open`
// for the reads that follow. With `stat_now`, its files are stat'ed here, on this worker.
void list_folder(int root_fd, const std::string& folder, const struct ::stat& st, bool stat_now,
                 FolderList& out, std::unique_ptr<Folder>& open) {
  if (S_ISLNK(st.st_mode)) {
    out.add_finding({folder, 0, 0, Severity::Error, "symlink",
                     "the folder is a symbolic link; brm does not follow links"});
    return;
  }
  if (!S_ISDIR(st.st_mode)) return;
  int fd = ::openat(root_fd, folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  Names names;
  if (fd >= 0) open = std::make_unique<Folder>(fd);
  if (fd < 0 || !names.list(fd)) {
    out.add_finding({folder, 0, 0, Severity::Error, "unreadable",
                     fmt::format("cannot list the folder: {}", std::strerror(errno))});
    return;
  }
  out.dir_fd = fd;
  for (const std::string& name : names.leftovers) out.leftovers.push_back(folder + "/" + name);
  add_folder_entries(out, folder, fd, names);
  if (stat_now)
    for (Listed& l : out.listed)
      if (l.finding < 0) stat_listed(out, l);
}

// Lists every folder, a worker per folder, into lists[1..]. With a `reuse` to ask, each
// folder's files are stat'ed by the worker that listed them, the largest folders first
// (a folder's size grows with its entries), so that the workers finish together.
void list_folders(int root_fd, const std::vector<std::string>& folders, bool stat_now,
                  std::vector<FolderList>& lists,
                  std::vector<std::unique_ptr<Folder>>& open_folders) {
  std::vector<struct ::stat> folder_stats(folders.size());
  std::vector<bool> folder_found(folders.size());
  std::vector<std::size_t> order(folders.size());
  for (std::size_t fi = 0; fi < folders.size(); ++fi) {
    order[fi] = fi;
    folder_found[fi] =
        ::fstatat(root_fd, folders[fi].c_str(), &folder_stats[fi], AT_SYMLINK_NOFOLLOW) == 0;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return (folder_found[a] ? folder_stats[a].st_size : 0) >
           (folder_found[b] ? folder_stats[b].st_size : 0);
  });
  parallel_for(folders.size(), 0, 1, [&](std::size_t nth) {
    std::size_t fi = order[nth];
    if (!folder_found[fi]) return;
    list_folder(root_fd, folders[fi], folder_stats[fi], stat_now, lists[fi + 1], open_folders[fi]);
  });
}

// One listed entry and the folder list it belongs to.
struct Ref {
  FolderList* list;
  Listed* l;
};

// Every entry, in the listing's order, for the steps below.
std::vector<Ref> all_entries(std::vector<FolderList>& lists) {
  std::vector<Ref> refs;
  std::size_t total = 0;
  for (const FolderList& list : lists) total += list.listed.size();
  refs.reserve(total);
  for (FolderList& list : lists)
    for (Listed& l : list.listed) refs.push_back({&list, &l});
  return refs;
}

bool readable(const Listed& l) {
  return l.finding < 0 && l.stat_ok && S_ISREG(l.mode) && !l.have_file;
}

void read_listed(const FolderList& list, Listed& l) {
  if (!readable(l)) return;
  if (read_file_at(list.dir_fd, list.name(l), static_cast<std::size_t>(l.stamp.size), &l.content))
    l.have_file = true;
  else
    l.error = errno;
}

// A file the listing calls regular, opened without following links and without
// blocking (should it have become a fifo), stat'ed by its descriptor and read: one path
// lookup instead of two. False when that did not work out, for the slow way to say why.
bool open_stat_read(const FolderList& list, Listed& l) {
  if (!l.regular) return false;
  int fd = ::openat(list.dir_fd, list.name(l), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct ::stat st {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    l.stat_ok = true;
    l.mode = st.st_mode;
    l.stamp = stamp_of(st);
    read_open_file(fd, static_cast<std::size_t>(st.st_size), &l.content);
    l.have_file = true;
  }
  ::close(fd);
  return ok;
}

// How many record files `reuse` was asked about, and how many it stands in for.
struct ReuseCount {
  std::size_t asked = 0, reused = 0;
};

// Asks `reuse`, in order and from this thread only, about every record file already
// stat'ed, then reads on every core the files it does not stand in for.
ReuseCount read_with_reuse(FolderList& root_list, const std::vector<Ref>& refs,
                           const Reuse& reuse) {
  ReuseCount count;
  // brm.yaml; the folders' files were stat'ed as listed.
  stat_listed(root_list, root_list.listed.front());
  for (const Ref& r : refs) {
    if (!r.l->reusable || !readable(*r.l)) continue;
    ++count.asked;
    if (reuse.file(r.list->path(*r.l), r.l->stamp)) {
      r.l->have_file = r.l->reused = true;
      ++count.reused;
    }
  }
  parallel_for(refs.size(), 0, 64, [&](std::size_t i) { read_listed(*refs[i].list, *refs[i].l); });
  return count;
}

// Stats and reads every file on every core, the fast way first.
void read_all(const std::vector<Ref>& refs) {
  parallel_for(refs.size(), 0, 64, [&](std::size_t i) {
    const Ref& r = refs[i];
    if (r.l->finding >= 0 || open_stat_read(*r.list, *r.l)) return;
    stat_listed(*r.list, *r.l);
    read_listed(*r.list, *r.l);
  });
}

// Adds what an entry turned out to be: its listing's finding, a finding for a file that
// could not be read or is no regular file, or the file. With `keep_reused` false, a file
// the caller stands in for is left out and the others' contents copied, not moved: the
// caller may still decline, and the whole snapshot then needs them.
void add_to_snapshot(const Ref& r, bool keep_reused, Snapshot& snap) {
  FolderList& list = *r.list;
  Listed& l = *r.l;
  auto path = [&] { return std::string(list.path(l)); };
  if (l.finding >= 0) {
    const Diagnostic& d = list.findings[static_cast<std::size_t>(l.finding)];
    snap.findings.push_back(
        keep_reused ? std::move(list.findings[static_cast<std::size_t>(l.finding)]) : d);
  } else if (!l.stat_ok) {
    snap.findings.push_back({path(), 0, 0, Severity::Error, "unreadable",
                             fmt::format("cannot read the file: {}", std::strerror(l.error))});
  } else if (S_ISLNK(l.mode)) {
    snap.findings.push_back({path(), 0, 0, Severity::Error, "symlink",
                             "the file is a symbolic link; brm does not follow links"});
  } else if (!S_ISREG(l.mode)) {
    snap.findings.push_back({path(), 0, 0, Severity::Error, "stray-file", "not a regular file"});
  } else if (!l.have_file) {
    snap.findings.push_back({path(), 0, 0, Severity::Error, "unreadable",
                             fmt::format("cannot read the file: {}", std::strerror(l.error))});
  } else if (keep_reused) {
    snap.files.push_back({path(), std::move(l.content), {}, l.stamp});
  } else if (!l.reused) {
    snap.files.push_back({path(), l.content, {}, l.stamp});
  }
}

// The snapshot, in the listing's order (see add_to_snapshot for `keep_reused`).
Snapshot snapshot_of(const std::vector<Ref>& refs, std::size_t reused, bool keep_reused) {
  Snapshot snap;
  snap.files.reserve(keep_reused ? refs.size() : refs.size() - reused);
  for (const Ref& r : refs) add_to_snapshot(r, keep_reused, snap);
  return snap;
}

}  // namespace

Snapshot read_worktree(const fs::path& root, const Reuse& reuse) {
  Folder root_dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root_dir.fd < 0)
    throw Error(ExitCode::Io,
                fmt::format("cannot open '{}': {}", root.string(), std::strerror(errno)));

  // First the listing, a worker per folder, each into its own list; then the files are
  // stat'ed and read on every core, since the kernel's work for 25,000 small files is as
  // much as parsing them. `reuse` is asked in between, in order, from this thread only.
  std::vector<std::string> folders = data_folders();
  std::vector<FolderList> lists(folders.size() + 1);
  std::vector<std::unique_ptr<Folder>> open_folders(folders.size());
  // brm.yaml marks the root; a link there would be read from wherever it points.
  lists[0].dir_fd = root_dir.fd;
  lists[0].add_file("", "brm.yaml", false, false);
  list_folders(root_dir.fd, folders, static_cast<bool>(reuse.file), lists, open_folders);

  std::vector<Ref> refs = all_entries(lists);
  ReuseCount count;
  if (reuse.file)
    count = read_with_reuse(lists[0], refs, reuse);
  else
    read_all(refs);

  auto with_leftovers = [&](Snapshot snap) {
    for (FolderList& list : lists)
      for (std::string& path : list.leftovers) snap.leftovers.push_back(std::move(path));
    return snap;
  };
  if (reuse.leave_out && count.reused > 0 && count.reused == count.asked) {
    Snapshot others = snapshot_of(refs, count.reused, false);
    if (reuse.leave_out(others)) {
      others.left_out = count.reused;
      return with_leftovers(std::move(others));
    }
  }
  return with_leftovers(snapshot_of(refs, count.reused, true));
}

void keep_until_exit(Repository&& repo) {
  // Held through a pointer that is never freed, so that LeakSanitizer still sees the
  // records reachable at exit (a static vector would be destroyed first).
  static auto* kept = new std::vector<Repository*>;
  kept->push_back(new Repository(std::move(repo)));
}

const Record* Repository::find(KindId k, std::string_view id) const {
  const auto& rs = of(k);
  auto it = std::lower_bound(rs.begin(), rs.end(), id,
                             [](const Record& r, std::string_view v) { return r.id < v; });
  return it != rs.end() && it->id == id ? &*it : nullptr;
}

std::vector<const Record*> Repository::valid_records(KindId k) const {
  std::vector<const Record*> out;
  for (const Record& r : of(k))
    if (r.valid) out.push_back(&r);
  return out;
}

std::string Repository::label_of(KindId k, std::string_view id) const {
  const Record* r = find(k, id);
  return std::string(r ? r->label() : id);
}

std::string_view Repository::account_of(std::string_view id) const {
  const Record* r = find(KindId::Customer, id);
  if (!r) return {};
  if (r->text("role") == "purchaser") return r->text("customer");
  return r->id;
}

void for_each_path_value(const Value& doc, std::string_view path,
                         const std::function<void(const Value&)>& fn) {
  std::size_t dot = path.find('.');
  std::string_view step = path.substr(0, dot);
  std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  bool each = step.ends_with("[]");
  const Value* v = doc.find(each ? step.substr(0, step.size() - 2) : step);
  if (!v) return;
  if (!each) {
    if (rest.empty())
      fn(*v);
    else if (v->is_mapping())
      for_each_path_value(*v, rest, fn);
    return;
  }
  for (const Value& item : v->items()) {
    if (rest.empty())
      fn(item);
    else if (item.is_mapping())
      for_each_path_value(item, rest, fn);
  }
}

std::vector<const Record*> Repository::referrers(KindId kind, std::string_view id) const {
  std::vector<const Record*> out;
  for (const Kind& k : kinds()) {
    for (const Record& r : of(k.id)) {
      bool refers = false;
      for (const Reference& ref : k.references) {
        if (ref.target != kind) continue;
        for_each_path_value(r.doc, ref.path, [&](const Value& v) {
          if (v.is_string() && v.as_string() == id) refers = true;
        });
      }
      if (refers && !(r.kind == kind && r.id == id)) out.push_back(&r);
    }
  }
  return out;
}

namespace {

Targets read_targets(const Value& doc) {
  Targets t;
  auto share = [&](std::string_view k, std::optional<double>* out) {
    if (const Value* v = doc.find(k); v && v->is_number()) *out = v->as_double();
  };
  share("contacts", &t.contacts);
  share("agreements", &t.agreements);
  share("csat", &t.csat);
  if (const Value* v = doc.find("complaints_open"); v && v->type() == Value::Type::Int)
    t.complaints_open = v->as_int();
  return t;
}

// Whether `r` refers to `id` of kind `target` at `path` (one of its kind's references).
bool refers_at(const Record& r, std::string_view path, KindId target, std::string_view id) {
  bool found = false;
  for (const Reference& ref : kind_of(r.kind).references) {
    if (ref.path != path || ref.target != target) continue;
    for_each_path_value(r.doc, path, [&](const Value& v) {
      found = found || (v.is_string() && v.as_string() == id);
    });
  }
  return found;
}

}  // namespace

std::vector<const Record*> Repository::referrers_through(KindId kind, std::string_view id) const {
  std::vector<const Record*> out;
  for (const Kind& k : kinds()) {
    if (!k.through) continue;
    const Through& through = *k.through;
    for (const Record& r : of(k.id)) {
      bool belongs = false;
      for (const Reference& ref : k.references) {
        if (ref.target != through.via) continue;
        for_each_path_value(r.doc, ref.path, [&](const Value& v) {
          const Record* via = v.is_string() ? find(through.via, v.as_string()) : nullptr;
          belongs = belongs || (via && refers_at(*via, through.path, kind, id));
        });
      }
      if (belongs) out.push_back(&r);
    }
  }
  return out;
}

namespace {

Settings read_settings(const Value& doc) {
  Settings s;
  auto text = [&](std::string_view k, std::string* out) {
    if (const Value* v = doc.find(k); v && v->is_string()) *out = v->as_string();
  };
  auto number = [&](const Value* v, int* out) {
    if (v && v->type() == Value::Type::Int) *out = static_cast<int>(v->as_int());
  };
  text("organisation", &s.organisation);
  text("currency", &s.currency);
  if (const Value* survey = doc.find("survey"); survey && survey->is_mapping()) {
    number(survey->find("scale"), &s.survey_scale);
    number(survey->find("satisfied"), &s.survey_satisfied);
  }
  number(doc.find("review_warning_days"), &s.review_warning_days);
  number(doc.find("meeting_interval_days"), &s.meeting_interval_days);
  if (const Value* c = doc.find("commit"); c && c->is_bool()) s.commit = c->as_bool();
  if (const Value* t = doc.find("targets"); t && t->is_mapping()) s.targets = read_targets(*t);
  return s;
}

}  // namespace

namespace {

// Reads the settings out of brm.yaml's text, where it is a mapping.
void apply_settings(const SourceFile& file, const RecordSchemas& schemas, Settings* settings,
                    Diagnostics* findings) {
  Value doc;
  if (!parse_yaml(file.content, "brm.yaml", &doc, findings)) return;
  if (!doc.is_mapping()) {
    findings->push_back({"brm.yaml", doc.mark().line, doc.mark().column, Severity::Error,
                         "not-a-mapping", "brm.yaml is a mapping of settings"});
    return;
  }
  schemas.validate_settings(doc, "brm.yaml", findings);
  *settings = read_settings(doc);
}

// brm.yaml comes first: its settings shape the rules. Its absence is reported only when
// nothing was said about it yet (an unreadable brm.yaml already has its finding).
void load_settings(const std::vector<SourceFile>& files, const RecordSchemas& schemas,
                   Settings* settings, Diagnostics* findings) {
  auto settings_file = std::find_if(files.begin(), files.end(),
                                    [](const SourceFile& f) { return f.path == "brm.yaml"; });
  if (settings_file != files.end()) {
    apply_settings(*settings_file, schemas, settings, findings);
  } else if (std::none_of(findings->begin(), findings->end(),
                          [](const Diagnostic& d) { return d.file == "brm.yaml"; })) {
    findings->push_back(
        {"brm.yaml", 0, 0, Severity::Error, "missing-settings", "brm.yaml is missing"});
  }
}

// The record files of a snapshot, each with its kind, its id and its place in its kind's
// list of records.
struct RecordFiles {
  std::vector<std::pair<SourceFile*, const Kind*>> work;
  std::vector<std::string_view> ids;
  std::vector<std::size_t> slot;
};

RecordFiles find_record_files(std::vector<SourceFile>& files) {
  RecordFiles rf;
  for (SourceFile& f : files) {
    std::string_view id;
    if (const Kind* k = kind_of_record_path(f.path, &id)) {
      rf.work.emplace_back(&f, k);
      rf.ids.push_back(id);
    }
  }
  return rf;
}

// Each file parses straight into its place in its kind's list, and the places of
// files that gave no record are dropped after: no second copy of every record.
void make_room_for_records(RecordFiles& rf, Repository& repo) {
  rf.slot.resize(rf.work.size());
  std::array<std::size_t, kind_count> per_kind{};
  for (std::size_t i = 0; i < rf.work.size(); ++i)
    rf.slot[i] = per_kind[static_cast<std::size_t>(rf.work[i].second->id)]++;
  for (std::size_t k = 0; k < kind_count; ++k) repo.records[k].resize(per_kind[k]);
}

// What the parse of every record file needs to know, and where it puts what is not a
// record: each file's findings, and the ids of files that gave no record.
struct RecordParse {
  const RecordSchemas& schemas;
  const LoadOptions& options;
  const SourceFile* first_file;  // for the index options.parsed is told
  std::string schemas_key;
  std::vector<Diagnostics> file_findings;
  std::vector<std::string> unparsed;
};

// Parses one record file into its place. A file read from git that was parsed before
// (same blob, same schemas) is copied from the cache, not parsed again: history walks
// see mostly unchanged files.
void parse_record_at(std::size_t i, const RecordFiles& rf, RecordParse& p, Repository& repo) {
  SourceFile& f = *rf.work[i].first;
  const LoadOptions& options = p.options;
  ParsedFile parsed;
  if (!options.cache || !options.cache->fetch(p.schemas_key, f, &parsed)) {
    parsed = parse_record(f, *rf.work[i].second, rf.ids[i], p.schemas);
    if (options.cache) options.cache->insert(p.schemas_key, f, parsed);
    if (options.parsed)
      options.parsed(static_cast<std::size_t>(rf.work[i].first - p.first_file), f, parsed);
  }
  if (!parsed.record && is_valid_id(rf.ids[i])) p.unparsed[i] = std::string(rf.ids[i]);
  // The text and path are not needed once parsed; freed now, the trees that follow
  // reuse their room.
  std::string().swap(f.content);
  std::string().swap(f.path);
  p.file_findings[i] = std::move(parsed.findings);
  if (parsed.record) {
    if (options.keep) keep_fields(&*parsed.record, *options.keep);
    parsed.record->doc.shrink_to_fit();  // kept for the whole run: no room for growth
    // A record always has an id: an empty one marks a place left empty.
    repo.of(rf.work[i].second->id)[rf.slot[i]] = std::move(*parsed.record);
  }
}

// Parses every record file on options.threads threads, telling options.progress.
void parse_records(const RecordFiles& rf, RecordParse& p, Repository& repo) {
  std::size_t n = rf.work.size();
  p.file_findings.resize(n);
  p.unparsed.resize(n);
  std::atomic<std::size_t> done{0};
  parallel_for(n, p.options.threads, 64, [&](std::size_t i) {
    parse_record_at(i, rf, p, repo);
    std::size_t d = done.fetch_add(1) + 1;
    if (p.options.progress && (d % 256 == 0 || d == n)) p.options.progress(d, n);
  });
}

// Hands over the files' findings in file order and the ids of files that gave no record.
void collect_parse_results(const RecordFiles& rf, RecordParse& p, Repository& repo,
                           Diagnostics* findings) {
  for (Diagnostics& ds : p.file_findings)
    for (auto& d : ds) findings->push_back(std::move(d));
  std::vector<Diagnostics>().swap(p.file_findings);
  for (std::size_t i = 0; i < rf.work.size(); ++i)
    if (!p.unparsed[i].empty())
      repo.unparsed[static_cast<std::size_t>(rf.work[i].second->id)].push_back(p.unparsed[i]);
}

// Drops the places left empty, counts the invalid records and sorts each kind by id,
// the order every command lists them in.
void settle_records(Repository& repo) {
  for (auto& rs : repo.records) {
    std::erase_if(rs, [](const Record& r) { return r.id.empty(); });
    repo.invalid += static_cast<std::size_t>(
        std::count_if(rs.begin(), rs.end(), [](const Record& r) { return !r.valid; }));
  }
  for (auto& rs : repo.records)
    std::sort(rs.begin(), rs.end(), [](const Record& a, const Record& b) { return a.id < b.id; });
}

}  // namespace

Repository load_repository(Snapshot snap, Diagnostics* findings, const LoadOptions& options) {
  Repository repo;
  for (auto& d : snap.findings) findings->push_back(std::move(d));
  repo.files = snap.files.size();

  RecordSchemas schemas(snap.files, findings);
  load_settings(snap.files, schemas, &repo.settings, findings);

  RecordFiles rf = find_record_files(snap.files);
  repo.record_files = rf.work.size();
  make_room_for_records(rf, repo);
  RecordParse parse{schemas,
                    options,
                    snap.files.data(),
                    options.cache ? ParseCache::schemas_key(snap.files) : std::string(),
                    {},
                    {}};
  parse_records(rf, parse, repo);
  std::vector<SourceFile>().swap(snap.files);
  collect_parse_results(rf, parse, repo, findings);
  settle_records(repo);

  if (options.rules) check_rules(repo, findings, today());
  sort_diagnostics(*findings);
  return repo;
}

}  // namespace brm

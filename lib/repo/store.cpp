// Write transactions: the repository lock, validation of the repository as it would be
// after a change, all-or-nothing writes, and the commit.
#include "brm/store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "brm/canonical.hpp"
#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/git.hpp"
#include "brm/git_handle.hpp"
#include "brm/line_endings.hpp"
#include "brm/parse_cache.hpp"
#include "brm/record_cache.hpp"
#include "brm/schemas.hpp"
#include "brm/trace.hpp"
#include "brm/utf8.hpp"
#include "brm/yaml.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

// ---- the lock ---------------------------------------------------------------------

// The lock lives in the git dir when there is one, so that it never shows in
// `git status`; otherwise beside brm.yaml.
fs::path lock_path_for(const fs::path& root, const GitWriter* git) {
  return git ? git->git_dir() / "brm.lock" : root / ".brm.lock";
}

struct LockHolder {
  bool exists = false;
  long pid = 0;        // 0 when the file holds no pid (yet)
  bool empty = false;  // a file we could read, with nothing in it
  ino_t inode = 0;
  std::time_t since = 0;
};

LockHolder read_holder(const fs::path& path) {
  LockHolder h;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    // Something we cannot read (a symbolic link, say) still holds the place: it must
    // count as held by an unknown process, or acquire_lock would spin on it for ever.
    struct stat st {};
    if (errno != ENOENT && ::lstat(path.c_str(), &st) == 0) {
      h.exists = true;
      h.inode = st.st_ino;
      h.since = st.st_mtime;
    }
    return h;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    h.exists = true;
    h.inode = st.st_ino;
    h.since = st.st_mtime;
  }
  char buf[32] = {};
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n > 0) h.pid = std::strtol(buf, nullptr, 10);
  h.empty = h.exists && n == 0;
  return h;
}

std::string local_time(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// Takes the lock file (O_EXCL, holding our pid), waiting with backoff while another
// live process holds it. A lock whose process is gone is taken over.
void acquire_lock(const fs::path& path, int timeout_ms) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + std::chrono::milliseconds(std::max(timeout_ms, 0));
  auto delay = std::chrono::milliseconds(5);
  for (;;) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd >= 0) {
      std::string pid = fmt::format("{}\n", ::getpid());
      bool ok = ::write(fd, pid.data(), pid.size()) == static_cast<ssize_t>(pid.size());
      int err = errno;
      ::close(fd);
      if (!ok) {
        ::unlink(path.c_str());
        throw Error(ExitCode::Io, fmt::format("cannot write the lock file '{}': {}", path.string(),
                                              std::strerror(err)));
      }
      return;
    }
    if (int err = errno; err != EEXIST)
      throw Error(ExitCode::Io, fmt::format("cannot create the lock file '{}': {}", path.string(),
                                            std::strerror(err)));
    LockHolder holder = read_holder(path);
    if (!holder.exists) continue;  // released between our two looks
    bool dead = holder.pid > 0 && ::kill(static_cast<pid_t>(holder.pid), 0) != 0 && errno == ESRCH;
    // A brm killed between creating the lock and writing its pid leaves it empty. A live
    // one writes its pid at once, so an empty lock seconds old was left by a dead one.
    bool abandoned = holder.empty && std::time(nullptr) - holder.since > 2;
    if (dead || abandoned) {
      // Take it over only if it is still the file we read, so that two processes
      // finding the same stale lock do not remove each other's fresh one.
      struct stat st {};
      if (::lstat(path.c_str(), &st) == 0 && st.st_ino == holder.inode) {
        ::unlink(path.c_str());
        if (dead)
          std::fprintf(stderr,
                       "brm: note: took over the lock of pid %ld, which is no longer running\n",
                       holder.pid);
        else
          std::fprintf(stderr,
                       "brm: note: took over an empty lock left by a brm that was killed\n");
      }
      continue;
    }
    auto now = clock::now();
    if (now >= deadline) {
      std::string who = holder.pid > 0 ? fmt::format("pid {}", holder.pid) : "an unknown process";
      throw Error(
          ExitCode::Io,
          fmt::format("another brm is writing to this repository (lock held by {} since {}); "
                      "if no brm is running, remove {}",
                      who, local_time(holder.since), path.string()));
    }
    std::this_thread::sleep_for(std::min<clock::duration>(delay, deadline - now));
    delay = std::min(delay * 2, std::chrono::milliseconds(200));
  }
}

void release_lock(const fs::path& path) {
  // Only our own: someone may have removed a lock they thought stale and taken it.
  if (read_holder(path).pid == static_cast<long>(::getpid())) ::unlink(path.c_str());
}

// Writers killed halfway leave `.<name>.<hex>.brm-tmp` files (files.cpp); with the
// lock held no writer is running, so any that exist are leftovers. The load's listing
// finds those in the folders it lists (`listed`); the root is looked at here.
void remove_leftover_temps(const fs::path& root, const std::vector<std::string>& listed) {
  for (const std::string& path : listed) ::unlink((root / path).c_str());
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (is_atomic_file_temp(it->path().filename().string()) &&
        fs::is_regular_file(it->symlink_status(ec)))
      ::unlink(it->path().c_str());
  }
}

// ---- files ------------------------------------------------------------------------

// The current content of a file we may replace; nullopt when there is none.
std::optional<std::string> read_existing(const fs::path& root, const std::string& rel) {
  int fd = ::open((root / rel).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) return std::nullopt;
    if (err == ELOOP)
      throw Error(ExitCode::Io,
                  fmt::format("'{}' is a symbolic link; brm does not write through links", rel));
    throw Error(ExitCode::Io, fmt::format("cannot read '{}': {}", rel, std::strerror(err)));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw Error(ExitCode::Io, fmt::format("cannot read '{}': {}", rel, std::strerror(err)));
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// One file of the commit: what to put there (nullopt: remove it) and what was there.
struct Step {
  std::string path;
  std::optional<std::string> content;
  std::optional<std::string> old;
  bool made_folder = false;
};

// Puts back what was there before the steps that were done, newest first. A restore
// that fails is said on stderr: the command's own error follows and explains why.
void roll_back(const fs::path& root, const std::vector<Step>& done) {
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    fs::path p = root / it->path;
    try {
      if (it->old)
        write_file_atomic(p, *it->old);
      else
        ::unlink(p.c_str());
      if (it->made_folder) {
        std::error_code ec;
        fs::remove(p.parent_path(), ec);  // only when empty
      }
    } catch (const Error& e) {
      std::fprintf(stderr, "brm: error: could not restore '%s': %s\n", it->path.c_str(), e.what());
    }
  }
}

using FindingKey = std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>;

FindingKey key_of(const Diagnostic& d) { return {d.file, d.line, d.column, d.rule}; }

// Ids become file names: an id that is not one could point outside the kind's folder.
void require_valid_id(const std::string& id) {
  if (!is_valid_id(id))
    throw Error(ExitCode::Usage,
                fmt::format("'{}' is not a valid id: use lowercase letters, digits and '-' "
                            "(at most 64, starting with a letter or digit)",
                            id));
}

}  // namespace

struct Transaction::Impl {
  struct Change {
    KindId kind;
    std::string id;
    std::optional<Value> doc;         // nullopt: remove
    std::optional<std::string> text;  // put_text: the file's text, written as it is
  };

  fs::path root;
  WriteOptions options;
  std::unique_ptr<GitWriter> git;  // opened once: the lock's place, the checks, the commit
  std::future<std::unique_ptr<GitWriter>> opening;  // git, while it is opened beside the load
  fs::path lock;
  bool locked = false;
  Repository repo;
  WriteLoad load;
  FieldSelection fields;  // what the load kept of the records, when options.reads limits it
  FieldSelection narrow;  // options.reads alone: an add's load when the findings hold
  Date load_day;          // the day before the load: the findings it gave hold for it
  Diagnostics existing;
  std::set<FindingKey> existing_errors;
  std::unique_ptr<RecordSchemas> schemas;
  // path -> text as it is on disk, read when first asked for: a write reads one or two
  // files' text, not the whole repository's.
  mutable std::unordered_map<std::string, std::optional<std::string>> texts;
  std::map<std::string, Change> staged;  // by path: writes go in path order
  bool allow_dangling = false;
  std::vector<std::string> written;
  // The rules' findings (all) on the repository as the last validate() left it, for the
  // record cache; nullopt when that validate could not tell them exactly.
  mutable std::optional<Diagnostics> rules_after;
  mutable Date rules_day;

  bool id_taken(KindId kind, const std::string& id) const {
    std::string path = record_path(kind, id);
    std::error_code ec;
    return repo.find(kind, id) || staged.count(path) ||
           fs::exists(fs::symlink_status(root / path, ec));
  }

  bool commits() const { return options.commit && repo.settings.commit.value_or(true) && git; }
  // git once opened (null outside a git repository); throws what the opening threw.
  GitWriter* opened_git();
  // Loads the repository for the write, under the lock.
  void load_all();

  const std::string* text_of(std::string_view path) const {
    auto [it, added] = texts.try_emplace(std::string(path));
    if (added) {
      std::error_code ec;
      fs::path file = root / it->first;
      if (fs::is_regular_file(fs::symlink_status(file, ec))) {
        std::ifstream in(file, std::ios::binary);
        it->second.emplace(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
    }
    return it->second ? &*it->second : nullptr;
  }
};

namespace {

// Where the write's lock goes when git's folder can be found without libgit2 (as the
// record cache finds it): a plain discovery, none of the variables that steer git's own.
// Empty when only libgit2 can tell, or when git would refuse the repository.
fs::path lock_guess(const fs::path& root) {
  for (const char* v : {"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES",
                        "GIT_DISCOVERY_ACROSS_FILESYSTEM"})
    if (std::getenv(v)) return {};
  bool refused = false;
  fs::path git_dir = gitx::find_git_dir(root, &refused);
  return refused || git_dir.empty() ? fs::path() : git_dir / "brm.lock";
}

bool same_place(const fs::path& a, const fs::path& b) {
  std::error_code ec1, ec2;
  return fs::weakly_canonical(a, ec1) == fs::weakly_canonical(b, ec2) && !ec1 && !ec2;
}

}  // namespace

GitWriter* Transaction::Impl::opened_git() {
  if (opening.valid()) git = opening.get();
  return git.get();
}

void Transaction::Impl::load_all() {
  TraceRegion trace("open a write");
  // git's index is read for the commit beside the load, on another core: once the work
  // tree is listed, for the listing keeps both cores busy and the rest of the load one.
  if (options.commit)
    load.after_listing = [this] {
      if (GitWriter* g = opened_git()) g->read_index_ahead();
    };
  // Records come through the record cache, which also hands back brm.yaml and the
  // repository's own schemas as it read them: validate() needs them.
  if (options.reads) {
    fields = rule_read_fields();
    for (std::size_t k = 0; k < kind_count; ++k)
      for (std::string_view f : (*options.reads)[k])
        if (std::find(fields[k].begin(), fields[k].end(), f) == fields[k].end())
          fields[k].push_back(f);
    load.fields = &fields;
    narrow = *options.reads;
    load.narrow = &narrow;
  }
  load_day = today();
  try {
    TraceRegion trace_load("load for the write");
    existing.clear();
    repo = load_for_write(root, &existing, &load);
  } catch (...) {
    opened_git();  // git's refusal, should there be one, comes first as it always did
    throw;
  }
  opened_git();
  Diagnostics ignored;  // the same findings came from the load
  schemas = std::make_unique<RecordSchemas>(load.others, &ignored);
  repo.root = root;
  existing_errors.clear();
  for (const Diagnostic& d : existing)
    if (d.severity == Severity::Error) existing_errors.insert(key_of(d));
}

Transaction::Transaction(const fs::path& root, WriteOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& t = *impl_;
  t.root = fs::absolute(root).lexically_normal();
  t.options = options;
  // Loading libgit2 (git2_lazy.hpp), its start (it parses every CA certificate for HTTPS,
  // about 10 ms that brm never uses) and the repository's opening go on another core while
  // the lock is taken and the load begins, when git's folder, and so the lock's place, is
  // plain to find.
  t.lock = lock_guess(t.root);
  if (!t.lock.empty()) {
    try {
      t.opening = std::async(std::launch::async, [root = t.root] {
        TraceRegion trace("open the git repository");
        return GitWriter::open(root);
      });
    } catch (const std::system_error&) {
      t.lock.clear();  // no thread to be had: one step after the other, as before
    }
  }
  if (t.lock.empty()) {
    // Where git would refuse to work (safe.directory), brm refuses before it takes the lock.
    t.git = GitWriter::open(t.root);
    t.lock = lock_path_for(t.root, t.git.get());
  }
  try {
    acquire_lock(t.lock, options.lock_timeout_ms);
  } catch (...) {
    t.opened_git();  // git's refusal first, as above
    throw;
  }
  t.locked = true;
  try {
    t.load_all();
    if (fs::path lock = lock_path_for(t.root, t.git.get()); !same_place(lock, t.lock)) {
      // libgit2 found another repository than brm did: the lock belongs there.
      release_lock(t.lock);
      t.locked = false;
      t.lock = lock;
      acquire_lock(t.lock, options.lock_timeout_ms);
      t.locked = true;
      t.load = WriteLoad{};
      t.load_all();
    }
    remove_leftover_temps(t.root, t.load.leftovers);
  } catch (...) {
    if (t.locked) release_lock(t.lock);
    t.locked = false;
    throw;
  }
}

Transaction::~Transaction() {
  if (impl_ && impl_->locked) release_lock(impl_->lock);
}

const Repository& Transaction::repository() const { return impl_->repo; }

const Diagnostics& Transaction::existing_findings() const { return impl_->existing; }

const std::string* Transaction::original_text(std::string_view path) const {
  return impl_->text_of(path);
}

std::string Transaction::new_id(KindId kind, std::string_view label,
                                std::optional<Date> date) const {
  std::string base = slugify(label);
  if (!kind_of(kind).date_field.empty() && date) base = date->str() + "-" + base;
  for (int n = 1;; ++n) {
    std::string id = n == 1 ? base : fmt::format("{}-{}", base, n);
    if (!impl_->id_taken(kind, id)) return id;
  }
}

void Transaction::put(KindId kind, const std::string& id, Value doc) {
  require_valid_id(id);
  impl_->staged[record_path(kind, id)] = {kind, id, std::move(doc), std::nullopt};
}

void Transaction::put_text(KindId kind, const std::string& id, std::string text) {
  require_valid_id(id);
  std::string path = record_path(kind, id);
  Value doc;
  Diagnostics findings;
  if (!parse_yaml(text, path, &doc, &findings)) throw InvalidChange(std::move(findings));
  impl_->staged[path] = {kind, id, std::move(doc), std::move(text)};
}

void Transaction::remove(KindId kind, const std::string& id) {
  std::string path = record_path(kind, id);
  std::error_code ec;
  if (!is_valid_id(id) ||
      (!impl_->repo.find(kind, id) && !fs::exists(fs::symlink_status(impl_->root / path, ec))))
    throw Error(ExitCode::DataErrors, fmt::format("no {} '{}'", kind_of(kind).name, id));
  impl_->staged[path] = {kind, id, std::nullopt, std::nullopt};
}

void Transaction::allow_dangling(bool allow) { impl_->allow_dangling = allow; }

namespace {

// The staged changes applied to the loaded repository in place, and taken back when this
// goes: validating a change costs no copy of the repository.
class AppliedChanges {
 public:
  explicit AppliedChanges(Repository& repo) : repo_(repo) {}
  AppliedChanges(const AppliedChanges&) = delete;
  AppliedChanges& operator=(const AppliedChanges&) = delete;
  ~AppliedChanges() {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
      auto& records = repo_.of(it->kind);
      auto at = position(records, it->id);
      bool there = at != records.end() && at->id == it->id;
      if (there && it->old)
        *at = std::move(*it->old);
      else if (there)
        records.erase(at);
      else if (it->old)
        records.insert(at, std::move(*it->old));
    }
  }
  // Puts `r` in the place of the record with its id, or removes that one (r: nullopt).
  void apply(KindId kind, const std::string& id, std::optional<Record> r) {
    auto& records = repo_.of(kind);
    auto at = position(records, id);
    Undo& u = undo_.emplace_back(Undo{kind, id, std::nullopt});
    if (at != records.end() && at->id == id) {
      u.old = std::move(*at);
      if (r)
        *at = std::move(*r);
      else
        records.erase(at);
    } else if (r) {
      records.insert(at, std::move(*r));
    }
  }

 private:
  struct Undo {
    KindId kind;
    std::string id;
    std::optional<Record> old;  // the record that was there, if any
  };
  static std::vector<Record>::iterator position(std::vector<Record>& records,
                                                const std::string& id) {
    return std::lower_bound(records.begin(), records.end(), id,
                            [](const Record& x, const std::string& i) { return x.id < i; });
  }
  Repository& repo_;
  std::vector<Undo> undo_;
};

}  // namespace

namespace {

// Whether the load found the file of `id` but could not parse it.
bool did_not_parse(const Repository& repo, KindId kind, const std::string& id) {
  const auto& unparsed = repo.unparsed[static_cast<std::size_t>(kind)];
  return std::find(unparsed.begin(), unparsed.end(), id) != unparsed.end();
}

// Whether the rules on the repository with the staged changes applied are what a load of
// the work tree after the write would find. Not when a change touches a file that did not
// parse: the loaded repository still counts it among the files that do not.
bool rules_are_exact(const Transaction::Impl& t) {
  return std::none_of(t.staged.begin(), t.staged.end(), [&](const auto& staged) {
    return did_not_parse(t.repo, staged.second.kind, staged.second.id);
  });
}

}  // namespace

namespace {

// The staged records, validated by the schemas (findings into *found), put in place of
// those they replace.
void apply_staged(const Transaction::Impl& t, AppliedChanges& applied, Diagnostics* found) {
  for (const auto& [path, change] : t.staged) {
    if (!change.doc) {
      applied.apply(change.kind, change.id, std::nullopt);
      continue;
    }
    Record r;
    r.kind = change.kind;
    r.id = change.id;
    r.doc = *change.doc;
    if (r.doc.is_mapping())
      r.valid = t.schemas->validate(change.kind, r.doc, path, found);
    else
      found->push_back(
          {path, 0, 0, Severity::Error, "not-a-mapping", "a record is a mapping of fields"});
    applied.apply(change.kind, change.id, std::move(r));
  }
}

// The records as the rules read them, for a load that kept fewer fields (an add's, when
// the findings held): loaded again with the rules' fields. *same is false when the cache
// changed in between (another process), so that the two loads' findings may differ.
Repository load_wide(const Transaction::Impl& t, bool* same) {
  WriteLoad load;
  load.fields = &t.fields;
  Diagnostics ignored;
  Repository repo = load_for_write(t.root, &ignored, &load);
  repo.root = t.root;
  *same = load.generation != 0 && load.generation == t.load.generation;
  return repo;
}

// Every rule finding, on the repository with the change applied: the rules run over all
// of it. *rules_after gets them when they are what the next load would find.
void all_rules(Transaction::Impl& t, Diagnostics* found, Diagnostics* rules,
               std::optional<Diagnostics>* rules_after) {
  bool same = true;
  std::optional<Repository> wide;
  if (t.load.narrowed) wide = load_wide(t, &same);
  Repository& repo = wide ? *wide : t.repo;
  AppliedChanges applied(repo);
  apply_staged(t, applied, found);
  check_rules(repo, rules, t.rules_day);
  if (rules_are_exact(t) && same) *rules_after = *rules;
}

// Whether the change only adds records whose new ids the rules of other records reach
// through reference findings alone (add_reaches_only_references), on the day the
// loaded findings are for.
bool only_reaching_adds(const Transaction::Impl& t) {
  if (!t.load.narrowed || t.rules_day != t.load_day) return false;
  for (const auto& [path, change] : t.staged) {
    std::error_code ec;
    if (!change.doc || !add_reaches_only_references(change.kind) ||
        t.repo.of(change.kind).empty() || t.repo.find(change.kind, change.id) ||
        did_not_parse(t.repo, change.kind, change.id) ||
        fs::exists(fs::symlink_status(t.root / path, ec)))
      return false;
  }
  return true;
}

// The loaded record of a record file's path; null when there is none.
const Record* record_at(const Repository& repo, std::string_view path) {
  std::string_view id;
  const Kind* kind = kind_of_record_path(path, &id);
  return kind ? repo.find(kind->id, id) : nullptr;
}

// The loaded record of `path`, parsed again from its file, whole, in place of the one the
// narrow load kept. False when it is not there to be parsed.
bool widen(const Transaction::Impl& t, AppliedChanges& applied, const std::string& path) {
  const Record* kept = record_at(t.repo, path);
  const std::string* text = kept ? t.text_of(path) : nullptr;
  if (!text) return false;
  ParsedFile parsed = parse_record_file({path, *text, {}, {}}, *t.schemas);
  if (!parsed.record) return false;
  KindId kind = kept->kind;
  std::string id = kept->id;  // a copy: the record it is in gives way
  applied.apply(kind, id, std::move(*parsed.record));
  return true;
}

// The rules' findings before the change: the loaded findings without the files' own.
Diagnostics rules_before(const Transaction::Impl& t) {
  auto key = [](const Diagnostic& d) {
    return std::tie(d.file, d.line, d.column, d.severity, d.rule, d.message);
  };
  std::map<decltype(key(t.existing.front())), int> base;
  for (const Diagnostic& d : t.load.base) ++base[key(d)];
  Diagnostics rules;
  for (const Diagnostic& d : t.existing)
    if (auto it = base.find(key(d)); it != base.end() && it->second > 0)
      --it->second;
    else
      rules.push_back(d);
  return rules;
}

// The rules' findings after an add, from those before: the rules run again only over the
// records the new ones can reach (their own, and those whose references were unknown or
// broken), each decoded whole, with the records they refer to. False when that cannot be
// done exactly, and the rules must run over the whole repository.
bool reached_rules(Transaction::Impl& t, Diagnostics* found, Diagnostics* rules) {
  if (!only_reaching_adds(t)) return false;
  AppliedChanges applied(t.repo);
  apply_staged(t, applied, found);
  std::set<std::string> reached, widened;
  for (const auto& [path, change] : t.staged) reached.insert(path);
  for (const Diagnostic& d : t.existing)
    if (reference_rule(d.rule) && reached.insert(d.file).second) {
      if (!widen(t, applied, d.file)) return false;
      widened.insert(d.file);
    }
  std::vector<const Record*> records;
  for (const std::string& path : reached) records.push_back(record_at(t.repo, path));
  bool whole = true;  // every record referred to was parsed whole (a widen replaces in place)
  for (const Record* r : records) {
    if (!r) return false;
    for (const Reference& ref : kind_of(r->kind).references)
      for_each_path_value(r->doc, ref.path, [&](const Value& v) {
        if (const Record* target = v.is_string() ? t.repo.find(ref.target, v.as_string()) : nullptr;
            target && !reached.count(target->path()) && widened.insert(target->path()).second)
          whole = widen(t, applied, target->path()) && whole;
      });
  }
  if (!whole) return false;
  Diagnostics now;
  check_record_rules(t.repo, records, &now, t.rules_day);
  *rules = rules_before(t);
  std::erase_if(*rules, [&](const Diagnostic& d) {
    return reached.count(d.file) && !whole_repository_rule(d.rule);
  });
  rules->insert(rules->end(), now.begin(), now.end());
  sort_diagnostics(*rules);
  return true;
}

}  // namespace

Diagnostics Transaction::validate() const {
  Impl& t = *impl_;
  Diagnostics found, rules;
  t.rules_day = today();
  t.rules_after.reset();
  if (reached_rules(t, &found, &rules)) {
    t.rules_after = rules;
  } else {
    found.clear();
    rules.clear();
    all_rules(t, &found, &rules, &t.rules_after);
  }
  for (Diagnostic& d : rules) {
    if (t.staged.count(d.file)) {
      found.push_back(std::move(d));
    } else if (d.severity == Severity::Error && !t.existing_errors.count(key_of(d)) &&
               !(t.allow_dangling && d.rule == "unknown-reference")) {
      found.push_back(std::move(d));
    }
  }
  std::erase_if(found, [](const Diagnostic& d) { return d.severity != Severity::Error; });
  sort_diagnostics(found);
  return found;
}

namespace {

// The file's text for canonical `lf_text`: the line endings of the file it replaces, or
// those git's checkout would give a new one.
std::string text_to_write(const Transaction::Impl& t, const std::string& path, std::string lf_text,
                          const std::optional<std::string>& old) {
  if (t.git) return t.git->worktree_text(path, std::move(lf_text), old ? &*old : nullptr);
  return old ? with_line_endings_of(*old, std::move(lf_text)) : lf_text;
}

// What committing `t` writes, read and checked before the first write, so that a refusal
// leaves no trace. Files whose content would not change are left alone.
std::vector<Step> plan_steps(const Transaction::Impl& t) {
  std::vector<Step> steps;
  for (const auto& [path, change] : t.staged) {
    std::error_code ec;
    fs::path folder = t.root / kind_of(change.kind).folder;
    if (fs::is_symlink(fs::symlink_status(folder, ec)))
      throw Error(ExitCode::Io,
                  fmt::format("'{}' is a symbolic link; brm does not write through links",
                              kind_of(change.kind).folder));
    Step s;
    s.path = path;
    s.old = read_existing(t.root, path);
    if (change.text)
      s.content = *change.text;
    else if (change.doc)
      s.content = text_to_write(
          t, path,
          to_canonical_yaml(change.kind, *change.doc, leading_modeline(s.old.value_or(""))), s.old);
    if (s.content == s.old) continue;
    steps.push_back(std::move(s));
  }
  return steps;
}

// Writes or removes one step's file.
void apply_step(const fs::path& root, Step& s) {
  fs::path p = root / s.path;
  if (s.content) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(p.parent_path(), ec))) {
      make_folders(p.parent_path());
      s.made_folder = true;
    }
    try {
      write_file_atomic(p, *s.content);
    } catch (...) {
      // The write is atomic, so the file is as it was and has nothing to restore:
      // only a folder made for it is removed (roll_back would try to rewrite it,
      // fail for the same reason, and say it could not restore it).
      if (s.made_folder) fs::remove(p.parent_path(), ec);
      throw;
    }
  } else if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
    int err = errno;
    throw Error(ExitCode::Io, fmt::format("cannot remove '{}': {}", s.path, std::strerror(err)));
  }
}

// Applies every step; on a failure, rolls back those done and rethrows. Returns those done.
std::vector<Step> apply_steps(const fs::path& root, std::vector<Step>& steps) {
  std::vector<Step> done;
  try {
    for (Step& s : steps) {
      apply_step(root, s);
      done.push_back(s);
    }
  } catch (...) {
    roll_back(root, done);
    throw;
  }
  return done;
}

// What the record cache is told of the steps done: the files' texts and documents, and
// their stamps as written.
WriteNote note_of(const Transaction::Impl& t, const std::vector<Step>& done) {
  WriteNote note;
  for (const Step& s : done) {
    const Transaction::Impl::Change& change = t.staged.at(s.path);
    const Value* doc = change.doc ? &*change.doc : nullptr;
    std::optional<FileStamp> stamp = s.content ? stamp_of_file(t.root / s.path) : std::nullopt;
    note.files.push_back({s.path, s.content, s.old.has_value(), doc, stamp});
  }
  note.generation = t.load.generation;
  // Files left as they were kept their entries, which need not hold what the rules read.
  bool all_written = note.files.size() == t.staged.size();
  note.rules = t.rules_after && all_written ? &*t.rules_after : nullptr;
  note.day = t.rules_day;
  return note;
}

void note_in_cache(const Transaction::Impl& t, const WriteNote& note) {
  TraceRegion trace("note the write in the record cache");
  note_written(t.root, note, *t.schemas);
}

}  // namespace

void Transaction::commit(const std::string& message) {
  Impl& t = *impl_;
  TraceRegion trace("commit the write");
  Diagnostics errors = [&] {
    TraceRegion trace_validate("validate");
    return validate();
  }();
  if (!errors.empty()) throw InvalidChange(std::move(errors));

  std::vector<Step> steps = [&] {
    TraceRegion trace_plan("plan the files");
    return plan_steps(t);
  }();
  if (t.git && !steps.empty()) {
    TraceRegion trace_check("check the work tree before writing");
    std::vector<std::string> writes;
    for (const Step& s : steps)
      if (s.content) writes.push_back(s.path);
    t.git->check_before_write(writes, t.commits(), t.options.force);
  }
  std::vector<Step> done = [&] {
    TraceRegion trace_apply("write the files");
    return apply_steps(t.root, steps);
  }();

  std::vector<std::string> paths;
  for (const Step& s : done) paths.push_back(s.path);
  WriteNote note = note_of(t, done);
  // The record cache learns of the write while git commits it, on another core. Not when
  // the commit runs hooks: they may change the files (a formatter) while the cache reads
  // them, and a hook that runs brm should find the cache as it was.
  bool commits = !paths.empty() && t.commits();
  std::future<void> noted;
  if (commits && !t.git->runs_hooks()) {
    try {
      noted = std::async(std::launch::async, [&t, &note] { note_in_cache(t, note); });
    } catch (const std::system_error&) {
      // No thread to be had (ulimit -u): the note follows the commit, as it did.
    }
  }
  if (commits) {
    try {
      TraceRegion trace_commit("git commit");
      if (!t.git->commit(paths, message))
        std::fprintf(stderr, "note: no commit made: HEAD already has the files as written\n");
    } catch (...) {
      // A change that is not committed would be committed by nobody: a re-run with
      // --no-commit (as the git error suggests) must not find it half done. The cache
      // needs no undoing: the files it noted change again, and their stamps tell it.
      if (noted.valid()) noted.wait();
      roll_back(t.root, done);
      throw;
    }
  }
  if (noted.valid())
    noted.get();
  else
    note_in_cache(t, note);
  t.written = std::move(paths);
  t.staged.clear();
}

const std::vector<std::string>& Transaction::written() const { return impl_->written; }

namespace {

// clang-format off
// ASCII spellings of the Latin-1 letters U+00C0..U+00FF; "" where a letter has none
// (× and ÷ become separators).
constexpr std::string_view latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// Latin Extended-A, U+0100..U+017F (Polish, Czech, Baltic, Turkish, ... letters).
constexpr std::string_view latin_a[128] = {
    "a",  "a",  "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",  // 0100
    "d",  "d",  "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",  // 0110
    "g",  "g",  "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",  // 0120
    "i",  "i",  "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",  // 0130
    "l",  "l",  "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",  // 0140
    "o",  "o",  "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",  // 0150
    "s",  "s",  "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",  // 0160
    "u",  "u",  "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s"}; // 0170
// clang-format on

// The ASCII spelling of a code point: letters and digits lowercased, accents dropped;
// "" for an apostrophe (so "Anna's" is "annas"); "-" for anything else.
std::string_view ascii_of(std::uint32_t cp, char* one) {
  if (cp < 0x80) {
    auto c = static_cast<char>(cp);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      *one = c;
      return {one, 1};
    }
    return c == '\'' ? "" : "-";
  }
  if (cp >= 0xC0 && cp <= 0xFF) {
    std::string_view s = latin1[cp - 0xC0];
    return s.empty() ? "-" : s;
  }
  if (cp >= 0x100 && cp <= 0x17F) return latin_a[cp - 0x100];
  switch (cp) {
    case 0x218:
    case 0x219:
      return "s";  // Romanian ș
    case 0x21A:
    case 0x21B:
      return "t";  // Romanian ț
    case 0x2019:
      return "";  // typographic apostrophe
    default:
      return "-";
  }
}

}  // namespace

std::string slugify(std::string_view label) {
  std::string out;
  bool dash = false;  // a separator is pending; written only before the next letter
  for (std::size_t i = 0; i < label.size();) {
    char32_t cp = next_code_point(label, i);
    char one = 0;
    std::string_view ascii = ascii_of(cp, &one);
    if (ascii == "-") {
      dash = !out.empty();
    } else if (!ascii.empty()) {
      if (dash) out += '-';
      dash = false;
      out += ascii;
    }
  }
  if (out.size() > 48) {
    out.resize(48);
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  return out.empty() ? "record" : out;
}

}  // namespace brm

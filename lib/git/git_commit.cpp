// The commit path: what `git add PATHS && git commit -m MESSAGE -- PATHS` would do, built from
// libgit2's plumbing where libgit2 1.5 does not do it (hooks, signing, the GIT_* identity),
// or refused with a message naming the setting.
#include <fmt/format.h>
#include <git2/sys/repository.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iterator>
#include <system_error>

#include "brm/error.hpp"
#include "brm/git.hpp"
#include "brm/line_endings.hpp"
#include "brm/trace.hpp"
#include "git_index_file.hpp"
#include "git_write.hpp"

namespace fs = std::filesystem;

namespace brm {
namespace {

using namespace gitx;
using Reference = Handle<git_reference>;
using FilterList = Handle<git_filter_list>;

struct Buf {
  git_buf b = GIT_BUF_INIT;
  ~Buf() { git_buf_dispose(&b); }
  std::string str() const { return b.ptr ? std::string(b.ptr, b.size) : std::string(); }
};

// ---- before anything is written ---------------------------------------------------

// Attributes whose meaning libgit2 1.5 cannot carry out: the blob would not be what git
// stores (git-crypt's ciphertext, an LFS pointer, another encoding).
void refuse_unsupported_attributes(git_repository* repo, const std::string& path) {
  for (const char* name : {"filter", "working-tree-encoding"}) {
    const char* value = nullptr;
    if (git_attr_get(&value, repo, 0, path.c_str(), name) < 0) fail("cannot read .gitattributes");
    git_attr_value_t kind = git_attr_value(value);
    if (kind != GIT_ATTR_VALUE_STRING && kind != GIT_ATTR_VALUE_TRUE) continue;
    std::string attribute =
        kind == GIT_ATTR_VALUE_STRING ? fmt::format("{}={}", name, value) : name;
    throw Error(
        ExitCode::Git,
        fmt::format("'{}' has the git attribute '{}' (.gitattributes); brm cannot run "
                    "it as git would, so it does not write the file\n"
                    "hint: edit the file yourself and commit it with git, which runs "
                    "the {}",
                    path, attribute, std::string_view(name) == "filter" ? "filter" : "conversion"));
  }
}

void refuse_ignored(git_repository* repo, git_config* config, bool tracked,
                    const std::string& path) {
  if (tracked) return;  // git adds it
  int ignored = 0;
  if (git_ignore_path_is_ignored(&ignored, repo, path.c_str()) < 0) fail("cannot read .gitignore");
  if (!ignored) return;
  std::string rule = ignore_rule_for(repo, config, path);
  throw Error(ExitCode::Git,
              fmt::format("'{}' is ignored by git ({}), so git would not add it\n"
                          "hint: pass --force to add it anyway, as 'git add --force' does{}",
                          path, rule.empty() ? "see 'git check-ignore -v " + path + "'" : rule,
                          rule.empty() ? "" : "; 'git check-ignore -v' shows the same rule"));
}

void refuse_locked_index(const char* path) {
  if (!path) return;
  fs::path lock = std::string(path) + ".lock";
  if (std::error_code ec; fs::exists(fs::symlink_status(lock, ec)))
    throw Error(ExitCode::Git,
                fmt::format("git's index is locked: '{}' exists; another git command is "
                            "running, or one was killed (then remove the file)",
                            lock.string()));
}

// ---- hooks ------------------------------------------------------------------------

std::string git_date(const git_signature* sig) {
  int off = sig->when.offset;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  return fmt::format("@{} {}{:02}{:02}", static_cast<long long>(sig->when.time), sign, off / 60,
                     off % 60);
}

// The environment git gives hooks: the index to look at, no editor, the author it decided.
// GIT_DIR and GIT_WORK_TREE, when set, are made absolute: the hook runs at the work tree root.
std::vector<std::string> hook_environment(const std::string& index_file,
                                          const git_signature* author) {
  std::vector<std::string> env{"GIT_INDEX_FILE=" + index_file,
                               "GIT_EDITOR=:", fmt::format("GIT_AUTHOR_NAME={}", author->name),
                               fmt::format("GIT_AUTHOR_EMAIL={}", author->email),
                               "GIT_AUTHOR_DATE=" + git_date(author)};
  for (const char* name : {"GIT_DIR", "GIT_WORK_TREE"})
    if (const char* v = std::getenv(name); v && *v)
      env.push_back(fmt::format("{}={}", name, fs::absolute(v).lexically_normal().string()));
  return env;
}

struct HookRun {
  git_repository* repo;
  git_config* config;
  std::vector<std::string> env;
};

// Runs hook `name` if there is one; false when it failed (its own output said why).
// `warn`: say that a hook is not executable (has_any_hook already said it for the others).
bool run_hook(const HookRun& h, const char* name, std::vector<std::string> args = {},
              bool warn = false) {
  fs::path hook = hook_path(h.repo, h.config, name, warn);
  if (hook.empty()) return true;
  Program p;
  p.argv = {hook.string()};
  p.argv.insert(p.argv.end(), args.begin(), args.end());
  p.env = h.env;
  if (const char* workdir = git_repository_workdir(h.repo)) p.cwd = workdir;
  p.stdout_to_stderr = true;
  ProgramResult r = run_program(p);
  if (!r.started)
    throw Error(ExitCode::Git, fmt::format("cannot run the {} hook '{}': {}; nothing was written",
                                           name, hook.string(), std::strerror(r.error)));
  return r.status == 0;
}

[[noreturn]] void hook_refused(const char* name) {
  throw Error(ExitCode::Git,
              fmt::format("the {} hook refused the commit; nothing was written\n"
                          "hint: fix what it reports; --no-commit writes without committing",
                          name));
}

// `warn`: say of each hook that is not executable that it is ignored (hook_path).
bool has_any_hook(git_repository* repo, git_config* config,
                  std::initializer_list<const char*> names, bool warn = true) {
  bool any = false;
  for (const char* n : names) any = !hook_path(repo, config, n, warn).empty() || any;
  return any;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw Error(ExitCode::Io, fmt::format("cannot write '{}'", p.string()));
}

// git's cleanup of a message given with -m: trailing spaces and extra blank lines go,
// comments stay.
std::string cleaned_message(const std::string& message) {
  Buf out;
  check(git_message_prettify(&out.b, message.c_str(), 0, '#'), "cannot read the message");
  return out.str();
}

// The temporary index git's `commit -- PATHS` hands to its hooks: HEAD plus the paths. It
// starts as a copy of the real index file, so that unchanged files keep their stat data
// (git_index_read_tree keeps it for entries that stay the same).
struct HookIndex {
  fs::path path;
  Index index;
  HookIndex(git_repository* repo, git_index* real, git_tree* tree)
      : path(fs::path(git_repository_path(repo)) / fmt::format("next-index-{}.lock", ::getpid())) {
    std::error_code ec;
    if (const char* real_path = git_index_path(real))
      fs::copy_file(real_path, path, fs::copy_options::overwrite_existing, ec);
    check(git_index_open(index.out(), path.c_str()), "cannot create the hooks' index");
    check(git_index_read_tree(index.get(), tree), "cannot create the hooks' index");
    check(git_index_write(index.get()), "cannot write the hooks' index");
  }
  ~HookIndex() { ::unlink(path.c_str()); }
  // The tree after the hooks, which may have staged more, as git's pre-commit may.
  git_oid tree(git_repository* repo) {
    check(git_index_read(index.get(), 1), "cannot read the hooks' index");
    git_oid id;
    check(git_index_write_tree_to(&id, index.get(), repo), "cannot write the tree");
    return id;
  }
};

// ---- the commit -------------------------------------------------------------------

void warn_about_state(git_repository* repo) {
  static const std::pair<int, const char*> states[] = {
      {GIT_REPOSITORY_STATE_MERGE, "a merge"},
      {GIT_REPOSITORY_STATE_REVERT, "a revert"},
      {GIT_REPOSITORY_STATE_REVERT_SEQUENCE, "a revert"},
      {GIT_REPOSITORY_STATE_CHERRYPICK, "a cherry-pick"},
      {GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE, "a cherry-pick"},
      {GIT_REPOSITORY_STATE_BISECT, "a bisect"},
      {GIT_REPOSITORY_STATE_REBASE, "a rebase"},
      {GIT_REPOSITORY_STATE_REBASE_INTERACTIVE, "a rebase"},
      {GIT_REPOSITORY_STATE_REBASE_MERGE, "a rebase"},
      {GIT_REPOSITORY_STATE_APPLY_MAILBOX, "a git am"},
      {GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE, "a git am or rebase"}};
  int state = git_repository_state(repo);
  for (const auto& [s, what] : states)
    if (s == state)
      std::fprintf(stderr,
                   "warning: %s is in progress; brm commits only its own files on top of HEAD, "
                   "and the %s goes on\n",
                   what, what + 2);
  if (git_repository_head_detached(repo) == 1)
    std::fprintf(stderr,
                 "warning: HEAD is detached: the commit is on no branch "
                 "('git switch -c NAME' keeps it on one)\n");
}

// Moves HEAD's branch (or a detached HEAD) from `old` to `id`, refusing if it moved meanwhile.
void update_head(git_repository* repo, const git_oid* id, const git_oid* old,
                 const std::string& message) {
  Reference head, moved;
  check(git_reference_lookup(head.out(), repo, "HEAD"), "cannot read HEAD");
  std::string summary = message.substr(0, message.find('\n'));
  std::string log = fmt::format("commit{}: {}", old ? "" : " (initial)", summary);
  const char* name = git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC
                         ? git_reference_symbolic_target(head.get())
                         : "HEAD";
  int rc = old ? git_reference_create_matching(moved.out(), repo, name, id, 1, old, log.c_str())
               : git_reference_create(moved.out(), repo, name, id, 0, log.c_str());
  check(rc, fmt::format("cannot update '{}'", name));
}

}  // namespace

struct GitWriter::Impl {
  Repo repo;
  std::string prefix;  // the brm root in the work tree: "" or "crm/"
  Config config;
  // The real index, read when a commit is coming: as bytes (`raw`) when read ahead and plain
  // (git_index_file.hpp), else libgit2's `index`. With `raw`, libgit2's repository holds
  // `attribute_index` instead: the .gitattributes entries alone, all that it reads of an
  // index for a commit of files that are on disk.
  Index index;
  std::optional<IndexFile> raw;
  Index attribute_index;
  bool trust_filemode = true;  // core.fileMode
  struct Ahead {
    std::optional<IndexFile> raw;
    Index index;
  };
  std::future<Ahead> index_ahead;  // read_index_ahead's, until taken
  std::optional<Identity> identity;
  std::optional<Signer> signer;

  std::string in_repo(const std::string& path) const { return prefix + path; }
  fs::path on_disk(const std::string& path) const {
    return fs::path(git_repository_workdir(repo.get())) / in_repo(path);
  }
  void read_index() {
    TraceRegion trace("read the git index");
    take_index_ahead();
    if (!index.get() && !raw)
      check(git_repository_index(index.out(), repo.get()), "cannot open the git index");
  }
  // From here on, libgit2's index: for what the bytes do not do (hooks, a path that is not
  // a plain file).
  void use_libgit2_index() {
    take_index_ahead();
    if (!raw) return;
    raw.reset();
    git_repository_set_index(repo.get(), nullptr);
    attribute_index = Index();
    read_index();
  }
  std::string work_tree() const { return git_repository_workdir(repo.get()); }
  const char* index_path() const { return raw ? raw->path().c_str() : git_index_path(index.get()); }
  bool tracked(const std::string& name) const {
    return raw ? raw->tracked(name) : git_index_get_bypath(index.get(), name.c_str(), 0) != nullptr;
  }
  // The real index written while the trees and the commit are made. As bytes, the new
  // index goes into index.lock on another core once its entries are put, and takes the
  // index's place only at finish_index_write(), after HEAD has moved, as git holds
  // index.lock over its commit; drop_index_write() removes it when the commit fails.
  // libgit2's index is written at finish_index_write(), as before.
  std::future<std::string> index_prepared;
  void start_index_write() {
    if (!raw) return;
    try {
      // The thread touches the index bytes alone, never libgit2's repository.
      index_prepared = std::async(std::launch::async, [file = &*raw, work_tree = work_tree()] {
        TraceRegion trace("write the git index");
        return file->prepare(work_tree);
      });
    } catch (const std::system_error&) {
      // No thread to be had (ulimit -u): finish_index_write writes it.
    }
  }
  // "" when done, else why not.
  std::string finish_index_write() {
    if (!raw) {
      TraceRegion trace("write the git index");
      if (git_index_write(index.get()) == 0) return "";
      const git_error* e = git_error_last();
      return e && e->message ? e->message : "unknown error";
    }
    try {
      std::string why = index_prepared.valid() ? index_prepared.get() : raw->prepare(work_tree());
      return why.empty() ? raw->finish() : why;
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  void drop_index_write() {
    if (index_prepared.valid()) index_prepared.wait();
    if (raw) raw->abandon();
  }
  // Makes the index read ahead the repository's, before anything in libgit2 reads it
  // (attributes and filters look into the index too).
  void take_index_ahead() {
    if (!index_ahead.valid()) return;
    Ahead read = index_ahead.get();
    if (read.raw && use_raw(std::move(*read.raw))) return;
    Index ahead = std::move(read.index);
    if (!ahead.get()) return;  // read_index reads it again and says why it cannot
    git_repository_set_index(repo.get(), ahead.get());
    // As git_repository_index does for the index it opens: core.ignoreCase and the like.
    if (git_index_set_caps(ahead.get(), GIT_INDEX_CAPABILITY_FROM_OWNER) < 0) {
      git_error_clear();
      git_repository_set_index(repo.get(), nullptr);  // read_index reads it as it always did
      return;
    }
    index = std::move(ahead);
  }
  // Gives libgit2's repository the index of the .gitattributes entries of `file`, and keeps
  // `file` as the real index. False, with nothing changed, when libgit2 will not have it.
  bool use_raw(IndexFile file) {
    Index attributes;
    if (git_index_new(attributes.out()) < 0) return git_error_clear(), false;
    for (const IndexFile::Entry& e : file.attribute_files()) {
      git_index_entry entry{};
      entry.mode = e.mode;
      std::memcpy(entry.id.id, e.id.data(), e.id.size());
      entry.path = e.name.c_str();
      if (git_index_add(attributes.get(), &entry) < 0) return git_error_clear(), false;
    }
    git_repository_set_index(repo.get(), attributes.get());
    attribute_index = std::move(attributes);
    raw = std::move(file);
    return true;
  }
  // Puts `paths` in the real index as they are on disk (git add), starts writing it
  // (start_index_write), and returns the tree of HEAD with those paths changed the same
  // way; `head_tree` is HEAD's (null when unborn).
  git_oid stage(const std::vector<std::string>& paths, git_tree* head_tree);
  void stage_libgit2(const std::vector<std::string>& paths, const std::vector<std::string>& names,
                     git_tree* head_tree, std::vector<git_tree_update>* updates);
  git_oid updated_tree(git_tree* head_tree, const std::vector<git_tree_update>& updates);
  // The same for the index as bytes: the files' blobs (through git's filters, as
  // git_index_add_bypath makes them) and entries. False, with nothing done, when a path is
  // not a plain file the bytes can take.
  bool stage_raw(const std::vector<std::string>& names, std::vector<git_tree_update>* updates);
  git_oid make_commit(const std::string& message, git_tree* tree, const git_commit* parent);
};

bool GitWriter::Impl::stage_raw(const std::vector<std::string>& names,
                                std::vector<git_tree_update>* updates) {
  std::vector<struct ::stat> stats(names.size());
  fs::path root = work_tree();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (::lstat((root / names[i]).c_str(), &stats[i]) != 0 || !S_ISREG(stats[i].st_mode) ||
        !raw->can_put(names[i]))
      return false;
  for (std::size_t i = 0; i < names.size(); ++i) {
    // The stat data from before the file is read, as libgit2 takes it: a change made
    // meanwhile leaves the entry older than the file, and git looks again.
    git_oid id;
    check(git_blob_create_from_workdir(&id, repo.get(), names[i].c_str()),
          fmt::format("cannot stage '{}'", names[i]));
    // As libgit2's index_merge_mode: core.fileMode false keeps the entry's mode.
    std::uint32_t mode = (stats[i].st_mode & S_IXUSR) ? 0100755 : 0100644;
    if (!trust_filemode) mode = raw->mode_of(names[i]).value_or(0100644);
    ObjectId bytes;
    std::memcpy(bytes.data(), id.id, bytes.size());
    raw->put(names[i], stats[i], bytes, mode);
    updates->push_back(
        {GIT_TREE_UPDATE_UPSERT, id, static_cast<git_filemode_t>(mode), names[i].c_str()});
  }
  return true;
}

git_oid GitWriter::Impl::stage(const std::vector<std::string>& paths, git_tree* head_tree) {
  std::vector<git_tree_update> updates;
  std::vector<std::string> names;
  names.reserve(paths.size());
  for (const std::string& p : paths) names.push_back(in_repo(p));
  if (raw && !stage_raw(names, &updates)) use_libgit2_index();
  if (!raw) {
    updates.clear();
    stage_libgit2(paths, names, head_tree, &updates);
  }
  start_index_write();
  return updated_tree(head_tree, updates);
}

void GitWriter::Impl::stage_libgit2(const std::vector<std::string>& paths,
                                    const std::vector<std::string>& names, git_tree* head_tree,
                                    std::vector<git_tree_update>* out) {
  std::vector<git_tree_update>& updates = *out;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string& p = paths[i];
    const char* name = names[i].c_str();
    std::error_code ec;
    if (fs::exists(fs::symlink_status(on_disk(p), ec))) {
      // git_index_add_bypath runs the to-odb filters (core.autocrlf, text, eol), as git add.
      check(git_index_add_bypath(index.get(), name), fmt::format("cannot stage '{}'", p));
      const git_index_entry* e = git_index_get_bypath(index.get(), name, 0);
      auto mode = static_cast<git_filemode_t>(e->mode);  // core.fileMode decides, as in git
      updates.push_back({GIT_TREE_UPDATE_UPSERT, e->id, mode, name});
    } else {
      git_index_remove_bypath(index.get(), name);
      TreeEntry there;
      if (head_tree && git_tree_entry_bypath(there.out(), head_tree, name) == 0)
        updates.push_back({GIT_TREE_UPDATE_REMOVE, {}, GIT_FILEMODE_BLOB, name});
      git_error_clear();
    }
  }
}

git_oid GitWriter::Impl::updated_tree(git_tree* head_tree,
                                      const std::vector<git_tree_update>& updates) {
  // Only the trees on the paths are rewritten; the rest of HEAD's tree is not read.
  Tree empty;
  if (!head_tree) {
    Handle<git_treebuilder> builder;
    git_oid empty_id;
    check(git_treebuilder_new(builder.out(), repo.get(), nullptr), "cannot write a tree");
    check(git_treebuilder_write(&empty_id, builder.get()), "cannot write a tree");
    check(git_tree_lookup(empty.out(), repo.get(), &empty_id), "cannot write a tree");
  }
  git_oid out;
  check(git_tree_create_updated(&out, repo.get(), head_tree ? head_tree : empty.get(),
                                updates.size(), updates.data()),
        "cannot write the tree");
  return out;
}

git_oid GitWriter::Impl::make_commit(const std::string& message, git_tree* tree,
                                     const git_commit* parent) {
  Buf content;
  const git_commit* parents[] = {parent};
  check(git_commit_create_buffer(&content.b, repo.get(), identity->author.get(),
                                 identity->committer.get(), nullptr, message.c_str(), tree,
                                 parent ? 1 : 0, parents),
        "cannot create the commit");
  std::string signature = signer ? sign(*signer, content.str()) : std::string();
  git_oid id;
  check(git_commit_create_with_signature(&id, repo.get(), content.b.ptr,
                                         signer ? signature.c_str() : nullptr, nullptr),
        "cannot create the commit");
  return id;
}

GitWriter::GitWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GitWriter::~GitWriter() = default;

std::unique_ptr<GitWriter> GitWriter::open(const fs::path& brm_root) {
  auto impl = std::make_unique<Impl>();
  if (!discover(impl->repo, brm_root)) return nullptr;
  impl->prefix = prefix_of(impl->repo.get(), brm_root);
  check(git_repository_config_snapshot(impl->config.out(), impl->repo.get()),
        "cannot read the git configuration");
  return std::unique_ptr<GitWriter>(new GitWriter(std::move(impl)));
}

fs::path GitWriter::git_dir() const { return git_repository_path(impl_->repo.get()); }

void GitWriter::read_index_ahead() {
  Impl& g = *impl_;
  // GIT_INDEX_FILE's index was read at the open; a bare repository has none.
  if (g.index.get() || g.index_ahead.valid() || std::getenv("GIT_INDEX_FILE") ||
      git_repository_is_bare(g.repo.get()))
    return;
  std::string path = (fs::path(git_repository_path(g.repo.get())) / "index").string();
  // The bytes serve a commit without hooks (they get libgit2's index) in a repository that
  // matches names exactly (core.ignoreCase finds entries in other cases).
  int ignore_case = 0, file_mode = 1;
  if (git_config_get_bool(&ignore_case, g.config.get(), "core.ignorecase") < 0) ignore_case = 0;
  if (git_config_get_bool(&file_mode, g.config.get(), "core.filemode") < 0) file_mode = 1;
  git_error_clear();
  g.trust_filemode = file_mode != 0;
  bool as_bytes = !ignore_case && !runs_hooks();
  // The thread touches nothing but its own index: libgit2's repository is not shared with it.
  try {
    g.index_ahead = std::async(std::launch::async, [path, as_bytes] {
      Impl::Ahead ahead;
      if (as_bytes) {
        TraceRegion trace("read the git index ahead, as bytes");
        ahead.raw = IndexFile::read(path);
        if (ahead.raw) return ahead;
      }
      TraceRegion trace("read the git index ahead");
      if (git_index_open(ahead.index.out(), path.c_str()) < 0) {
        git_error_clear();
        ahead.index = Index();
      }
      return ahead;
    });
  } catch (const std::system_error&) {
    // No thread to be had (ulimit -u): the index is read when it is needed, as it was.
  }
}

void GitWriter::check_before_write(const std::vector<std::string>& writes, bool commit,
                                   bool force) {
  Impl& g = *impl_;
  g.take_index_ahead();
  for (const std::string& p : writes) refuse_unsupported_attributes(g.repo.get(), g.in_repo(p));
  if (!commit) return;
  g.read_index();
  refuse_locked_index(g.index_path());
  if (!force)
    for (const std::string& p : writes)
      refuse_ignored(g.repo.get(), g.config.get(), g.tracked(g.in_repo(p)), g.in_repo(p));
  g.identity = identity_of(g.config.get());
  g.signer = signer_of(g.config.get(), g.identity->committer.get());
}

std::string GitWriter::worktree_text(const std::string& path, std::string lf_text,
                                     const std::string* existing) const {
  if (existing) return with_line_endings_of(*existing, std::move(lf_text));
  // A new file gets what git's checkout would write (core.autocrlf, eol, text).
  TraceRegion trace("git's filters for a new file");
  impl_->take_index_ahead();
  FilterList filters;
  std::string name = impl_->in_repo(path);
  if (git_filter_list_load(filters.out(), impl_->repo.get(), nullptr, name.c_str(),
                           GIT_FILTER_TO_WORKTREE, GIT_FILTER_DEFAULT) < 0 ||
      !filters.get()) {
    git_error_clear();
    return lf_text;
  }
  Buf out;
  if (git_filter_list_apply_to_buffer(&out.b, filters.get(), lf_text.data(), lf_text.size()) < 0) {
    git_error_clear();
    return lf_text;
  }
  return out.str();
}

bool GitWriter::commit(const std::vector<std::string>& paths, const std::string& message) {
  Impl& g = *impl_;
  git_repository* repo = g.repo.get();
  g.take_index_ahead();
  if (!g.identity) check_before_write(paths, true, true);
  Commit head;
  Tree head_tree;
  git_oid head_id;
  bool has_head = git_reference_name_to_id(&head_id, repo, "HEAD") == 0;
  git_error_clear();
  if (has_head) {
    check(git_commit_lookup(head.out(), repo, &head_id), "cannot read HEAD");
    check(git_commit_tree(head_tree.out(), head.get()), "cannot read HEAD's tree");
  }
  // The hooks' index is made from libgit2's (a hook may have come since
  // read_index_ahead looked).
  bool hooked =
      has_any_hook(repo, g.config.get(), {"pre-commit", "prepare-commit-msg", "commit-msg"});
  if (hooked) g.use_libgit2_index();
  struct DropIndexWrite {
    Impl& g;
    ~DropIndexWrite() { g.drop_index_write(); }
  } drop{g};
  git_oid tree_id = g.stage(paths, head_tree.get());
  if (has_head && git_oid_equal(&tree_id, git_tree_id(head_tree.get()))) {
    if (std::string why = g.finish_index_write(); !why.empty())
      throw Error(ExitCode::Git, "cannot write the git index: " + why);
    return false;
  }
  warn_about_state(repo);
  HookRun hooks{repo, g.config.get(), {}};
  std::string text = cleaned_message(message);
  if (hooked) {
    Tree staged;
    check(git_tree_lookup(staged.out(), repo, &tree_id), "cannot read the new tree");
    HookIndex hook_index(repo, g.index.get(), staged.get());
    hooks.env = hook_environment(hook_index.path.string(), g.identity->author.get());
    if (!run_hook(hooks, "pre-commit")) hook_refused("pre-commit");
    fs::path message_file = fs::path(git_repository_path(repo)) / "COMMIT_EDITMSG";
    write_file(message_file, text);
    if (!run_hook(hooks, "prepare-commit-msg", {message_file.string(), "message"}))
      hook_refused("prepare-commit-msg");
    if (!run_hook(hooks, "commit-msg", {message_file.string()})) hook_refused("commit-msg");
    text = cleaned_message(read_file(message_file));
    if (text.empty())
      throw Error(ExitCode::Git, "aborting commit due to empty commit message (a hook emptied it)");
    tree_id = hook_index.tree(repo);
  }
  Tree tree;
  check(git_tree_lookup(tree.out(), repo, &tree_id), "cannot read the new tree");
  git_oid id = g.make_commit(text, tree.get(), has_head ? head.get() : nullptr);
  update_head(repo, &id, has_head ? &head_id : nullptr, text);
  // The commit is made and matches the work tree; an index that cannot follow only makes
  // `git status` show the change as undone until `git reset`. Not a reason to fail.
  if (std::string why = g.finish_index_write(); !why.empty()) {
    std::string files;
    for (const std::string& p : paths) files.append(" ").append(g.in_repo(p));
    std::fprintf(stderr,
                 "warning: committed, but the git index could not be updated (%s); "
                 "'git reset -q --%s' brings it in step\n",
                 why.c_str(), files.c_str());
  }
  hooks.env = hook_environment(g.index_path(), g.identity->author.get());
  run_hook(hooks, "post-commit", {}, true);  // as in git, its failure changes nothing
  return true;
}

bool GitWriter::runs_hooks() const {
  return has_any_hook(impl_->repo.get(), impl_->config.get(),
                      {"pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"}, false);
}

bool in_git_repository(const fs::path& path) {
  Repo repo;
  return discover(repo, path);
}

void check_commit_setup_without_repository() {
  init();
  Config config;
  check(git_config_open_default(config.out()), "cannot read the git configuration");
  Identity id = identity_of(config.get());
  signer_of(config.get(), id.committer.get());
}

void git_commit_paths(const fs::path& brm_root, const std::vector<std::string>& paths,
                      const std::string& message) {
  auto git = GitWriter::open(brm_root);
  if (!git)
    throw Error(ExitCode::Git, fmt::format("'{}' is not in a git repository", brm_root.string()));
  git->check_before_write(paths, true, false);
  git->commit(paths, message);
}

}  // namespace brm

// brm log's model: the first-parent history, each commit compared with its first parent
// as git's tree diff pairs files (unchanged folders skipped by their tree ids), and each
// changed file diffed field by field after parsing both sides, so that people read what
// changed in the records, not which lines moved.
#include "brm/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "brm/error.hpp"
#include "brm/git_handle.hpp"
#include "brm/git_shallow.hpp"
#include "brm/history.hpp"
#include "brm/json.hpp"
#include "brm/kinds.hpp"
#include "brm/strings.hpp"
#include "brm/yaml.hpp"

namespace brm {

std::string_view change_name(Change c) {
  switch (c) {
    case Change::Added:
      return "added";
    case Change::Removed:
      return "removed";
    case Change::Changed:
      return "changed";
  }
  return "changed";
}

// ---- Field diffs ----

namespace {

// A whole value added or removed, leaf by leaf, so that `budget` appearing reads as
// `added budget.amount: 5` like any other field.
void each_leaf(const Value& v, const std::string& path, Change change,
               std::vector<FieldChange>* out) {
  if (v.is_mapping() && v.size() > 0) {
    for (const auto& e : v.entries()) each_leaf(e.value, dotted_child(path, e.key), change, out);
  } else if (v.is_sequence() && v.size() > 0) {
    for (std::size_t i = 0; i < v.items().size(); ++i)
      each_leaf(v.items()[i], dotted_child(path, std::to_string(i)), change, out);
  } else {
    FieldChange f;
    f.change = change;
    f.path = path;
    (change == Change::Added ? f.after : f.before) = v;
    out->push_back(std::move(f));
  }
}

void diff_into(const Value& a, const Value& b, const std::string& path,
               std::vector<FieldChange>* out) {
  if (a.is_mapping() && b.is_mapping()) {
    for (const auto& e : a.entries()) {
      if (const Value* other = b.find(e.key))
        diff_into(e.value, *other, dotted_child(path, e.key), out);
      else
        each_leaf(e.value, dotted_child(path, e.key), Change::Removed, out);
    }
    for (const auto& e : b.entries())
      if (!a.find(e.key)) each_leaf(e.value, dotted_child(path, e.key), Change::Added, out);
    return;
  }
  if (a.is_sequence() && b.is_sequence()) {
    const auto& x = a.items();
    const auto& y = b.items();
    std::size_t common = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < common; ++i)
      diff_into(x[i], y[i], dotted_child(path, std::to_string(i)), out);
    for (std::size_t i = common; i < x.size(); ++i)
      each_leaf(x[i], dotted_child(path, std::to_string(i)), Change::Removed, out);
    for (std::size_t i = common; i < y.size(); ++i)
      each_leaf(y[i], dotted_child(path, std::to_string(i)), Change::Added, out);
    return;
  }
  // Scalars, or a change of type. Strings compare exactly: '5' and 5 differ.
  if (a == b && (a.type() == b.type() || (a.is_number() && b.is_number()))) return;
  FieldChange f;
  f.change = Change::Changed;
  f.path = path;
  f.before = a;
  f.after = b;
  out->push_back(std::move(f));
}

}  // namespace

std::vector<FieldChange> diff_documents(const Value& before, const Value& after) {
  std::vector<FieldChange> out;
  diff_into(before, after, "", &out);
  return out;
}

// ---- The walk ----

namespace {

struct Target {
  std::vector<const Kind*> kinds;  // one, or all when only an id was given
  std::string id;
};

std::string kind_list() {
  std::string out;
  for (const Kind& k : kinds()) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

Target parse_target(std::string_view text) {
  Target t;
  std::string_view id = text;
  if (std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    std::string_view word = text.substr(0, slash);
    const Kind* k = find_kind(word);
    if (!k)
      throw Error(ExitCode::Usage,
                  fmt::format("unknown kind '{}' in '{}': use one of {}", word, text, kind_list()));
    t.kinds.push_back(k);
    id = text.substr(slash + 1);
    if (id.size() > 5 && id.substr(id.size() - 5) == ".yaml") id.remove_suffix(5);
  } else {
    for (const Kind& k : kinds()) t.kinds.push_back(&k);
  }
  if (!is_valid_id(id))
    throw Error(ExitCode::Usage,
                fmt::format("'{}' is not a record id: use lowercase letters, digits and '-', or "
                            "KIND/ID such as customers/anna-berg",
                            text));
  t.id = std::string(id);
  return t;
}

// One file that a commit changed, as git_diff_tree_to_tree pairs it: its tree entry on
// each side (null: absent there). The entries belong to trees the walker holds.
struct FileDelta {
  std::string path;  // relative to the brm root
  const git_tree_entry* before = nullptr;
  const git_tree_entry* after = nullptr;
};

// The first-parent history compared commit by commit without git_diff_tree_to_tree: a
// folder whose tree id did not change is skipped unread, and each version of a folder's
// tree (25,000 records: trees of hundreds of KiB, too big for libgit2's object cache) is
// read once, kept from the step that saw it as the parent's to the next, older step.
class LogWalker {
 public:
  explicit LogWalker(const std::filesystem::path& brm_root) {
    gitx::open(repo_, brm_root);
    prefix_ = gitx::prefix_of(repo_.get(), brm_root);
  }

  // The kinds whose folder holds `id` in the tree of `rev`.
  std::vector<const Kind*> kinds_in(std::string_view rev, const Target& t) {
    gitx::Commit c;
    gitx::peel_commit(c, repo_.get(), rev);
    gitx::Tree tree;
    gitx::check(git_commit_tree(tree.out(), c.get()), "cannot read the commit's tree");
    std::vector<const Kind*> out;
    for (const Kind* k : t.kinds) {
      gitx::TreeEntry e;
      std::string path = prefix_ + std::string(k->folder) + "/" + t.id + ".yaml";
      if (git_tree_entry_bypath(e.out(), tree.get(), path.c_str()) == 0) out.push_back(k);
    }
    return out;
  }

  // What `commit` changed against its first parent, within `paths` (exact paths relative
  // to the brm root, in path order; empty: everything brm reads). A shallow clone's
  // boundary (`root`) is compared with nothing, as git shows it: its parents are not in
  // the clone.
  std::vector<RecordChange> changes(const std::string& commit_id,
                                    const std::vector<std::string>& paths, bool root) {
    git_oid oid;
    gitx::check(git_oid_fromstr(&oid, commit_id.c_str()), "bad commit id");
    gitx::Commit c;
    gitx::check(git_commit_lookup(c.out(), repo_.get(), &oid), "cannot read a commit");
    git_tree* after = brm_tree(c.get());
    git_tree* before = nullptr;
    if (!root && git_commit_parentcount(c.get()) > 0) {
      gitx::Commit parent;
      gitx::check(git_commit_parent(parent.out(), c.get(), 0), "cannot read a parent commit");
      before = brm_tree(parent.get());
    }
    std::vector<FileDelta> deltas;
    if (paths.empty())
      diff_root(before, after, &deltas);
    else
      for (const std::string& p : paths) diff_path(before, after, p, &deltas);
    std::vector<RecordChange> out;
    for (FileDelta& d : deltas)
      if (auto change = classify(d)) out.push_back(std::move(*change));
    last_ = std::move(held_);  // this step's parent is the next step's commit
    held_.clear();
    return out;
  }

 private:
  // The tree `id`, read from git once for this step and the next.
  git_tree* tree(const git_oid* id) {
    for (const gitx::Tree& t : held_)
      if (git_oid_equal(git_tree_id(t.get()), id)) return t.get();
    gitx::Tree t;
    auto kept = std::find_if(last_.begin(), last_.end(), [&](const gitx::Tree& x) {
      return git_oid_equal(git_tree_id(x.get()), id);
    });
    if (kept != last_.end())
      gitx::check(git_tree_dup(t.out(), kept->get()), "cannot read a tree");
    else
      gitx::check(git_tree_lookup(t.out(), repo_.get(), id), "cannot read a tree");
    held_.push_back(std::move(t));
    return held_.back().get();
  }

  static bool is_tree(const git_tree_entry* e) {
    return e && git_tree_entry_type(e) == GIT_OBJECT_TREE;
  }

  // The tree of the brm root at `commit`; null when the commit has no such folder.
  git_tree* brm_tree(git_commit* commit) {
    if (prefix_.empty()) return tree(git_commit_tree_id(commit));
    gitx::Tree top;
    gitx::check(git_commit_tree(top.out(), commit), "cannot read the commit's tree");
    gitx::TreeEntry e;
    std::string folder = prefix_.substr(0, prefix_.size() - 1);
    if (git_tree_entry_bypath(e.out(), top.get(), folder.c_str()) < 0 || !is_tree(e.get()))
      return nullptr;
    return tree(git_tree_entry_id(e.get()));
  }

  // A file (not a folder) named like `before` or `after` in `folder` ('' for the brm root),
  // compared as git does: same id and mode is no change; a change of type (file, link,
  // submodule) is a removal and an addition. Its path is made only for a change.
  static void diff_file(std::string_view folder, const git_tree_entry* before,
                        const git_tree_entry* after, std::vector<FileDelta>* out) {
    if (is_tree(before)) before = nullptr;
    if (is_tree(after)) after = nullptr;
    if (!before && !after) return;
    bool split = false;
    if (before && after) {
      git_filemode_t mb = git_tree_entry_filemode(before), ma = git_tree_entry_filemode(after);
      if (mb == ma && git_oid_equal(git_tree_entry_id(before), git_tree_entry_id(after))) return;
      split = (mb & 0170000) != (ma & 0170000);
    }
    std::string_view name = git_tree_entry_name(before ? before : after);
    std::string path = folder.empty() ? std::string(name) : fmt::format("{}/{}", folder, name);
    if (split) {
      out->push_back({path, before, nullptr});
      out->push_back({std::move(path), nullptr, after});
    } else {
      out->push_back({std::move(path), before, after});
    }
  }

  // The files of one folder of the brm root that changed; unchanged folders are not read.
  void diff_folder(std::string_view folder, const git_tree_entry* before,
                   const git_tree_entry* after, std::vector<FileDelta>* out) {
    if (!is_tree(before)) before = nullptr;
    if (!is_tree(after)) after = nullptr;
    if (before && after && git_oid_equal(git_tree_entry_id(before), git_tree_entry_id(after)))
      return;
    git_tree* tb = before ? tree(git_tree_entry_id(before)) : nullptr;
    git_tree* ta = after ? tree(git_tree_entry_id(after)) : nullptr;
    gitx::merge_tree_entries(tb, ta, [&](const git_tree_entry* x, const git_tree_entry* y) {
      diff_file(folder, x, y, out);
    });
  }

  // Everything brm reads: brm.yaml, the schema folder and the kinds' folders. Nothing
  // deeper is a record, so other folders and names are not looked at.
  void diff_root(git_tree* before, git_tree* after, std::vector<FileDelta>* out) {
    if (before && after && git_oid_equal(git_tree_id(before), git_tree_id(after))) return;
    gitx::merge_tree_entries(before, after, [&](const git_tree_entry* x, const git_tree_entry* y) {
      std::string_view name = git_tree_entry_name(x ? x : y);
      const Kind* k = find_kind(name);
      if (name == "brm.yaml")
        diff_file("", x, y, out);
      else if (name == "schema" || (k && k->folder == name))
        diff_folder(name, x, y, out);
    });
  }

  // One exact path `folder/name`, looked up on each side instead of walking the folders.
  void diff_path(git_tree* before, git_tree* after, const std::string& path,
                 std::vector<FileDelta>* out) {
    std::size_t slash = path.find('/');
    std::string folder = path.substr(0, slash), name = path.substr(slash + 1);
    auto folder_of = [&](git_tree* root) -> const git_tree_entry* {
      const git_tree_entry* f = root ? git_tree_entry_byname(root, folder.c_str()) : nullptr;
      return is_tree(f) ? f : nullptr;
    };
    const git_tree_entry* fb = folder_of(before);
    const git_tree_entry* fa = folder_of(after);
    if (fb && fa && git_oid_equal(git_tree_entry_id(fb), git_tree_entry_id(fa)))
      return;  // the folder did not change: neither did the file
    auto file = [&](const git_tree_entry* f) -> const git_tree_entry* {
      return f ? git_tree_entry_byname(tree(git_tree_entry_id(f)), name.c_str()) : nullptr;
    };
    diff_file(folder, file(fb), file(fa), out);
  }

  std::optional<RecordChange> classify(const FileDelta& d) {
    const std::string& path = d.path;
    RecordChange r;
    r.path = path;
    std::size_t slash = path.find('/');
    if (path == "brm.yaml") {
      r.kind = "settings";
      r.id = path;
    } else if (slash != std::string::npos && path.compare(0, slash, "schema") == 0 &&
               path.find('/', slash + 1) == std::string::npos && path.size() > 5 &&
               path.compare(path.size() - 5, 5, ".yaml") == 0) {
      r.kind = "schema";
      r.id = path.substr(slash + 1);
    } else if (const Kind* k = record_file_kind(path, &r.id)) {
      r.kind = std::string(k->name);
    } else {
      return std::nullopt;
    }
    if (!d.before) {
      r.change = Change::Added;
    } else if (!d.after) {
      r.change = Change::Removed;
    } else {
      r.change = Change::Changed;
      Value before, after;
      if (read_document(d.before, path, &before) && read_document(d.after, path, &after))
        r.fields = diff_documents(before, after);
      else
        r.unreadable = true;
    }
    return r;
  }

  bool read_document(const git_tree_entry* entry, const std::string& path, Value* out) {
    git_filemode_t mode = git_tree_entry_filemode(entry);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return false;
    gitx::Blob blob;
    gitx::check(git_blob_lookup(blob.out(), repo_.get(), git_tree_entry_id(entry)),
                fmt::format("cannot read '{}'", path));
    std::string_view text(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                          static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    Diagnostics findings;  // a broken file is shown as such, not diffed
    return parse_yaml(text, path, out, &findings);
  }

  gitx::Repo repo_;
  std::string prefix_;
  std::vector<gitx::Tree> held_;  // the trees this step read
  std::vector<gitx::Tree> last_;  // the previous step's: its parent is this step's commit
};

// The log of a record must be of one record: an error when it saw records of more than
// one kind under the id, or none.
void check_target_seen(const Target& target, const std::vector<LogEntry>& log,
                       const LogOptions& o) {
  std::set<std::string> seen;
  for (const LogEntry& e : log)
    for (const RecordChange& r : e.changes) seen.insert(r.kind);
  if (seen.size() > 1) {
    std::string which;
    for (const Kind* k : target.kinds)
      if (seen.count(std::string(k->name)))
        which += (which.empty() ? "" : ", ") + std::string(k->folder) + "/" + target.id;
    throw Error(ExitCode::Usage,
                fmt::format("'{}' is the id of records of more than one kind; say which: {}",
                            target.id, which));
  }
  if (seen.empty())
    throw Error(ExitCode::DataErrors,
                target.kinds.size() == 1
                    ? fmt::format("no {} '{}' in the history of {}", target.kinds[0]->name,
                                  target.id, o.rev)
                    : fmt::format("no record '{}' in the history of {}", target.id, o.rev));
}

}  // namespace

std::vector<LogEntry> repository_log(const std::filesystem::path& brm_root, const LogOptions& o) {
  std::optional<Target> target;
  if (!o.record.empty()) target = parse_target(o.record);
  LogWalker walker(brm_root);
  FirstParentHistory history = first_parent_history(brm_root, o.rev);

  // A bare id is looked for in the revision first; only a record that is gone from it
  // needs the whole history to find its kind.
  if (target && target->kinds.size() > 1) {
    std::vector<const Kind*> found = walker.kinds_in(o.rev, *target);
    if (!found.empty()) target->kinds = found;
  }
  std::vector<std::string> paths;
  if (target)
    for (const Kind* k : target->kinds)
      paths.push_back(std::string(k->folder) + "/" + target->id + ".yaml");
  std::sort(paths.begin(), paths.end());  // in git's order, as a diff lists them

  bool must_see_all = target && target->kinds.size() > 1;
  std::vector<LogEntry> log;
  for (const CommitInfo& c : history.commits) {
    if (o.max_count > 0 && log.size() >= o.max_count && !must_see_all) break;
    bool boundary = history.shallow && &c == &history.commits.back();
    // Said before the error or the output below, so that neither passes for the whole story.
    if (boundary) warn_shallow_boundary(c);
    std::vector<RecordChange> changes = walker.changes(c.id, paths, boundary);
    if (changes.empty()) continue;
    log.push_back({c, std::move(changes)});
  }

  if (target) {
    check_target_seen(*target, log, o);
    if (o.max_count > 0 && log.size() > o.max_count) log.resize(o.max_count);
  }
  return log;
}

// ---- Output ----

namespace {

std::string iso_time(std::int64_t t) {
  std::int64_t secs = ((t % 86400) + 86400) % 86400;
  return fmt::format("{}T{:02}:{:02}:{:02}Z", date_of_unix_time(t).str(), secs / 3600,
                     secs / 60 % 60, secs % 60);
}

// A value as one short line: strings quoted, long ones cut, line breaks shown as \n.
std::string show(const Value& v) {
  if (v.is_mapping() && v.size() == 0) return "{}";
  if (v.is_sequence() && v.size() == 0) return "[]";
  std::string s = v.is_string() ? v.as_string() : v.to_display();
  std::string flat;
  for (char c : s) {
    if (c == '\n')
      flat += "\\n";
    else if (c == '\r' || c == '\t')
      flat += ' ';
    else
      flat += c;
  }
  constexpr std::size_t limit = 60;
  std::size_t chars = 0, cut = flat.size();
  for (std::size_t i = 0; i < flat.size(); ++i) {
    if ((static_cast<unsigned char>(flat[i]) & 0xC0) == 0x80) continue;
    if (chars++ == limit) {
      cut = i;
      break;
    }
  }
  if (cut < flat.size()) flat = flat.substr(0, cut) + "\u2026";
  return v.is_string() ? "'" + flat + "'" : flat;
}

std::string subject_of(const RecordChange& r) {
  if (r.kind == "settings") return "settings";
  return r.kind + " " + r.id;
}

}  // namespace

std::string log_to_text(const std::vector<LogEntry>& log, bool color) {
  std::string out;
  for (const LogEntry& e : log) {
    if (!out.empty()) out += "\n";
    std::string id = e.commit.id.substr(0, 7);
    out += fmt::format("{}  {}  {}  {}\n", color ? "\033[33m" + id + "\033[0m" : id,
                       date_of_unix_time(e.commit.time).str(), e.commit.author, e.commit.summary);
    for (const RecordChange& r : e.changes) {
      std::string who = subject_of(r);
      if (r.change != Change::Changed) {
        out += fmt::format("  {}: {}\n", who, change_name(r.change));
      } else if (r.unreadable) {
        out += fmt::format("  {}: changed (not a YAML document on one side)\n", who);
      } else if (r.fields.empty()) {
        out += fmt::format("  {}: reformatted, no field changed\n", who);
      } else {
        for (const FieldChange& f : r.fields) {
          switch (f.change) {
            case Change::Added:
              out += fmt::format("  {}: added {}: {}\n", who, f.path, show(f.after));
              break;
            case Change::Removed:
              out += fmt::format("  {}: removed {}\n", who, f.path);
              break;
            case Change::Changed:
              out += fmt::format("  {}: changed {}: {} -> {}\n", who, f.path, show(f.before),
                                 show(f.after));
              break;
          }
        }
      }
    }
  }
  return out;
}

std::string log_to_json(const std::vector<LogEntry>& log) {
  Value commits = Value::sequence();
  for (const LogEntry& e : log) {
    Value c = Value::mapping();
    c.set("commit", Value::string(e.commit.id));
    c.set("date", Value::string(date_of_unix_time(e.commit.time).str()));
    c.set("time", Value::string(iso_time(e.commit.time)));
    c.set("author", Value::string(e.commit.author));
    c.set("subject", Value::string(e.commit.summary));
    Value changes = Value::sequence();
    for (const RecordChange& r : e.changes) {
      Value v = Value::mapping();
      v.set("kind", Value::string(r.kind));
      v.set("id", Value::string(r.id));
      v.set("path", Value::string(r.path));
      v.set("change", Value::string(std::string(change_name(r.change))));
      if (r.change == Change::Changed) {
        if (r.unreadable) v.set("unreadable", Value::boolean(true));
        Value fields = Value::sequence();
        for (const FieldChange& f : r.fields) {
          Value fv = Value::mapping();
          fv.set("path", Value::string(f.path));
          fv.set("change", Value::string(std::string(change_name(f.change))));
          if (f.change != Change::Added) fv.set("before", f.before);
          if (f.change != Change::Removed) fv.set("after", f.after);
          fields.push_back(std::move(fv));
        }
        v.set("fields", std::move(fields));
      }
      changes.push_back(std::move(v));
    }
    c.set("changes", std::move(changes));
    commits.push_back(std::move(c));
  }
  return to_json(versioned(std::move(commits), "commits"), 2) + "\n";
}

}  // namespace brm

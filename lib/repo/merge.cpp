// The record merge: a three-way merge of the documents, then the merged document in
// canonical form with each conflict's lines between git's markers.
//
// The markers are placed without a writer of our own: the merged document is written
// once with a unique placeholder at each conflict, and once more per side and conflict
// with that side's value there instead; the lines that differ are the conflict's. When
// a side's lines cannot be cut out so (the value's absence empties its parent, `{}`),
// the conflict is widened to its parent and the merge is run again.
#include "brm/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <list>
#include <map>
#include <unordered_map>

#include "brm/canonical.hpp"
#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/git2_lazy.hpp"
#include "brm/git_handle.hpp"
#include "brm/line_endings.hpp"
#include "brm/schemas.hpp"
#include "brm/yaml.hpp"

namespace brm {

std::string to_pointer(const MergePath& path) {
  std::string out;
  for (const MergeStep& s : path) {
    out += '/';
    if (const auto* key = std::get_if<std::string>(&s)) {
      for (char c : *key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    } else {
      out += std::to_string(std::get<std::size_t>(s));
    }
  }
  return out;
}

const std::vector<std::string_view>& merge_identity(std::string_view list_path) {
  // The lists of FORMAT.md whose items have a field that names them. A new kind's list
  // with such a field wants a row here; without one its items are matched by value.
  static const std::map<std::string_view, std::vector<std::string_view>> table = {
      {"actions", {"what"}},
      {"milestones", {"what"}},
      {"responses", {"customer"}},
      {"questions", {"id"}},
      {"services", {"service"}},
      {"services[].levels", {"metric"}},
      {"levels", {"service", "metric"}},
  };
  static const std::vector<std::string_view> none;
  auto it = table.find(list_path);
  return it == table.end() ? none : it->second;
}

namespace {

// operator== (numbers by value, mappings in any order), with NaN equal to itself: a
// `.nan` that neither side touched is no change.
bool same(const Value& a, const Value& b) {
  if (a.type() == Value::Type::Float && b.type() == Value::Type::Float)
    return a.as_double() == b.as_double() ||
           (std::isnan(a.as_double()) && std::isnan(b.as_double()));
  if (a.is_sequence() && b.is_sequence()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a.items()[i], b.items()[i])) return false;
    return true;
  }
  if (a.is_mapping() && b.is_mapping()) {
    if (a.size() != b.size()) return false;
    for (const Value::Entry& e : a.entries()) {
      const Value* other = b.find(e.key);
      if (!other || !same(e.value, *other)) return false;
    }
    return true;
  }
  return a == b;
}

bool same(const Value* a, const Value* b) {
  if (!a || !b) return a == b;
  return same(*a, *b);
}

// "services[].levels" for /services/0/levels.
std::string list_pattern(const MergePath& path) {
  std::string out;
  for (const MergeStep& s : path) {
    if (const auto* key = std::get_if<std::string>(&s)) {
      if (!out.empty()) out += '.';
      out += *key;
    } else {
      out += "[]";
    }
  }
  return out;
}

// The key a list item is matched by: its identity fields, or its whole value; the n-th
// item with the same key gets "#n", so that duplicates pair up in order.
std::vector<std::string> item_keys(const Value* list, const std::vector<std::string_view>& id) {
  std::vector<std::string> keys;
  if (!list) return keys;
  std::map<std::string, std::size_t> seen;
  for (const Value& item : list->items()) {
    std::string key;
    bool by_id = !id.empty() && item.is_mapping();
    for (std::string_view field : id) {
      const Value* v = item.find(field);
      if (!v || v->is_mapping() || v->is_sequence()) {
        by_id = false;
        break;
      }
      key += fmt::format("{}={}\x1f", Value::type_name(v->type()), v->to_display());
    }
    if (!by_id) key = "value:" + to_yaml(item);
    keys.push_back(key + "#" + std::to_string(seen[key]++));
  }
  return keys;
}

// Item keys to their positions in a list.
using KeyIndex = std::unordered_map<std::string, std::size_t>;

KeyIndex index_of(const std::vector<std::string>& keys) {
  KeyIndex index;
  for (std::size_t i = 0; i < keys.size(); ++i) index.emplace(keys[i], i);
  return index;
}

const Value* item_for(const Value* list, const KeyIndex& index, const std::string& key) {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &list->items()[it->second];
}

// The order of the merged list's candidates: ours' items, and theirs' others each after
// the item it follows in theirs and after ours' own new items there, so that items both
// sides appended come ours first, then theirs.
std::vector<std::string> merged_order(const std::vector<std::string>& ours, const KeyIndex& in_ours,
                                      const std::vector<std::string>& theirs,
                                      const KeyIndex& in_theirs) {
  std::list<std::string> order(ours.begin(), ours.end());
  std::unordered_map<std::string, std::list<std::string>::iterator> placed;
  for (auto it = order.begin(); it != order.end(); ++it) placed.emplace(*it, it);
  auto cursor = order.begin();  // after the last of theirs' items seen
  for (const std::string& key : theirs) {
    if (auto found = placed.find(key); found != placed.end()) {
      cursor = std::next(found->second);
      continue;
    }
    while (cursor != order.end() && in_ours.count(*cursor) && !in_theirs.count(*cursor)) ++cursor;
    auto inserted = order.insert(cursor, key);
    placed.emplace(key, inserted);
    cursor = std::next(inserted);
  }
  return {order.begin(), order.end()};
}

class Merger {
 public:
  Merger(bool two_way, const std::vector<MergePath>& atomic) : two_way_(two_way), atomic_(atomic) {}

  std::vector<MergeConflict> conflicts;

  // The merged value; nullopt when it is absent from the result.
  std::optional<Value> merge(const Value* b, const Value* o, const Value* t) {
    if (same(o, t)) return o ? std::optional<Value>(*o) : std::nullopt;
    if (!two_way_) {
      if (same(o, b)) return t ? std::optional<Value>(*t) : std::nullopt;
      if (same(t, b)) return o ? std::optional<Value>(*o) : std::nullopt;
    }
    bool inside = o && t && std::find(atomic_.begin(), atomic_.end(), at_) == atomic_.end();
    if (inside && o->is_mapping() && t->is_mapping() && (!b || b->is_mapping()))
      return merge_mapping(b, *o, *t);
    if (inside && o->is_sequence() && t->is_sequence() && (!b || b->is_sequence()))
      return merge_list(b, *o, *t);
    conflicts.push_back({at_, o ? std::optional<Value>(*o) : std::nullopt,
                         t ? std::optional<Value>(*t) : std::nullopt});
    return Value::null();
  }

 private:
  const Value* in(const Value* map, const std::string& key) {
    return map ? map->find(key) : nullptr;
  }

  Value merge_mapping(const Value* b, const Value& o, const Value& t) {
    Value out = Value::mapping(o.mark());
    std::vector<const Value::Entry*> keys;
    for (const Value::Entry& e : o.entries()) keys.push_back(&e);
    for (const Value::Entry& e : t.entries())
      if (!o.find(e.key)) keys.push_back(&e);
    for (const Value::Entry* e : keys) {
      at_.emplace_back(e->key);
      std::optional<Value> v = merge(in(b, e->key), o.find(e->key), t.find(e->key));
      at_.pop_back();
      if (v) out.set(e->key, std::move(*v), e->key_mark);
    }
    return out;
  }

  Value merge_list(const Value* b, const Value& o, const Value& t) {
    const auto& id = merge_identity(list_pattern(at_));
    std::vector<std::string> ok = item_keys(&o, id), tk = item_keys(&t, id);
    KeyIndex bi = index_of(item_keys(b, id)), oi = index_of(ok), ti = index_of(tk);
    Value out = Value::sequence(o.mark());
    for (const std::string& key : merged_order(ok, oi, tk, ti)) {
      at_.emplace_back(out.size());
      std::optional<Value> v =
          merge(item_for(b, bi, key), item_for(&o, oi, key), item_for(&t, ti, key));
      at_.pop_back();
      if (v) out.push_back(std::move(*v));
    }
    return out;
  }

  bool two_way_;
  const std::vector<MergePath>& atomic_;
  MergePath at_;
};

}  // namespace

TreeMerge merge_documents(const Value* base, const Value& ours, const Value& theirs,
                          const std::vector<MergePath>& atomic) {
  Merger m(base == nullptr, atomic);
  std::optional<Value> merged = m.merge(base, &ours, &theirs);
  return {merged ? std::move(*merged) : Value::null(), std::move(m.conflicts)};
}

// ---- writing a merge with its conflicts ------------------------------------------

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return lines;
}

// Puts `v` at `path` in `doc`, or removes what is there when `v` is absent.
void put_at(Value& doc, const MergePath& path, const std::optional<Value>& v) {
  if (path.empty()) {
    doc = v ? *v : Value::mapping();
    return;
  }
  Value* at = &doc;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (const auto* key = std::get_if<std::string>(&path[i]))
      at = at->find(*key);
    else
      at = &at->items()[std::get<std::size_t>(path[i])];
  }
  if (const auto* key = std::get_if<std::string>(&path.back())) {
    if (v)
      at->set(*key, *v);
    else
      at->erase(*key);
  } else {
    auto index = std::get<std::size_t>(path.back());
    if (v)
      at->items()[index] = *v;
    else
      at->items().erase(at->items().begin() + static_cast<std::ptrdiff_t>(index));
  }
}

struct Layout {
  std::optional<KindId> kind;
  MergeLabels labels;
  std::string render(const Value& doc) const {
    return kind ? to_canonical_yaml(*kind, doc) : to_yaml(doc);
  }
};

// The merged document written with conflict markers. Returns false, with the conflict
// to widen in *widen, when a conflict's lines cannot be cut out of the writer's output.
class ConflictWriter {
 public:
  ConflictWriter(const Layout& layout, const TreeMerge& m) : layout_(layout), m_(m) {}

  bool write(std::string* out, std::size_t* widen) {
    if (!place_placeholders(widen)) return false;
    std::vector<std::string> ours(m_.conflicts.size()), theirs(m_.conflicts.size());
    for (std::size_t i = 0; i < m_.conflicts.size(); ++i) {
      if (!side_lines(i, m_.conflicts[i].ours, &ours[i]) ||
          !side_lines(i, m_.conflicts[i].theirs, &theirs[i])) {
        *widen = i;
        return false;
      }
    }
    std::vector<std::size_t> conflict_at(lines_.size(), m_.conflicts.size());
    for (std::size_t i = 0; i < m_.conflicts.size(); ++i) conflict_at[line_of_[i]] = i;
    out->clear();
    for (std::size_t l = 0; l < lines_.size();) {
      if (conflict_at[l] == m_.conflicts.size()) {
        out->append(lines_[l++]);
        continue;
      }
      // Conflicts on adjacent lines are one region, as git shows them.
      std::string o, t;
      for (; l < lines_.size() && conflict_at[l] < m_.conflicts.size(); ++l) {
        o += ours[conflict_at[l]];
        t += theirs[conflict_at[l]];
      }
      out->append(fmt::format("<<<<<<< {}\n{}=======\n{}>>>>>>> {}\n", layout_.labels.ours, o, t,
                              layout_.labels.theirs));
    }
    return true;
  }

 private:
  std::string placeholder(std::size_t i) const {
    return fmt::format(
        "\x01"
        "brm-merge-{}-{}",
        salt_, i);
  }
  // How the writer shows placeholder i: a double-quoted scalar that ends its line.
  std::string shown(std::size_t i) const {
    return fmt::format("\"\\x01brm-merge-{}-{}\"\n", salt_, i);
  }

  // Writes the document with a placeholder at each conflict, each on a line of its own
  // (a salt makes them unlike any text of the record).
  bool place_placeholders(std::size_t* widen) {
    for (salt_ = 0; salt_ < 64; ++salt_) {
      doc_ = m_.merged;
      for (std::size_t i = 0; i < m_.conflicts.size(); ++i)
        put_at(doc_, m_.conflicts[i].path, Value::string(placeholder(i)));
      text_ = layout_.render(doc_);
      lines_ = split_lines(text_);
      if (find_placeholder_lines(widen)) return true;
      if (*widen != m_.conflicts.size()) return false;
    }
    *widen = 0;
    return false;
  }

  // Sets *widen to a conflict whose placeholder is not on its own line, or to the
  // count of conflicts when a placeholder shows twice (the salt is taken).
  bool find_placeholder_lines(std::size_t* widen) {
    std::string any = fmt::format("\\x01brm-merge-{}-", salt_);
    std::size_t found = 0;
    for (std::string_view l : lines_)
      for (std::size_t at = l.find(any); at != std::string_view::npos; at = l.find(any, at + 1))
        ++found;
    *widen = m_.conflicts.size();
    if (found != m_.conflicts.size()) return false;
    line_of_.assign(m_.conflicts.size(), lines_.size());
    for (std::size_t i = 0; i < m_.conflicts.size(); ++i) {
      std::string s = shown(i);
      for (std::size_t l = 0; l < lines_.size(); ++l) {
        std::string_view line = lines_[l];
        if (line.size() >= s.size() && line.substr(line.size() - s.size()) == s) line_of_[i] = l;
      }
      if (line_of_[i] == lines_.size()) {
        *widen = i;
        return false;
      }
    }
    return true;
  }

  // The lines that conflict i's side `v` takes in place of its placeholder's line.
  bool side_lines(std::size_t i, const std::optional<Value>& v, std::string* out) {
    Value doc = doc_;
    put_at(doc, m_.conflicts[i].path, v);
    std::string text = layout_.render(doc);
    std::vector<std::string_view> lines = split_lines(text);
    std::size_t before = line_of_[i], after = lines_.size() - before - 1;
    if (lines.size() < before + after) return false;
    if (!std::equal(lines_.begin(), lines_.begin() + static_cast<std::ptrdiff_t>(before),
                    lines.begin()) ||
        !std::equal(lines_.end() - static_cast<std::ptrdiff_t>(after), lines_.end(),
                    lines.end() - static_cast<std::ptrdiff_t>(after)))
      return false;
    out->clear();
    for (std::size_t l = before; l < lines.size() - after; ++l) out->append(lines[l]);
    return true;
  }

  const Layout& layout_;
  const TreeMerge& m_;
  int salt_ = 0;
  Value doc_;
  std::string text_;
  std::vector<std::string_view> lines_;
  std::vector<std::size_t> line_of_;
};

MergePath parent_of(const MergePath& p) {
  return p.empty() ? p : MergePath(p.begin(), p.end() - 1);
}

// Merges and writes, widening conflicts whose lines cannot be cut out, up to the whole
// document (which always can be).
std::string merge_and_write(const Value* base, const Value& ours, const Value& theirs,
                            const Layout& layout, TreeMerge* m) {
  std::vector<MergePath> atomic;
  std::size_t budget =
      std::max<std::size_t>(1, (std::size_t{64} << 20) / (to_yaml(ours).size() + 1));
  while (true) {
    *m = merge_documents(base, ours, theirs, atomic);
    if (m->conflicts.empty()) return layout.render(m->merged);
    // Each conflict writes the document twice: past the budget, one conflict for all.
    if (m->conflicts.size() > budget) {
      atomic.assign(1, MergePath{});
      continue;
    }
    std::string out;
    std::size_t widen = 0;
    if (ConflictWriter(layout, *m).write(&out, &widen)) return out;
    MergePath parent = parent_of(m->conflicts[widen].path);
    if (std::find(atomic.begin(), atomic.end(), parent) != atomic.end()) break;
    atomic.push_back(std::move(parent));
  }
  // Not reached while the writer keeps each value to lines of its own; if it ever does
  // not, the two whole versions are the conflict.
  *m = merge_documents(base, ours, theirs, {MergePath{}});
  return fmt::format("<<<<<<< {}\n{}=======\n{}>>>>>>> {}\n", layout.labels.ours,
                     layout.render(ours), layout.render(theirs), layout.labels.theirs);
}

// ---- the file ------------------------------------------------------------------

bool is_blank_text(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The record a side holds: a mapping that parses; nullopt otherwise (with why).
std::optional<Value> parse_record(std::string_view text, std::string_view file, std::string* why) {
  Value doc;
  Diagnostics findings;
  if (!parse_yaml(text, file, &doc, &findings)) {
    *why = findings.empty() ? "it does not parse" : format_text(findings.front());
    return std::nullopt;
  }
  if (!doc.is_mapping()) {
    *why = "it is no mapping of fields";
    return std::nullopt;
  }
  return doc;
}

bool valid_as(KindId kind, const Value& doc) { return builtin_schema(kind).is_valid(doc); }

// The kind whose schema takes both sides, when the path did not say.
std::optional<KindId> guess_kind(const Value& ours, const Value& theirs) {
  for (const Kind& k : kinds())
    if (valid_as(k.id, ours) && valid_as(k.id, theirs)) return k.id;
  return std::nullopt;
}

FileMerge merge_by_lines(std::string_view base, std::string_view ours, std::string_view theirs,
                         const MergeLabels& labels, std::string note) {
  FileMerge r;
  r.by_lines = true;
  r.notes.push_back(std::move(note));
  if (!merge_lines(base, ours, theirs, labels, &r.text, &r.clean)) {
    r.text = std::string(ours);
    r.conflicts = 1;
    r.notes.push_back("the versions cannot be merged as lines either; ours is kept");
    return r;
  }
  r.conflicts = r.clean ? 0 : 1;
  return r;
}

// Where nothing conflicts, a text that keeps the sides' comments and layout, when one
// does: git's own merge of the lines if it reads back as the merged record, else the
// side whose record the merge is.
std::optional<std::string> text_as_written(std::string_view base, std::string_view ours,
                                           std::string_view theirs, const Value& merged,
                                           const Value& o, const Value& t) {
  std::string lines;
  bool clean = false;
  if (merge_lines(base, ours, theirs, {}, &lines, &clean) && clean) {
    std::string why;
    if (auto doc = parse_record(lines, "", &why); doc && same(*doc, merged)) return lines;
  }
  if (same(o, merged)) return std::string(ours);
  if (same(t, merged)) return std::string(theirs);
  return std::nullopt;
}

// Checks the clean result with the kind's schema: two valid sides that merge into an
// invalid record (a status one side closed, a date the other moved) are a conflict too.
void check_result(KindId kind, const Value& o, const Value& t, std::string_view file,
                  FileMerge* r) {
  if (!valid_as(kind, o) || !valid_as(kind, t)) return;
  Value doc;
  Diagnostics ignored;
  if (!parse_yaml(r->text, file, &doc, &ignored)) return;
  std::vector<SchemaFinding> found;
  if (builtin_schema(kind).validate(doc, &found)) return;
  r->clean = false;
  for (const SchemaFinding& f : found)
    r->findings.push_back(
        {std::string(file), f.mark.line, f.mark.column, Severity::Error, f.rule, f.message});
  r->notes.push_back("the sides merge without conflicts into a record with errors");
}

}  // namespace

FileMerge merge_record_files(std::string_view base, std::string_view ours, std::string_view theirs,
                             std::optional<KindId> kind, std::string_view file,
                             const MergeLabels& labels) {
  std::string why;
  std::optional<Value> b;
  if (!is_blank_text(base)) b = parse_record(base, file, &why);
  std::optional<Value> o = why.empty() ? parse_record(ours, file, &why) : std::nullopt;
  std::optional<Value> t = why.empty() ? parse_record(theirs, file, &why) : std::nullopt;
  if (!o || !t)
    return merge_by_lines(
        base, ours, theirs, labels,
        fmt::format("{}: not a record on every side ({}); merged as lines", file, why));
  if (!kind) kind = guess_kind(*o, *t);
  FileMerge r;
  TreeMerge m;
  r.text = merge_and_write(b ? &*b : nullptr, *o, *t, {kind, labels}, &m);
  r.conflicts = 0;
  for (std::string_view l : split_lines(r.text))
    if (l.substr(0, 8) == "<<<<<<< ") ++r.conflicts;
  r.clean = m.conflicts.empty();
  if (r.clean) {
    if (auto kept = text_as_written(base, ours, theirs, m.merged, *o, *t)) {
      r.text = std::move(*kept);
    } else if (has_comments(ours) || has_comments(theirs)) {
      r.notes.push_back(fmt::format(
          "warning: {}: the comments were dropped: the merge is written in canonical form", file));
    }
    if (kind) check_result(*kind, *o, *t, file, &r);
  }
  bool keeps_crlf = uses_crlf(ours) && uses_crlf(theirs);
  if (keeps_crlf && !uses_crlf(r.text)) r.text = with_line_endings_of(ours, std::move(r.text));
  return r;
}

bool merge_lines(std::string_view base, std::string_view ours, std::string_view theirs,
                 const MergeLabels& labels, std::string* out, bool* clean) {
  gitx::init();
  git_merge_file_input b, o, t;
  for (auto [input, text] : {std::pair{&b, base}, {&o, ours}, {&t, theirs}}) {
    git_merge_file_input_init(input, GIT_MERGE_FILE_INPUT_VERSION);
    input->ptr = text.data();
    input->size = text.size();
  }
  git_merge_file_options options;
  git_merge_file_options_init(&options, GIT_MERGE_FILE_OPTIONS_VERSION);
  options.ancestor_label = "base";
  options.our_label = labels.ours.c_str();
  options.their_label = labels.theirs.c_str();
  git_merge_file_result result = {};
  if (git_merge_file(&result, &b, &o, &t, &options) < 0) return false;
  out->assign(result.ptr ? result.ptr : "", result.len);
  *clean = result.automergeable != 0;
  git_merge_file_result_free(&result);
  return true;
}

std::string with_merge_attributes(std::string_view existing) {
  std::string out(existing);
  std::vector<std::string_view> lines = split_lines(existing);
  auto has = [&](const std::string& line) {
    return std::any_of(lines.begin(), lines.end(), [&](std::string_view l) {
      while (!l.empty() && (l.back() == '\n' || l.back() == '\r' || l.back() == ' '))
        l.remove_suffix(1);
      return l == line;
    });
  };
  bool header = false;
  for (const Kind& k : kinds()) {
    std::string line = fmt::format("{}/*.yaml merge=brm", k.folder);
    if (has(line)) continue;
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!header)
      out += "# brm merge-file merges records field by field (see 'brm help merge-file')\n";
    header = true;
    out += line + '\n';
  }
  return out;
}

bool write_merge_attributes(const std::filesystem::path& dir) {
  std::filesystem::path file = dir / ".gitattributes";
  std::error_code ec;
  std::string existing;
  auto type = std::filesystem::symlink_status(file, ec).type();
  if (type == std::filesystem::file_type::symlink)
    throw Error(ExitCode::Io,
                fmt::format("'{}' is a symbolic link; brm does not follow links", file.string()));
  if (type != std::filesystem::file_type::not_found) existing = read_file(file);
  std::string wanted = with_merge_attributes(existing);
  if (wanted == existing) return false;
  write_file_atomic(file, wanted);
  return true;
}

}  // namespace brm

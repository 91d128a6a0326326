// brm KIND add: a flag for every field of the kind's schema, prompts in a terminal for
// the required fields that are missing, then one validated write.
#include <fmt/format.h>

#include <cstdio>
#include <deque>
#include <map>

#include "brm/error.hpp"
#include "brm/record_cache.hpp"
#include "brm/record_edit.hpp"
#include "brm/record_input.hpp"
#include "brm/rename.hpp"
#include "brm/strings.hpp"
#include "brm/yaml.hpp"
#include "line_editor.hpp"
#include "record.hpp"

namespace brm::cli {
namespace {

enum class FlagForm {
  Scalar,    // --it-contact TEXT: one value at `path`
  Repeated,  // --attendee NAME: an item of a list of scalars
  Item,      // --action "WHAT;OWNER;DUE": an item of a list of objects, generic form
  Compact,   // --level SERVICE:METRIC=TARGET[UNIT]: a compact form of compact_forms()
  FreeForm,  // --extra KEY=VALUE: a key of a free-form object
};

struct AddFlag {
  FlagForm form;
  std::string path;              // the field; for list forms the list; for FreeForm the object
  std::string flag;              // "--budget-amount"
  const Field* field = nullptr;  // Scalar: the field; Repeated, Item: the list's item
  const CompactForm* compact = nullptr;
  std::vector<std::string> values = {};  // what CLI11 parsed
  CLI::Option* option = nullptr;
};

struct AddOptions {
  std::string label;          // the positional; `--name` (or --title, --summary) is among `flags`
  std::string id;             // --id
  std::deque<AddFlag> flags;  // a deque: CLI11 keeps pointers to `values`
  WriteFlags write;
};

// "attendees" -> "attendee": the flag for one item of a list.
std::string singular(std::string_view list) {
  if (list.size() > 1 && list.back() == 's') list.remove_suffix(1);
  return std::string(list);
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string value_name(const Field& f) {
  if (!f.choices.empty()) return join(f.choices, "|");
  if (f.is_date) return "DATE";
  switch (f.type) {
    case FieldType::Integer:
      return "N";
    case FieldType::Number:
      return "NUMBER";
    case FieldType::Boolean:
      return "true|false";
    default:
      return "TEXT";
  }
}

const CompactForm* compact_form(KindId kind, std::string_view flag) {
  for (const CompactForm& c : compact_forms())
    if (c.kind == kind && c.flag == flag) return &c;
  return nullptr;
}

void collect_flags(KindId kind, const Field& object, const std::string& prefix,
                   std::deque<AddFlag>* out) {
  for (const Field& f : object.properties) {
    std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
    if (f.is_scalar()) {
      out->push_back({FlagForm::Scalar, path, flag_for(path), &f});
    } else if (f.type == FieldType::Object && !f.properties.empty()) {
      collect_flags(kind, f, path, out);
    } else if (f.type == FieldType::Object) {
      out->push_back({FlagForm::FreeForm, path, flag_for(path), &f});
    } else if (f.type == FieldType::Array && prefix.empty() && f.items) {
      std::string word = singular(f.name);
      if (const CompactForm* c = compact_form(kind, word))
        out->push_back({FlagForm::Compact, path, "--" + word, f.items.get(), c});
      else if (f.items->is_scalar())
        out->push_back({FlagForm::Repeated, path, "--" + word, f.items.get()});
      else
        out->push_back({FlagForm::Item, path, "--" + word, f.items.get()});
    }
  }
}

const Reference* reference_at(KindId kind, std::string_view path) {
  for (const Reference& r : kind_of(kind).references)
    if (r.path == path) return &r;
  return nullptr;
}

// Where a new value goes: the object at the dotted path's parent, created on the way.
Value& object_at(Value& doc, std::string_view path) {
  Value* at = &doc;
  for (auto dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.')) {
    std::string key(path.substr(0, dot));
    Value* next = at->find(key);
    if (!next || !next->is_mapping()) next = &at->set(key, Value::mapping());
    at = next;
    path.remove_prefix(dot + 1);
  }
  return *at;
}

std::string last_segment(std::string_view path) {
  auto dot = path.rfind('.');
  return std::string(dot == std::string_view::npos ? path : path.substr(dot + 1));
}

Value& list_at(Value& doc, std::string_view path) {
  Value& parent = object_at(doc, path);
  std::string key = last_segment(path);
  Value* list = parent.find(key);
  if (!list || !list->is_sequence()) list = &parent.set(key, Value::sequence());
  return *list;
}

// Adds one value given for a flag (or answered at a prompt) to the document.
void apply(KindId kind, const AddFlag& f, Value& doc, std::string_view text) {
  switch (f.form) {
    case FlagForm::Scalar:
      object_at(doc, f.path).set(last_segment(f.path), typed_value(*f.field, text, f.flag));
      return;
    case FlagForm::Repeated:
      list_at(doc, f.path).push_back(typed_value(*f.field, text, f.flag));
      return;
    case FlagForm::Item:
      list_at(doc, f.path).push_back(parse_generic_item(*f.field, text, f.flag.substr(2)));
      return;
    case FlagForm::Compact:
      f.compact->add(doc, text);
      return;
    case FlagForm::FreeForm: {
      auto eq = text.find('=');
      if (eq == 0 || eq == std::string_view::npos)
        throw Error(ExitCode::Usage,
                    fmt::format("invalid {} '{}': expected KEY=VALUE", f.flag, text));
      std::string key(text.substr(0, eq));
      const Field& field = field_at(kind, f.path + "." + key);
      Value value = typed_value(field, text.substr(eq + 1), f.flag + " " + key);
      Value* object = doc.find(f.path);
      if (!object || !object->is_mapping())
        object = &object_at(doc, f.path).set(last_segment(f.path), Value::mapping());
      object->set(key, std::move(value));
      return;
    }
  }
}

// The flag (or positional) that gives a top-level field, for messages and prompts.
const AddFlag* flag_of(const AddOptions& o, std::string_view field) {
  for (const AddFlag& f : o.flags)
    if (f.path == field) return &f;
  return nullptr;
}

std::string flag_name(KindId kind, const AddOptions& o, std::string_view field) {
  if (field == kind_of(kind).label_field) return upper(field);
  const AddFlag* f = flag_of(o, field);
  return f ? f->flag : flag_for(field);
}

// What the prompts of one `add` share: the record so far and the repository that the
// answers are checked against (loaded once, before the write's lock is taken).
struct Prompts {
  KindId kind;
  const AddOptions& o;
  const Repository& repo;
  Value& doc;
};

[[noreturn]] void no_answer(const Prompts& p) {
  std::fputs("\n", stderr);
  std::vector<std::string> flags;
  for (const std::string& m : missing_fields(p.kind, p.doc))
    flags.push_back(flag_name(p.kind, p.o, m));
  throw Error(ExitCode::Usage, "missing required fields: " + join(flags, ", "));
}

std::string answer(const Prompts& p, const std::string& prompt, const Completer& complete = {}) {
  std::optional<std::string> line = read_line(prompt + ": ", complete);
  if (!line) no_answer(p);
  return *line;
}

// The records a reference field may name; empty when any text will do (services before
// the repository has a catalogue).
std::vector<const Record*> targets_of(const Prompts& p, const Reference& ref) {
  std::vector<const Record*> targets = reference_targets(p.repo, ref);
  if (targets.empty() && ref.only_with_catalogue && p.repo.of(ref.target).empty()) return {};
  return targets;
}

// An answer at a reference's prompt as the id it means: an id, a name or a unique prefix.
std::string resolve_reference(const Prompts& p, const Reference& ref, const std::string& typed) {
  std::vector<const Record*> targets = targets_of(p, ref);
  if (targets.empty() && ref.only_with_catalogue) return typed;
  RecordMatch m = match_record(targets, typed);
  std::string_view kind = kind_of(ref.target).name;
  if (m.record) {
    if (m.record->id != typed)
      std::fprintf(stderr, "  -> %s (%s)\n", m.record->id.c_str(),
                   std::string(m.record->label()).c_str());
    return m.record->id;
  }
  std::vector<std::string> ids;
  for (const Record* r : m.candidates) ids.push_back(r->id);
  if (!ids.empty())
    throw Error(ExitCode::Usage, fmt::format("'{}' fits {} {}s: {}; type more, or Tab", typed,
                                             ids.size(), kind, join(ids, ", ")));
  throw Error(
      ExitCode::Usage,
      fmt::format("no {} '{}'{}{}", kind, typed,
                  ref.needs_role_customer ? " with role customer" : "",
                  m.suggestion.empty() ? std::string()
                                       : fmt::format(" (did you mean '{}'?)", m.suggestion)));
}

Completer completer_for(const Prompts& p, const Field& f, const Reference* ref) {
  if (ref) {
    std::vector<const Record*> targets = targets_of(p, *ref);
    return [targets](std::string_view typed) { return complete_record(targets, typed); };
  }
  if (f.choices.empty()) return {};
  return [&f](std::string_view typed) {
    std::vector<std::string> out;
    for (const std::string& c : f.choices)
      if (c.starts_with(typed)) out.push_back(c);
    return out;
  };
}

// An answer as the field's value, or Error(Usage) saying why not.
Value checked(const Prompts& p, const Field& f, const Reference* ref, const std::string& line) {
  if (f.is_date && !Date::parse(line))
    throw Error(ExitCode::Usage,
                fmt::format("invalid value '{}' for {}: expected a date YYYY-MM-DD", line, f.name));
  return typed_value(f, ref ? resolve_reference(p, *ref, line) : line, f.name);
}

std::string prompt_for(const Field& f, const Reference* ref, const OfferedField* offered,
                       std::string_view fallback) {
  std::string prompt = f.name;
  if (!f.choices.empty()) prompt += " (" + join(f.choices, "/") + ")";
  if (ref) prompt += " (id or name, Tab completes)";
  if (offered) prompt += fmt::format(" (optional, {}; Enter to skip)", offered->why);
  if (!fallback.empty()) prompt += fmt::format(" [{}]", fallback);
  return prompt;
}

// One prompt for a scalar field: `role (customer/purchaser): `, asked again until the
// answer fits the schema and names a record that exists. Dates offer today; an offered
// optional field takes Enter as no value.
std::optional<Value> ask_scalar(const Prompts& p, const Field& f,
                                const OfferedField* offered = nullptr) {
  std::string fallback = f.is_date && !offered ? today().str() : std::string();
  const Reference* ref = reference_at(p.kind, f.name);
  std::string prompt = prompt_for(f, ref, offered, fallback);
  Completer complete = completer_for(p, f, ref);
  for (;;) {
    std::string line = answer(p, prompt, complete);
    if (line.empty()) line = fallback;
    if (line.empty() && offered) return std::nullopt;
    if (line.empty()) continue;
    try {
      return checked(p, f, ref, line);
    } catch (const Error& e) {
      std::fprintf(stderr, "brm: %s\n", e.what());
    }
  }
}

// The reference that an item of a list is when it is typed as one word: an id in a list
// of ids (a plan's `requirements`), or the one field of the compact form (`--service`).
const Reference* item_reference(KindId kind, const Field& list, std::string_view word) {
  if (const Reference* r = reference_at(kind, list.name + "[]")) return r;
  return reference_at(kind, fmt::format("{}[].{}", list.name, word));
}

// Prompts for the items of a required list, one per line, until an empty line; an item
// that is a record is typed and completed as a reference's prompt is.
void ask_list(const Prompts& p, const Field& list) {
  const AddFlag* f = flag_of(p.o, list.name);
  if (!f) no_answer(p);
  std::string word = f->flag.substr(2);
  std::string syntax = f->form == FlagForm::Compact ? std::string(f->compact->syntax)
                       : f->form == FlagForm::Item  ? generic_syntax(*f->field)
                                                    : std::string();
  if (syntax == upper(word)) syntax.clear();
  const Reference* ref = syntax.empty() ? item_reference(p.kind, list, word) : nullptr;
  Completer complete = ref ? completer_for(p, list, ref) : Completer();
  std::size_t need = std::max<std::size_t>(1, list.min_items);
  for (std::size_t n = 1;;) {
    std::string prompt = fmt::format("{} {}", word, n);
    if (!syntax.empty()) prompt += " (" + syntax + ")";
    if (ref) prompt += " (id or name, Tab completes)";
    if (n > need) prompt += " (empty line to finish)";
    std::optional<std::string> line = read_line(prompt + ": ", complete);
    if (!line && n <= need) no_answer(p);
    if (!line || (line->empty() && n > need)) return;
    if (line->empty()) continue;
    try {
      apply(p.kind, *f, p.doc, ref ? resolve_reference(p, *ref, *line) : *line);
      ++n;
    } catch (const Error& e) {
      std::fprintf(stderr, "brm: %s\n", e.what());
    }
  }
}

// The required fields that are missing, then the optional ones a measure counts.
void ask_missing(const Prompts& p) {
  for (;;) {
    std::vector<std::string> missing = missing_fields(p.kind, p.doc);
    if (missing.empty()) break;
    const Field* f = record_field(p.kind).property(missing.front());
    if (f && f->is_scalar())
      p.doc.set(f->name, *ask_scalar(p, *f));
    else if (f && f->type == FieldType::Array)
      ask_list(p, *f);
    else
      no_answer(p);
  }
  for (const OfferedField& offered : offered_fields(p.kind)) {
    const Field* f = record_field(p.kind).property(offered.field);
    if (!f || p.doc.find(offered.field)) continue;
    if (std::optional<Value> v = ask_scalar(p, *f, &offered))
      p.doc.set(std::string(offered.field), std::move(*v));
  }
}

// The record as the flags give it, with the defaults of FORMAT.md. `parse_order` lists
// the options as given, so that items land in the lists in the order the user wrote them
// (`--service a --level b:...` keeps a before b).
Value doc_from_flags(KindId kind, const AddOptions& o,
                     const std::vector<CLI::Option*>& parse_order) {
  const Kind& k = kind_of(kind);
  const Field& root = record_field(kind);
  Value doc = Value::mapping();
  std::map<const CLI::Option*, std::pair<const AddFlag*, std::size_t>> next;  // value to use
  for (const AddFlag& f : o.flags) {
    if (f.form == FlagForm::Scalar && f.values.size() > 1)
      throw Error(ExitCode::Usage, fmt::format("{} was given {} times", f.flag, f.values.size()));
    next[f.option] = {&f, 0};
  }
  for (const CLI::Option* opt : parse_order) {
    auto it = next.find(opt);
    if (it == next.end()) continue;
    auto& [f, i] = it->second;
    if (i < f->values.size()) apply(kind, *f, doc, f->values[i++]);
  }
  if (!k.label_field.empty() && !o.label.empty()) {
    Value label = typed_value(*root.property(k.label_field), o.label, upper(k.label_field));
    if (const Value* flag = doc.find(k.label_field); flag && *flag != label)
      throw Error(ExitCode::Usage,
                  fmt::format("{} '{}' and {} '{}' differ: give one", upper(k.label_field), o.label,
                              flag_for(k.label_field), flag->to_display()));
    doc.set(std::string(k.label_field), std::move(label));
  }
  fill_add_defaults(kind, doc, today());
  return doc;
}

// In a terminal: the missing fields asked for, and a second record of the same name only
// when the person says so. The repository is read here, not under the write's lock.
void ask_in_terminal(Context& ctx, KindId kind, const AddOptions& o, Value& doc) {
  Diagnostics ignored;
  Repository repo = load_worktree(ctx.root(), &ignored);
  repo.root = ctx.root();
  if (!o.id.empty()) require_free_id(repo, kind, o.id);
  if (!missing_fields(kind, doc).empty()) ask_missing({kind, o, repo, doc});
  if (std::string note = same_name_note(repo, kind, doc); !note.empty()) {
    std::fprintf(stderr, "%s\n", note.c_str());
    if (!ask_yes_no(fmt::format("add another {} with that name?", kind_of(kind).name), false))
      throw Error(ExitCode::DataErrors, "nothing was added");
  }
}

void run_add(Context& ctx, KindId kind, AddOptions& o,
             const std::vector<CLI::Option*>& parse_order) {
  const Kind& k = kind_of(kind);
  const auto& repo_root = ctx.root();  // fail before asking anything outside a repository
  Value doc = doc_from_flags(kind, o, parse_order);
  bool terminal = can_prompt(ctx);
  if (terminal) {
    ask_in_terminal(ctx, kind, o, doc);
  } else if (std::vector<std::string> missing = missing_fields(kind, doc); !missing.empty()) {
    std::vector<std::string> flags;
    for (const std::string& m : missing) flags.push_back(flag_name(kind, o, m));
    throw Error(ExitCode::Usage, "missing required fields: " + join(flags, ", "));
  }
  doc = in_schema_order(kind, doc);

  // An add reads of the records only the names and dates of its own kind (same_name) and
  // ids: the repository is loaded with those and the fields the rules read, which is all a
  // write validates against.
  WriteOptions write = write_options(o.write);
  FieldSelection reads{};
  for (std::string_view field : {k.label_field, k.date_field})
    if (!field.empty()) reads[static_cast<std::size_t>(kind)].push_back(field);
  write.reads = &reads;
  Transaction tx(repo_root, write);
  if (!o.id.empty()) require_free_id(tx.repository(), kind, o.id);
  auto [label, date] = id_parts(kind, doc);
  std::string id = o.id.empty() ? tx.new_id(kind, label, date) : o.id;
  if (std::string note = same_name_note(tx.repository(), kind, doc); !terminal && !note.empty())
    std::fprintf(stderr, "warning: %s; this one is %s\n", note.c_str(), id.c_str());
  tx.put(kind, id, with_positions(kind, doc));
  commit_or_refuse(ctx, tx, fmt::format("{}: add {}", k.name, id));
  std::fputs((id + "\n").c_str(), stdout);
}

// A flag's help and the text that stands for its value ("ID", "DATE", "KEY=VALUE").
std::pair<std::string, std::string> flag_help(KindId kind, const AddOptions& o, const AddFlag& f) {
  const Kind& k = kind_of(kind);
  const Field& root = record_field(kind);
  std::string help;
  std::string text;
  switch (f.form) {
    case FlagForm::Scalar:
      help = f.field->description;
      text = reference_at(kind, f.path) ? "ID" : value_name(*f.field);
      break;
    case FlagForm::Repeated:
      help = root.property(f.path)->description + " Repeat for each item.";
      text = value_name(*f.field);
      break;
    case FlagForm::Item:
      help = root.property(f.path)->description + " Repeat for each item.";
      text = generic_syntax(*f.field);
      break;
    case FlagForm::Compact:
      help = std::string(f.compact->help) + ". Repeat for each item.";
      text = f.compact->syntax;
      break;
    case FlagForm::FreeForm:
      help = f.field->description + " Repeat for each key.";
      text = "KEY=VALUE";
      break;
  }
  if (f.path == k.label_field)
    help += fmt::format(" The same as {}.", upper(k.label_field));
  else if (const Field* t = root.property(f.path); t && t->required && flag_of(o, f.path) == &f)
    help += " Required.";
  if (f.path == k.main_date && root.property(f.path) && root.property(f.path)->required)
    help += " Default: today.";
  for (const auto& [field, value] : k.add_defaults)
    if (f.path == field) help += fmt::format(" Default: {}.", value);
  return {help, text};
}

}  // namespace

void setup_record_add(CLI::App* kind_cmd, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
  const Field& root = record_field(kind);
  auto o = std::make_shared<AddOptions>();
  auto* cmd = kind_cmd->add_subcommand("add", fmt::format("Add a new {}; prints its id", k.name));

  if (const Field* label = root.property(k.label_field)) {
    std::string flag = flag_for(k.label_field);
    cmd->add_option(
        upper(k.label_field), o->label,
        label->description + (label->required ? fmt::format(" Required, here or as {}.", flag)
                                              : fmt::format(" Or give it as {}.", flag)));
  }
  cmd->add_option("--id", o->id,
                  fmt::format("The id of the new {} instead of one made from its {}; refused when "
                              "taken",
                              k.name, id_source(kind)))
      ->option_text("ID");
  collect_flags(kind, root, "", &o->flags);
  for (const CompactForm& c : compact_forms()) {
    if (c.kind != kind) continue;
    bool taken = false;
    for (const AddFlag& f : o->flags) taken = taken || f.compact == &c;
    if (!taken)
      o->flags.push_back(
          {FlagForm::Compact, std::string(c.list), "--" + std::string(c.flag), nullptr, &c});
  }

  for (AddFlag& f : o->flags) {
    auto [help, text] = flag_help(kind, *o, f);
    f.option = cmd->add_option(f.flag, f.values, help)->allow_extra_args(false)->option_text(text);
  }
  add_write_flags(cmd, &o->write);
  cmd->footer(
      "In a terminal, required fields that are missing are asked for, each answer checked at\n"
      "once; a record to refer to is typed as its id, its name or a prefix, and Tab completes\n"
      "it. Elsewhere missing fields are an error that names the flags. A name that another\n"
      "record has already is asked about in a terminal and a warning elsewhere. The record is\n"
      "validated with the whole repository before it is written; on errors nothing is\n"
      "written (exit status 1).");
  cmd->callback([&ctx, kind, o, cmd] { run_add(ctx, kind, *o, cmd->parse_order()); });
}

}  // namespace brm::cli

// brm KIND add: a flag for every field of the kind's schema, prompts in a terminal for
// the required fields that are missing, then one validated write.
#include <fmt/format.h>

#include <cstdio>
#include <deque>
#include <iostream>
#include <map>

#include "brm/error.hpp"
#include "brm/record_edit.hpp"
#include "brm/yaml.hpp"
#include "brm/strings.hpp"
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
  std::string label;
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
    if (prefix.empty() && f.name == kind_of(kind).label_field) continue;  // the positional
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

bool is_reference(KindId kind, std::string_view path) {
  for (const Reference& r : kind_of(kind).references)
    if (r.path == path) return true;
  return false;
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

bool read_answer(std::string* line) {
  if (!std::getline(std::cin, *line)) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

[[noreturn]] void no_answer(KindId kind, const AddOptions& o, const Value& doc) {
  std::fputs("\n", stderr);
  std::vector<std::string> flags;
  for (const std::string& m : missing_fields(kind, doc)) flags.push_back(flag_name(kind, o, m));
  throw Error(ExitCode::Usage, "missing required fields: " + join(flags, ", "));
}

// One prompt for a scalar field: `role (customer/purchaser): `, re-asked until the
// answer fits the schema. Dates offer today.
Value ask_scalar(KindId kind, const AddOptions& o, const Value& doc, const Field& f) {
  std::string prompt = f.name;
  std::string fallback;
  if (!f.choices.empty()) prompt += " (" + join(f.choices, "/") + ")";
  if (f.is_date) {
    fallback = today().str();
    prompt += fmt::format(" [{}]", fallback);
  }
  for (;;) {
    std::fputs((prompt + ": ").c_str(), stderr);
    std::fflush(stderr);
    std::string line;
    if (!read_answer(&line)) no_answer(kind, o, doc);
    if (line.empty()) line = fallback;
    if (line.empty()) continue;
    try {
      if (f.is_date && !Date::parse(line))
        throw Error(ExitCode::Usage, fmt::format("invalid value '{}' for {}: expected a date "
                                                 "YYYY-MM-DD",
                                                 line, f.name));
      return typed_value(f, line, f.name);
    } catch (const Error& e) {
      std::fprintf(stderr, "brm: %s\n", e.what());
    }
  }
}

// Prompts for the items of a required list, one per line, until an empty line.
void ask_list(KindId kind, const AddOptions& o, Value& doc, const Field& list) {
  const AddFlag* f = flag_of(o, list.name);
  if (!f) no_answer(kind, o, doc);
  std::string word = f->flag.substr(2);
  std::string syntax = f->form == FlagForm::Compact ? std::string(f->compact->syntax)
                       : f->form == FlagForm::Item  ? generic_syntax(*f->field)
                                                    : std::string();
  if (syntax == upper(word)) syntax.clear();
  std::size_t need = std::max<std::size_t>(1, list.min_items);
  for (std::size_t n = 1;;) {
    std::string prompt = fmt::format("{} {}", word, n);
    if (!syntax.empty()) prompt += " (" + syntax + ")";
    if (n > need) prompt += " (empty line to finish)";
    std::fputs((prompt + ": ").c_str(), stderr);
    std::fflush(stderr);
    std::string line;
    if (!read_answer(&line)) {
      if (n > need) return;
      no_answer(kind, o, doc);
    }
    if (line.empty()) {
      if (n > need) return;
      continue;
    }
    try {
      apply(kind, *f, doc, line);
      ++n;
    } catch (const Error& e) {
      std::fprintf(stderr, "brm: %s\n", e.what());
    }
  }
}

void ask_missing(KindId kind, const AddOptions& o, Value& doc) {
  for (;;) {
    std::vector<std::string> missing = missing_fields(kind, doc);
    if (missing.empty()) return;
    const Field* f = record_field(kind).property(missing.front());
    if (f && f->is_scalar()) {
      doc.set(f->name, ask_scalar(kind, o, doc, *f));
    } else if (f && f->type == FieldType::Array) {
      ask_list(kind, o, doc, *f);
    } else {
      no_answer(kind, o, doc);
    }
  }
}

// `parse_order` lists the options as given, so that items land in the lists in the order
// the user wrote them (`--service a --level b:...` keeps a before b).
void run_add(Context& ctx, KindId kind, AddOptions& o,
             const std::vector<CLI::Option*>& parse_order) {
  const Kind& k = kind_of(kind);
  const Field& root = record_field(kind);
  const auto& repo_root = ctx.root();  // fail before asking anything outside a repository

  Value doc = Value::mapping();
  if (!k.label_field.empty() && !o.label.empty())
    doc.set(std::string(k.label_field),
            typed_value(*root.property(k.label_field), o.label, upper(k.label_field)));
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
  // Defaults: today for the main date when the schema requires it, FORMAT.md's values.
  if (const Field* date = root.property(k.main_date);
      date && date->required && !doc.find(k.main_date))
    doc.set(std::string(k.main_date), Value::string(today().str()));
  for (const auto& [field, value] : k.add_defaults)
    if (!doc.find(field)) doc.set(std::string(field), Value::string(std::string(value)));

  if (std::vector<std::string> missing = missing_fields(kind, doc); !missing.empty()) {
    if (!can_prompt(ctx)) {
      std::vector<std::string> flags;
      for (const std::string& m : missing) flags.push_back(flag_name(kind, o, m));
      throw Error(ExitCode::Usage, "missing required fields: " + join(flags, ", "));
    }
    ask_missing(kind, o, doc);
  }
  doc = in_schema_order(kind, doc);

  // The id: the label's slug, or for kinds without a label (meetings) the record it
  // belongs to; dated kinds put their date first.
  std::string label;
  if (!k.label_field.empty()) {
    if (const Value* v = doc.find(k.label_field); v && v->is_string()) label = v->as_string();
  } else if (!k.references.empty()) {
    if (const Value* v = doc.find(k.references.front().path); v && v->is_string())
      label = v->as_string();
  }
  std::optional<Date> date;
  if (!k.date_field.empty())
    if (const Value* v = doc.find(k.date_field); v && v->is_string())
      date = Date::parse(v->as_string());

  Transaction tx(repo_root, write_options(o.write));
  std::string id = tx.new_id(kind, label, date);
  tx.put(kind, id, with_positions(kind, doc));
  commit_or_refuse(ctx, tx, fmt::format("{}: add {}", k.name, id));
  std::fputs((id + "\n").c_str(), stdout);
}

}  // namespace

void setup_record_add(CLI::App* kind_cmd, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
  const Field& root = record_field(kind);
  auto o = std::make_shared<AddOptions>();
  auto* cmd = kind_cmd->add_subcommand("add", fmt::format("Add a new {}; prints its id", k.name));

  if (const Field* label = root.property(k.label_field)) {
    cmd->add_option(upper(k.label_field), o->label, label->description);
  }
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
    std::string help;
    std::string text;
    switch (f.form) {
      case FlagForm::Scalar:
        help = f.field->description;
        text = is_reference(kind, f.path) ? "ID" : value_name(*f.field);
        break;
      case FlagForm::Repeated:
        help = record_field(kind).property(f.path)->description + " Repeat for each item.";
        text = value_name(*f.field);
        break;
      case FlagForm::Item:
        help = record_field(kind).property(f.path)->description + " Repeat for each item.";
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
    if (const Field* t = root.property(f.path); t && t->required && flag_of(*o, f.path) == &f)
      help += " Required.";
    if (f.path == k.main_date && root.property(f.path) && root.property(f.path)->required)
      help += " Default: today.";
    for (const auto& [field, value] : k.add_defaults)
      if (f.path == field) help += fmt::format(" Default: {}.", value);
    f.option = cmd->add_option(f.flag, f.values, help)->allow_extra_args(false)->option_text(text);
  }
  add_write_flags(cmd, &o->write);
  cmd->footer(
      "In a terminal, required fields that are missing are asked for; elsewhere they are an\n"
      "error that names the flags. The record is validated with the whole repository before\n"
      "it is written; on errors nothing is written (exit status 1).");
  cmd->callback([&ctx, kind, o, cmd] { run_add(ctx, kind, *o, cmd->parse_order()); });
}

}  // namespace brm::cli

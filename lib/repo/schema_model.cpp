// The field tree over brm's schemas. A schema node is read keyword by keyword through its
// $ref chain (its own keywords win over its target's, as the validator applies both), with
// every $ref resolved by the registry that compiles the same documents.
#include "brm/schema_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <optional>

#include "brm/error.hpp"
#include "brm/schemas.hpp"

namespace brm {
namespace {

// Past this many nested fields (a schema whose $refs loop through properties) the rest of
// the tree is left open (FieldType::Any) rather than built forever.
constexpr int kMaxFieldDepth = 32;
// $ref chains longer than this are taken as loops.
constexpr int kMaxRefHops = 16;

// A schema node and the base URI its $refs resolve against.
struct Located {
  const Value* node = nullptr;
  std::string base;
};

class FieldBuilder {
 public:
  explicit FieldBuilder(SchemaRegistry& registry) : registry_(registry) {}

  Field build(std::string name, const Located& at, int depth) {
    Field f;
    f.name = std::move(name);
    if (depth > kMaxFieldDepth || !at.node || !at.node->is_mapping()) return f;
    f.type = type_of(at);
    f.description = description_of(at);
    read_scalar_facts(at, &f);
    if (f.type == FieldType::Object) read_object(at, depth, &f);
    if (f.type == FieldType::Array) read_items(at, depth, &f);
    return f;
  }

 private:
  // The keyword `key` of a node: its own, else that of the schema its $ref names.
  std::optional<Located> keyword(Located at, std::string_view key) {
    for (int hop = 0; hop < kMaxRefHops && at.node && at.node->is_mapping(); ++hop) {
      if (const Value* v = at.node->find(key)) return Located{v, at.base};
      const Value* ref = at.node->find("$ref");
      if (!ref || !ref->is_string()) break;
      std::string base;
      at.node = registry_.resolve(at.base, ref->as_string(), &base);
      at.base = std::move(base);
    }
    return std::nullopt;
  }

  const Value* value(const Located& at, std::string_view key) {
    auto k = keyword(at, key);
    return k ? k->node : nullptr;
  }

  FieldType type_of(const Located& at) {
    std::string_view t;
    if (const Value* type = value(at, "type")) {
      if (type->is_string()) t = type->as_string();
      if (type->is_sequence())
        for (const Value& v : type->items())
          if (v.is_string() && v.as_string() != "null") {
            t = v.as_string();
            break;
          }
    }
    static constexpr std::array<std::pair<std::string_view, FieldType>, 6> kNamed = {{
        {"string", FieldType::String},
        {"integer", FieldType::Integer},
        {"number", FieldType::Number},
        {"boolean", FieldType::Boolean},
        {"object", FieldType::Object},
        {"array", FieldType::Array},
    }};
    for (const auto& [word, type] : kNamed)
      if (t == word) return type;
    if (value(at, "properties")) return FieldType::Object;
    if (value(at, "items")) return FieldType::Array;
    if (value(at, "enum")) return FieldType::String;
    return FieldType::Any;
  }

  // The field's own words first: a shared definition's description ("Any text; use a
  // literal block") says less about `notes` than the field's own title.
  std::string description_of(const Located& at) {
    for (const Value* words : {at.node->find("description"), at.node->find("title"),
                               value(at, "description"), value(at, "title")})
      if (words && words->is_string()) return words->as_string();
    return {};
  }

  void read_scalar_facts(const Located& at, Field* f) {
    if (const Value* format = value(at, "format"); format && format->is_string())
      f->is_date = format->as_string() == "date";
    if (const Value* e = value(at, "enum"); e && e->is_sequence())
      for (const Value& v : e->items()) f->choices.push_back(v.to_display());
    if (const Value* d = value(at, "default"); d && !d->is_mapping() && !d->is_sequence())
      f->default_text = d->to_display();
    if (const Value* m = value(at, "minItems"); m && m->is_integral())
      f->min_items = static_cast<std::size_t>(m->as_double());
  }

  static std::vector<std::string> names_in(const Value* list) {
    std::vector<std::string> out;
    if (list && list->is_sequence())
      for (const Value& v : list->items())
        if (v.is_string()) out.push_back(v.as_string());
    return out;
  }

  void read_object(const Located& at, int depth, Field* f) {
    std::vector<std::string> required = names_in(value(at, "required"));
    if (auto props = keyword(at, "properties"); props && props->node->is_mapping())
      for (const Value::Entry& e : props->node->entries()) {
        Field p = build(e.key, {&e.value, props->base}, depth + 1);
        p.required = std::find(required.begin(), required.end(), e.key) != required.end();
        f->properties.push_back(std::move(p));
      }
    auto extra = keyword(at, "additionalProperties");
    if (extra && extra->node->is_mapping()) {
      f->additional = std::make_shared<const Field>(build("", *extra, depth + 1));
      f->free_form = true;
    } else {
      f->free_form = !(extra && extra->node->is_bool() && !extra->node->as_bool());
    }
    read_conditions(at, f);
  }

  void read_conditions(const Located& at, Field* f) {
    auto add = [&](const Value& s) {
      const Value* cond = s.find("if");
      const Value* then = s.find("then");
      if (cond && then && cond->is_mapping())
        f->required_when.push_back({*cond, names_in(then->find("required"))});
    };
    add(*at.node);
    if (const Value* all = value(at, "allOf"); all && all->is_sequence())
      for (const Value& s : all->items())
        if (s.is_mapping()) add(s);
  }

  void read_items(const Located& at, int depth, Field* f) {
    auto items = keyword(at, "items");
    f->items = std::make_shared<const Field>(
        items && items->node->is_mapping() ? build("", *items, depth + 1) : Field());
  }

  SchemaRegistry& registry_;
};

// A document of the registry as the root of a field tree.
Field root_field(SchemaRegistry& registry, const std::string& uri) {
  std::string base;
  const Value* doc = registry.resolve(uri, uri, &base);
  return FieldBuilder(registry).build("", {doc, base}, 0);
}

}  // namespace

const Field* Field::property(std::string_view key) const {
  for (const Field& p : properties)
    if (p.name == key) return &p;
  return nullptr;
}

const Field& record_field(KindId kind) {
  static const std::array<Field, kind_count> roots = [] {
    std::array<Field, kind_count> r;
    for (const Kind& k : kinds())
      r[static_cast<std::size_t>(k.id)] = root_field(builtin_registry(), builtin_schema_uri(k.id));
    return r;
  }();
  return roots[static_cast<std::size_t>(kind)];
}

const Field& settings_field() {
  static const Field root = root_field(builtin_registry(), std::string(settings_schema_uri));
  return root;
}

Field own_schema_field(const Value& schema) {
  static std::atomic<int> generation = 0;
  std::string uri = fmt::format("urn:brm:own-schema:{}", ++generation);
  try {
    repository_registry().add(uri, schema);
  } catch (const Error&) {
    return Field();  // a schema too broken to index types nothing; `check` says why
  }
  return root_field(repository_registry(), uri);
}

const Field* child_field(const Field& field, std::string_view key) {
  if (field.type == FieldType::Array) return field.items.get();
  if (const Field* p = field.property(key)) return p;
  return field.additional.get();
}

std::vector<const Value::Entry*> in_field_order(const Field* field, const Value& mapping) {
  const auto& entries = mapping.entries();
  std::vector<const Value::Entry*> out;
  out.reserve(entries.size());
  std::vector<bool> taken(entries.size(), false);
  static const std::vector<Field> none;
  for (const Field& p : field ? field->properties : none) {
    auto same = [&](const Value::Entry& e) { return e.key == p.name; };
    auto it = std::find_if(entries.begin(), entries.end(), same);
    if (it == entries.end()) continue;
    taken[static_cast<std::size_t>(it - entries.begin())] = true;
    out.push_back(&*it);
  }
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (!taken[i]) out.push_back(&entries[i]);
  return out;
}

}  // namespace brm

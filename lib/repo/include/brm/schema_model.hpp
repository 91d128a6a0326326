// The one model of a record's shape, built once per run from brm's schemas: a tree of
// fields that gives the canonical key order, the flags, the prompts, the `set` paths and the
// typing of `extra`. Its $refs are resolved by the validator's own registry
// (SchemaRegistry::resolve), so the model and validation never disagree on a target.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "brm/kinds.hpp"
#include "brm/value.hpp"

namespace brm {

enum class FieldType : std::uint8_t { Any, String, Integer, Number, Boolean, Object, Array };

// Fields an object requires when its data matches a condition (the schema's `if`/`then`,
// alone or in `allOf`): a purchaser's `customer`, a resolved complaint's `closed`.
struct RequiredWhen {
  Value condition;  // the `if` schema
  std::vector<std::string> required;
};

// A field as the kind's schema describes it, with $refs resolved. Built once from the
// built-in schema, so that a new field in a schema is a new flag without code.
struct Field {
  std::string name;  // the key in its parent; empty for list items
  FieldType type = FieldType::Any;
  bool is_date = false;                     // format: date
  bool required = false;                    // always required in its parent (not by a condition)
  std::vector<std::string> choices;         // enum values
  std::string description;                  // the schema's description, else its title
  std::string default_text;                 // the schema's default, meant when absent
  std::size_t min_items = 0;                // arrays
  std::vector<Field> properties;            // objects: their fields in schema order
  std::shared_ptr<const Field> items;       // arrays: what each item is
  std::shared_ptr<const Field> additional;  // objects: what keys beyond `properties` hold
  bool free_form = false;                   // an object that takes any key (extra, answers)
  std::vector<RequiredWhen> required_when;  // objects: fields required under a condition

  const Field* property(std::string_view key) const;
  bool is_scalar() const { return type != FieldType::Object && type != FieldType::Array; }
};

// The root of a kind: an object whose properties are the record's top-level fields.
const Field& record_field(KindId kind);
// The same for brm.yaml, the settings.
const Field& settings_field();
// The root of a repository's own schema (schema/<kind>.schema.yaml, parsed), whose $refs
// may name brm's schemas by URN. Built on demand: only `set` asks for it.
Field own_schema_field(const Value& schema);

// What the field holds below `key`: a list's items (any key), an object's property, else
// what its other keys hold; nullptr when the schema says nothing there.
const Field* child_field(const Field& field, std::string_view key);

// The entries of a mapping in the field's key order: the schema's properties first, in its
// order, then the keys it does not know in their own order. `field` may be null (no order).
std::vector<const Value::Entry*> in_field_order(const Field* field, const Value& mapping);

}  // namespace brm

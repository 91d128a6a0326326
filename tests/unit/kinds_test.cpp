// Kinds as data: the table, ids, and the paths of record files.
#include "brm/kinds.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "brm/embedded.hpp"
#include "brm/kind_views.hpp"
#include "brm/record_edit.hpp"
#include "brm/schemas.hpp"

using namespace brm;

TEST_CASE("kinds: a record's path is its kind's folder and its id") {
  CHECK(record_path(KindId::Customer, "anna-berg") == "customers/anna-berg.yaml");
  CHECK(record_path(KindId::Meeting, "2026-01-05-review") == "meetings/2026-01-05-review.yaml");
}

TEST_CASE("kinds: a record file's path gives back its kind and id") {
  std::string_view id;
  const Kind* k = kind_of_record_path("complaints/late-invoice.yaml", &id);
  REQUIRE(k);
  CHECK(k->id == KindId::Complaint);
  CHECK(id == "late-invoice");
  for (const Kind& kind : kinds()) {
    std::string path = record_path(kind.id, "x-1");
    REQUIRE(kind_of_record_path(path, &id) == &kind);
    CHECK(id == "x-1");
  }
}

TEST_CASE("kinds: paths that are no record file have no kind") {
  CHECK(!kind_of_record_path("brm.yaml"));
  CHECK(!kind_of_record_path("schema/customer.schema.yaml"));
  CHECK(!kind_of_record_path("customers"));
  CHECK(!kind_of_record_path("customers/old/anna-berg.yaml"));
  CHECK(!kind_of_record_path("customers/anna-berg.yml"));
  CHECK(!kind_of_record_path("customer/anna-berg.yaml"));  // the kind's name, not its folder
}

// --- The table checked against the schemas: a row that names a field its schema does
// not have, or a kind without a schema, fails here rather than in a user's hands.

namespace {

// The field at a path of Reference's form ("a.b", "list[]", "list[].field").
const Field* field_of(const Field& root, std::string_view path) {
  const Field* at = &root;
  while (at && !path.empty()) {
    std::size_t dot = path.find('.');
    std::string_view step = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    bool each = step.ends_with("[]");
    at = at->property(each ? step.substr(0, step.size() - 2) : step);
    if (at && each) at = at->type == FieldType::Array ? at->items.get() : nullptr;
  }
  return at;
}

bool is_date_field(KindId kind, std::string_view path) {
  const Field* f = field_of(record_field(kind), path);
  return f && f->is_date;
}

}  // namespace

TEST_CASE("kinds: every kind has its row, in enum order, with a name and folder of its own") {
  REQUIRE(kinds().size() == kind_count);
  for (std::size_t i = 0; i < kind_count; ++i) {
    const Kind& k = kinds()[i];
    CAPTURE(k.name);
    CHECK(static_cast<std::size_t>(k.id) == i);
    CHECK(k.folder == std::string(k.name) + "s");
    CHECK(find_kind(k.name) == &k);
    CHECK(find_kind(k.folder) == &k);
  }
}

TEST_CASE("kinds: every kind's schema is embedded, parses and names its kind") {
  for (const Kind& k : kinds()) {
    CAPTURE(k.name);
    CHECK(k.schema == "schema/" + std::string(k.name) + ".schema.yaml");
    REQUIRE(find_embedded(k.schema));
    const Value& doc = RecordSchemas::builtin_document(k.id);
    const Value* id = doc.find("$id");
    REQUIRE(id);
    CHECK(id->as_string() == "urn:brm:schema:" + std::string(k.name));
    CHECK(builtin_schema(k.id).is_valid(Value::mapping()) == false);  // compiles; {} lacks fields
    CHECK(!record_field(k.id).properties.empty());
  }
}

TEST_CASE("kinds: the naming, id and main date fields exist in the schema") {
  for (const Kind& k : kinds()) {
    CAPTURE(k.name);
    const Field& root = record_field(k.id);
    if (!k.label_field.empty()) {
      const Field* label = root.property(k.label_field);
      REQUIRE(label);
      CHECK(label->required);
      CHECK(label->type == FieldType::String);
    } else {
      // Unnamed kinds are named by the record they belong to (their first reference).
      REQUIRE(!k.references.empty());
      CHECK(root.property(k.references.front().path));
    }
    if (!k.date_field.empty()) {
      CHECK(is_date_field(k.id, k.date_field));
      CHECK(root.property(k.date_field)->required);
    }
    if (!k.main_date.empty()) CHECK(is_date_field(k.id, k.main_date));
  }
}

TEST_CASE("kinds: every reference path leads to an id field of the schema") {
  for (const Kind& k : kinds()) {
    for (const Reference& ref : k.references) {
      CAPTURE(k.name);
      CAPTURE(ref.path);
      const Field* f = field_of(record_field(k.id), ref.path);
      REQUIRE(f);
      CHECK(f->type == FieldType::String);
      CHECK(f->choices.empty());
      CHECK_FALSE(f->is_date);
    }
  }
}

TEST_CASE("kinds: date order and typo-guard paths are dates of the schema") {
  for (const Kind& k : kinds()) {
    CAPTURE(k.name);
    for (const DateOrder& d : k.date_order) {
      CAPTURE(d.later);
      CHECK(is_date_field(k.id, d.earlier));
      CHECK(is_date_field(k.id, d.later));
    }
    for (std::string_view path : k.future_dates) {
      CAPTURE(path);
      CHECK(is_date_field(k.id, path));
    }
  }
}

TEST_CASE("kinds: list columns, filters and add defaults fit the schema") {
  for (const Kind& k : kinds()) {
    CAPTURE(k.name);
    const Field& root = record_field(k.id);
    const KindView& view = view_of(k.id);
    REQUIRE(!view.columns.empty());
    CHECK(view.columns.front().path == "id");
    for (const Column& c : view.columns) {
      CAPTURE(c.header);
      CHECK(!c.header.empty());
      CHECK(static_cast<bool>(c.compute) == c.path.empty());
      if (!c.path.empty() && c.path != "id") CHECK(field_of(root, c.path));
    }
    std::vector<std::string_view> flags;
    for (const Field& f : root.properties)
      if (!f.choices.empty()) flags.push_back(f.name);  // the schema's own --status, ...
    for (const ListFilter& f : view.filters) {
      CAPTURE(f.flag);
      CHECK(static_cast<bool>(f.keep));
      CHECK(!f.help.empty());
      CHECK(std::find(flags.begin(), flags.end(), f.flag) == flags.end());
      CHECK(f.flag != "since");
      CHECK(f.flag != "customer");
      flags.push_back(f.flag);
    }
    for (const FieldDefault& d : k.add_defaults) {
      const Field* f = root.property(d.field);
      REQUIRE(f);
      CHECK(std::find(f->choices.begin(), f->choices.end(), d.value) != f->choices.end());
    }
  }
}

TEST_CASE("kinds: referrer views have a heading and lead through real references") {
  for (const Kind& k : kinds()) {
    CAPTURE(k.name);
    CHECK(!view_of(k.id).referrer.heading.empty());
    if (view_of(k.id).referrer.newest > 0) CHECK(!k.main_date.empty());
    if (!k.through) continue;
    const Through& t = *k.through;
    CHECK(std::any_of(k.references.begin(), k.references.end(),
                      [&](const Reference& r) { return r.target == t.via; }));
    const Kind& via = kind_of(t.via);
    CHECK(std::any_of(via.references.begin(), via.references.end(),
                      [&](const Reference& r) { return r.path == t.path; }));
  }
}

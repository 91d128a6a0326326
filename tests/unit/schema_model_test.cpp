#include "brm/schema_model.hpp"

#include <doctest/doctest.h>

#include "brm/json.hpp"
#include "brm/schemas.hpp"

using namespace brm;

namespace {

Value json(std::string_view text) {
  Value v;
  JsonError error;
  REQUIRE(parse_json(text, &v, &error));
  return v;
}

std::vector<std::string> keys(const std::vector<const Value::Entry*>& entries) {
  std::vector<std::string> out;
  for (const Value::Entry* e : entries) out.push_back(e->key);
  return out;
}

}  // namespace

TEST_CASE("schema_model: $refs into the shared definitions are resolved by the registry") {
  const Field& root = record_field(KindId::Complaint);
  const Field* received = root.property("received");
  REQUIRE(received);
  CHECK(received->type == FieldType::String);
  CHECK(received->is_date);  // format: date lives in urn:brm:schema:common#/$defs/date
  const Field* extra = root.property("extra");
  REQUIRE(extra);
  CHECK(extra->type == FieldType::Object);
  CHECK(extra->free_form);
}

TEST_CASE("schema_model: a kind's conditions say which fields they require") {
  const Field& root = record_field(KindId::Customer);
  bool purchaser_needs_customer = false;
  for (const RequiredWhen& when : root.required_when)
    for (const std::string& name : when.required)
      if (name == "customer") purchaser_needs_customer = true;
  CHECK(purchaser_needs_customer);
  CHECK(settings_field().property("brm"));
  CHECK(settings_field().property("brm")->required);
}

TEST_CASE("schema_model: the same registry resolves the model and compiles validation") {
  std::string base;
  const Value* date = builtin_registry().resolve(builtin_schema_uri(KindId::Meeting),
                                                 "urn:brm:schema:common#/$defs/date", &base);
  REQUIRE(date);
  CHECK(base == "urn:brm:schema:common");
  CHECK(date->find("format")->as_string() == "date");
  CHECK(&RecordSchemas::common_document() ==
        builtin_registry().resolve("", "urn:brm:schema:common"));
  CHECK(!builtin_registry().resolve("urn:brm:schema:common", "#/$defs/nothing"));
}

TEST_CASE("schema_model: an own schema's local and shared $refs type its fields") {
  Field own = own_schema_field(json(R"({
    "$defs": {"code": {"type": "integer"}, "nested": {"$ref": "#/$defs/code"}},
    "properties": {"extra": {"properties": {
      "code": {"$ref": "#/$defs/nested"},
      "due": {"$ref": "urn:brm:schema:common#/$defs/date"},
      "tags": {"items": {"type": "boolean"}}}}}})"));
  const Field* extra = own.property("extra");
  REQUIRE(extra);
  REQUIRE(extra->property("code"));
  CHECK(extra->property("code")->type == FieldType::Integer);
  REQUIRE(extra->property("due"));
  CHECK(extra->property("due")->is_date);
  const Field* tags = extra->property("tags");
  REQUIRE(tags);
  CHECK(tags->type == FieldType::Array);
  REQUIRE(child_field(*tags, "0"));
  CHECK(child_field(*tags, "0")->type == FieldType::Boolean);
}

TEST_CASE("schema_model: a schema whose $refs loop is built to a bound, not forever") {
  Field own = own_schema_field(json(R"({"$ref": "#"})"));
  CHECK(own.type == FieldType::Any);
  Field deep = own_schema_field(json(R"({"properties": {"next": {"$ref": "#"}}})"));
  const Field* at = &deep;
  int depth = 0;
  while (const Field* next = at->property("next")) at = next, ++depth;
  CHECK(depth > 4);
  CHECK(depth < 100);
}

TEST_CASE("schema_model: a field's key order is its properties', then the others' own") {
  const Field& root = record_field(KindId::Customer);
  Value doc = json(R"({"zeta": 1, "role": "customer", "alpha": 2, "name": "Anna"})");
  CHECK(keys(in_field_order(&root, doc)) ==
        std::vector<std::string>{"name", "role", "zeta", "alpha"});
  CHECK(keys(in_field_order(nullptr, doc)) ==
        std::vector<std::string>{"zeta", "role", "alpha", "name"});
}

TEST_CASE("schema_model: child_field steps into items, properties and other keys") {
  const Field& agreement = record_field(KindId::Agreement);
  const Field* services = child_field(agreement, "services");
  REQUIRE(services);
  REQUIRE(child_field(*services, "3"));
  CHECK(child_field(*services, "3") == services->items.get());
  CHECK(
      !child_field(*child_field(*services, "3"), "no-such-field"));  // additionalProperties: false
  const Field* extra = child_field(agreement, "extra");
  REQUIRE(extra);
  CHECK(!child_field(*extra, "anything"));  // free-form, but says nothing of its values
}

#include "brm/editor_schema.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "brm/json.hpp"

using namespace brm;

namespace {

// Every $ref in a document, and whether any key starts with x-brm-.
void walk(const Value& v, std::vector<std::string>* refs, bool* brm_keyword) {
  for (const Value::Entry& e : v.entries()) {
    if (e.key == "$ref") refs->push_back(e.value.as_string());
    if (e.key.rfind("x-brm-", 0) == 0) *brm_keyword = true;
    walk(e.value, refs, brm_keyword);
  }
  for (const Value& item : v.items()) walk(item, refs, brm_keyword);
}

const EditorSchema& named(const std::vector<EditorSchema>& all, std::string_view name) {
  for (const EditorSchema& s : all)
    if (s.name == name) return s;
  FAIL("no schema " << name);
  return all.front();
}

}  // namespace

TEST_CASE("editor schema: every kind and brm.yaml, self-contained, without brm's keywords") {
  Diagnostics findings;
  std::vector<EditorSchema> all = editor_schemas({}, &findings);
  CHECK(findings.empty());
  REQUIRE(all.size() == kinds().size() + 1);
  CHECK(named(all, "settings").files == "brm.yaml");
  CHECK(named(all, "customer").files == "customers/*.yaml");
  for (const EditorSchema& s : all) {
    CAPTURE(s.name);
    std::vector<std::string> refs;
    bool brm_keyword = false;
    walk(s.document, &refs, &brm_keyword);
    CHECK(!brm_keyword);
    CHECK(!s.document.find("$id"));
    for (const std::string& r : refs) {
      CAPTURE(r);
      REQUIRE(r.rfind("#/$defs/", 0) == 0);
      CHECK(s.document.find("$defs")->find(r.substr(8)) != nullptr);
    }
  }
}

TEST_CASE("editor schema: the repository's schema joins the allOf with its references moved") {
  std::vector<SourceFile> files = {
      {"schema/customer.schema.yaml",
       "$schema: https://json-schema.org/draft/2020-12/schema\n$id: urn:mine\n"
       "properties:\n  extra:\n    properties:\n      centre: {$ref: '#/$defs/centre'}\n"
       "      contact: {$ref: 'urn:brm:schema:common#/$defs/email'}\n"
       "      role: {$ref: 'urn:brm:schema:customer#/properties/role'}\n"
       "$defs:\n  centre: {type: string, x-brm-message: four digits}\n",
       {},
       {}},
      {"customers/anna.yaml", "name: Anna\n", {}, {}}};
  Diagnostics findings;
  std::vector<EditorSchema> all = editor_schemas(files, &findings);
  CHECK(findings.empty());
  const Value& doc = named(all, "customer").document;
  const auto& all_of = doc.find("allOf")->items();
  REQUIRE(!all_of.empty());
  const Value& own = all_of.back();
  std::string base = "#/allOf/" + std::to_string(all_of.size() - 1);
  const Value& props = *own.find("properties")->find("extra")->find("properties");
  CHECK(props.find("centre")->find("$ref")->as_string() == base + "/$defs/centre");
  CHECK(props.find("contact")->find("$ref")->as_string() == "#/$defs/email");
  CHECK(props.find("role")->find("$ref")->as_string() == "#/properties/role");
  CHECK(!own.find("$schema"));
  CHECK(!own.find("$id"));
  CHECK(!own.find("$defs")->find("centre")->find("x-brm-message"));
  CHECK(doc.find("$defs")->find("email") != nullptr);
  // Another kind's schema is untouched.
  CHECK(named(all, "agreement").document.find("allOf") == nullptr);
}

TEST_CASE("editor schema: a reference an exported schema cannot follow is a finding") {
  std::vector<SourceFile> files = {
      {"schema/complaint.schema.yaml", "properties:\n  extra:\n    $ref: other.yaml#/x\n", {}, {}}};
  Diagnostics findings;
  std::vector<EditorSchema> all = editor_schemas(files, &findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "bad-schema");
  CHECK(findings[0].file == "schema/complaint.schema.yaml");
  CHECK(findings[0].line == 3);
  CHECK(named(all, "complaint").document.find("allOf")->items().size() == 2);  // left out
}

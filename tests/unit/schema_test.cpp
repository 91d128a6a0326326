#include "brm/schema.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "brm/error.hpp"
#include "brm/json.hpp"
#include "schema_format.hpp"
#include "schema_regex.hpp"

using namespace brm;

namespace {

Value json(std::string_view text) {
  Value v;
  JsonError error;
  INFO(text);
  REQUIRE(parse_json(text, &v, &error));
  return v;
}

CompiledSchema compile(SchemaRegistry& registry, std::string_view schema,
                       SchemaOptions options = {}) {
  return registry.compile(json(schema), "urn:test:schema", options);
}

std::vector<SchemaFinding> findings(const CompiledSchema& s, std::string_view instance) {
  std::vector<SchemaFinding> out;
  bool ok = s.validate(json(instance), &out);
  CHECK(ok == out.empty());
  CHECK(ok == s.is_valid(json(instance)));
  return out;
}

// A customer-like record schema, as brm's own schemas are written.
constexpr std::string_view kCustomer = R"({
  "type": "object",
  "additionalProperties": false,
  "required": ["name", "role"],
  "properties": {
    "name": {"type": "string", "minLength": 1},
    "role": {"enum": ["customer", "purchaser"]},
    "email": {"type": "string", "format": "email"},
    "since": {"type": "string", "format": "date"},
    "closed": false,
    "budget": {"type": "object", "properties": {"amount": {"type": "number", "minimum": 0}}},
    "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}}
  }
})";

}  // namespace

TEST_CASE("schema: an unknown field suggests the closest known one") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, kCustomer);
  auto f =
      findings(s, "{\"name\": \"Anna\",\n \"role\": \"customer\",\n \"emal\": \"a@example.com\"}");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "unknown-field");
  CHECK(f[0].keyword == "additionalProperties");
  CHECK(f[0].message == "unknown field 'emal' (did you mean 'email'?)");
  CHECK(f[0].instance_path == "/emal");
  CHECK(f[0].mark.line == 3);  // the key's position
  CHECK(f[0].mark.column == 2);
  f = findings(s, R"({"name": "Anna", "role": "customer", "zzzzzz": 1})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "unknown field 'zzzzzz'");
}

TEST_CASE("schema: a missing field is reported at the mapping") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, kCustomer);
  auto f = findings(s, "{\n  \"role\": \"customer\"\n}");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "missing-field");
  CHECK(f[0].message == "missing required field 'name'");
  CHECK(f[0].instance_path == "");
  CHECK(f[0].mark.line == 1);
  CHECK(f[0].mark.column == 1);
}

TEST_CASE("schema: messages say what is wrong with the value") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, kCustomer);
  auto f = findings(s, R"({"name": 5, "role": "custommer", "since": "03/04/2026", "email": "anna",
                           "budget": {"amount": -5}, "tags": [], "closed": true})");
  REQUIRE(f.size() == 7);
  auto find = [&](std::string_view path) -> const SchemaFinding& {
    for (const SchemaFinding& x : f) {
      if (x.instance_path == path) return x;
    }
    FAIL("no finding at ", path);
    return f[0];
  };
  CHECK(find("/name").rule == "wrong-type");
  CHECK(find("/name").message == "expected a string, got an integer");
  CHECK(find("/role").rule == "bad-value");
  CHECK(find("/role").message == "expected one of customer, purchaser, got 'custommer'");
  CHECK(find("/since").rule == "bad-date");
  CHECK(find("/since").message == "expected a date YYYY-MM-DD, got '03/04/2026'");
  CHECK(find("/email").rule == "bad-email");
  CHECK(find("/email").message == "expected an email address, got 'anna'");
  CHECK(find("/budget/amount").rule == "out-of-range");
  CHECK(find("/budget/amount").message == "must be >= 0, got -5");
  CHECK(find("/tags").rule == "bad-count");
  CHECK(find("/tags").message == "needs at least 1 item, got 0");
  CHECK(find("/closed").rule == "forbidden-field");
  CHECK(find("/closed").message == "field 'closed' is not allowed here");
  for (const SchemaFinding& x : f) CHECK(x.mark.line > 0);  // every finding points into the file
}

TEST_CASE("schema: a date must exist, leap years included") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"type": "string", "format": "date"})");
  auto f = findings(s, R"("2026-02-30")");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "bad-date");
  CHECK(f[0].message == "2026-02-30 is not a date that exists");
  CHECK(s.is_valid(json(R"("2024-02-29")")));
  CHECK_FALSE(s.is_valid(json(R"("2025-02-29")")));
  CHECK_FALSE(s.is_valid(json(R"("2100-02-29")")));
  CHECK(s.is_valid(json(R"("2000-02-29")")));
  CHECK(check_date("2026-13-01") == DateCheck::NoSuchDay);
  CHECK(check_date("2026-1-01") == DateCheck::BadShape);
}

TEST_CASE("schema: format is only an annotation when assertion is off") {
  SchemaRegistry registry;
  SchemaOptions options;
  options.format_assertion = false;
  CompiledSchema s = compile(registry, R"({"format": "date"})", options);
  CHECK(s.is_valid(json(R"("03/04/2026")")));
  CompiledSchema unknown = compile(registry, R"({"format": "no-such-format"})");
  CHECK(unknown.is_valid(json(R"("anything")")));
}

TEST_CASE("schema: formats brm promises") {
  CHECK(check_format(Format::DateTime, "1998-12-31T23:59:60Z"));
  CHECK(check_format(Format::DateTime, "1998-12-31T15:59:60.123-08:00"));
  CHECK_FALSE(check_format(Format::DateTime, "1998-12-31T23:58:60Z"));
  CHECK(check_format(Format::Time, "08:30:06+00:20"));
  CHECK_FALSE(check_format(Format::Time, "08:30:06"));
  CHECK(check_format(Format::Email, "\"joe bloggs\"@example.com"));
  CHECK_FALSE(check_format(Format::Email, "te..st@example.com"));
  CHECK(check_format(Format::Hostname, "xn--9n2bp8q.xn--9t4b11yi5a"));
  CHECK_FALSE(check_format(Format::Hostname, "-host"));
  CHECK(check_format(Format::Ipv6, "1::d6:192.168.0.1"));
  CHECK_FALSE(check_format(Format::Ipv6, "1::2::3"));
  CHECK_FALSE(check_format(Format::Ipv4, "127.0.0.01"));
  CHECK(check_format(Format::Uri, "urn:oasis:names:specification:docbook:dtd:xml:4.1.2"));
  CHECK_FALSE(check_format(Format::Uri, "/relative"));
  CHECK(check_format(Format::Uuid, "2EB8AA08-AA98-11EA-B4AA-73B441D16380"));
  CHECK(check_format(Format::Duration, "P1Y2M3DT4H5M6S"));
  CHECK_FALSE(check_format(Format::Duration, "P1Y2D"));
}

TEST_CASE("schema: 1.0 is an integer and big integers do not overflow") {
  SchemaRegistry registry;
  CompiledSchema integer = compile(registry, R"({"type": "integer"})");
  CHECK(integer.is_valid(json("1.0")));
  CHECK(integer.is_valid(json("98249283749234923498293171823948729348710298301928331")));
  auto f = findings(integer, "1.5");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "expected an integer, got 1.5");

  CompiledSchema bounded = compile(registry, R"({"maximum": 9223372036854775807})");
  CHECK(bounded.is_valid(json("9223372036854775807")));
  CHECK_FALSE(bounded.is_valid(json("9223372036854775808")));
  CompiledSchema above = compile(registry, R"({"exclusiveMinimum": 9007199254740992})");
  CHECK(above.is_valid(json("9007199254740993")));  // 2^53 + 1: exact, though no double holds it
}

TEST_CASE("schema: multipleOf with decimals means what the decimals say") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"multipleOf": 0.0001})");
  CHECK(s.is_valid(json("0.0075")));
  CHECK(s.is_valid(json("12")));
  auto f = findings(s, "0.00751");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "bad-value");
  CHECK(f[0].message == "must be a multiple of 0.0001, got 0.00751");
  CompiledSchema half = compile(registry, R"({"multipleOf": 0.5})");
  CHECK(half.is_valid(json("1e308")));
  CompiledSchema ints = compile(registry, R"({"multipleOf": 3})");
  CHECK(ints.is_valid(json("9223372036854775806")));
  CHECK_FALSE(ints.is_valid(json("9223372036854775807")));
}

TEST_CASE("schema: string length counts characters, not bytes") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"minLength": 3, "maxLength": 3})");
  CHECK(s.is_valid(json(R"("åäö")")));
  CHECK(s.is_valid(json(R"("\ud83d\ude00ab")")));
  auto f = findings(s, R"("abcd")");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "must be at most 3 characters long, got 4");
}

TEST_CASE("schema: pattern searches with ECMA-262 semantics") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"pattern": "[A-Z]{3}"})");
  CHECK(s.is_valid(json(R"("xEURx")")));  // a search, not a full match
  auto f = findings(s, R"("eur")");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "bad-value");
  CHECK(f[0].message == "expected text matching '[A-Z]{3}', got 'eur'");

  // Quoted text in messages keeps a finding on one line.
  CompiledSchema line = compile(registry, R"({"pattern": "^[^\\n]*$"})");
  f = findings(line, R"("one\ntwo")");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "expected text matching '^[^\\n]*$', got 'one\\ntwo'");

  CHECK(EcmaRegex("^.$").search("\xC3\xA9"));          // `.` is one character, é
  CHECK(EcmaRegex("^.$").search("\xF0\x9F\x98\x80"));  // even beyond the BMP
  CHECK_FALSE(EcmaRegex("^.$").search("\n"));
  CHECK(EcmaRegex("^\\p{L}+$").search("\xCF\x80x"));   // πx
  CHECK_FALSE(EcmaRegex("^\\d$").search("\xD9\xA1"));  // \d is ASCII only
  CHECK(EcmaRegex("^\\s$").search("\xC2\xA0"));        // but \s is Unicode
  CHECK_FALSE(EcmaRegex("^abc$").search("abc\n"));
  CHECK(EcmaRegex("^[^a]$").search("\xC3\xA9"));
  CHECK(EcmaRegex("\\u{1F600}").search("\xF0\x9F\x98\x80"));
  // Long text must not exhaust the stack.
  CHECK(EcmaRegex("^(a|b)*$").search(std::string(200000, 'a')));
}

TEST_CASE("schema: a broken schema is an error naming the problem") {
  SchemaRegistry registry;
  try {
    compile(registry, R"({"properties": {"id": {"pattern": "(?<=a+)b"}}})");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("lookbehind") != std::string::npos);
    CHECK(std::string(e.what()).find("/properties/id/pattern") != std::string::npos);
  }
  CHECK_THROWS_AS(compile(registry, R"({"$ref": "#/$defs/missing"})"), Error);
  CHECK_THROWS_AS(compile(registry, R"({"$ref": "urn:nowhere"})"), Error);
  CHECK_THROWS_AS(compile(registry, R"({"type": "strin"})"), Error);
  CHECK_THROWS_AS(compile(registry, R"({"minLength": -1})"), Error);
}

TEST_CASE("schema: $ref reaches documents added under a URI and relative $id") {
  SchemaRegistry registry;
  registry.add("urn:brm:schema:common", json(R"({"$defs": {
      "id": {"type": "string", "pattern": "^[a-z0-9-]+$",
             "x-brm-message": "expected a record id: lowercase letters, digits and '-'"}}})"));
  registry.add("https://example.com/schemas/base.json",
               json(R"({"$defs": {"positive": {"$ref": "other.json#/$defs/n"}}})"));
  registry.add("https://example.com/schemas/other.json",
               json(R"({"$defs": {"n": {"exclusiveMinimum": 0}}})"));
  CompiledSchema s = registry.compile(json(R"({"properties": {
      "customer": {"$ref": "urn:brm:schema:common#/$defs/id"},
      "count": {"$ref": "https://example.com/schemas/base.json#/$defs/positive"}}})"),
                                      "urn:test:refs");
  CHECK(s.is_valid(json(R"({"customer": "anna-berg", "count": 1})")));
  auto f = findings(s, R"({"customer": "Anna Berg", "count": 0})");
  REQUIRE(f.size() == 2);
  CHECK(f[0].instance_path == "/customer");
  CHECK(f[0].message == "expected a record id: lowercase letters, digits and '-'");
  CHECK(f[0].rule == "bad-value");
  CHECK(f[1].message == "must be > 0, got 0");
}

TEST_CASE("schema: instance paths are JSON pointers with escapes") {
  SchemaRegistry registry;
  CompiledSchema s =
      compile(registry, R"({"additionalProperties": {"items": {"type": "integer"}}})");
  auto f = findings(s, R"({"a/b~c": [1, "x"]})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].instance_path == "/a~1b~0c/1");
}

TEST_CASE("schema: anyOf reports the branch that came closest") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"anyOf": [
      {"type": "object", "required": ["email"], "properties": {"kind": {"const": "email"}}},
      {"type": "object", "required": ["phone"], "properties": {"kind": {"const": "phone"}}}]})");
  auto f = findings(s, R"({"kind": "phone"})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "missing required field 'phone'");

  CompiledSchema types =
      compile(registry, R"({"oneOf": [{"type": "string"}, {"type": "integer"}]})");
  f = findings(types, "[1]");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "wrong-type");
  CHECK(f[0].message == "expected a string or an integer, got a list");
  f = findings(compile(registry, R"({"oneOf": [{"minimum": 0}, {"maximum": 10}]})"), "5");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "matches more than one of the alternatives under 'oneOf' (#1 and #2)");
}

TEST_CASE("schema: unevaluatedProperties sees properties evaluated through $ref and allOf") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({
      "$defs": {"named": {"properties": {"name": {"type": "string"}}}},
      "$ref": "#/$defs/named",
      "allOf": [{"properties": {"email": true}}],
      "unevaluatedProperties": false})");
  CHECK(s.is_valid(json(R"({"name": "x", "email": "y"})")));
  auto f = findings(s, R"({"name": "x", "emal": "y"})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "unknown-field");
  CHECK(f[0].message == "unknown field 'emal' (did you mean 'email'?)");
}

TEST_CASE("schema: $dynamicRef resolves in the dynamic scope") {
  SchemaRegistry registry;
  registry.add("https://example.com/tree", json(R"({
      "$id": "https://example.com/tree", "$dynamicAnchor": "node", "type": "object",
      "properties": {"data": true, "children": {"type": "array", "items": {"$dynamicRef": "#node"}}}})"));
  CompiledSchema strict = registry.compile(json(R"({
      "$id": "https://example.com/strict-tree", "$dynamicAnchor": "node",
      "$ref": "tree", "unevaluatedProperties": false})"),
                                           "https://example.com/strict-tree");
  CHECK(strict.is_valid(json(R"({"children": [{"data": 1}]})")));
  auto f = findings(strict, R"({"children": [{"daat": 1}]})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].instance_path == "/children/0/daat");
}

TEST_CASE("schema: reference loops and deep data end in a finding, not a hang") {
  SchemaRegistry registry;
  CompiledSchema loop =
      compile(registry, R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
                                              "$ref": "#/$defs/a"})");
  auto f = findings(loop, "1");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "schema");

  CompiledSchema nested = compile(registry, R"({"items": {"$ref": "#"}})");
  Value deep = Value::integer(1);
  for (int i = 0; i < 2000; ++i) {
    Value list = Value::sequence(Mark{1, 1});
    list.push_back(std::move(deep));
    deep = std::move(list);
  }
  std::vector<SchemaFinding> out;
  CHECK_FALSE(nested.validate(deep, &out));
  REQUIRE(out.size() == 1);
  CHECK(out[0].message.find("levels deep") != std::string::npos);
  // Taken apart iteratively: the recursive destructor would be the next stack risk.
  while (deep.is_sequence() && !deep.items().empty()) {
    Value inner = std::move(deep.items()[0]);
    deep = std::move(inner);
  }
}

TEST_CASE("schema: x-brm-message replaces the messages of that schema's own failures") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"properties": {"phone": {"type": "string",
      "x-brm-message": "expected a phone number as text: write it in double quotes"}}})");
  auto f = findings(s, R"({"phone": 46812345})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "wrong-type");
  CHECK(f[0].message == "expected a phone number as text: write it in double quotes");
}

TEST_CASE("schema: uniqueItems treats 1 and 1.0, and reordered mappings, as the same") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"uniqueItems": true})");
  CHECK(s.is_valid(json(R"([1, "1", [1], {"a": 1}, true])")));
  CHECK_FALSE(s.is_valid(json("[1, 2, 1.0]")));
  auto f = findings(s, R"([{"a": 1, "b": 2}, 3, {"b": 2, "a": 1}])");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("items 0 and 2 are the same") == 0);
}

TEST_CASE("schema: the 2020-12 meta-schema is built in and validates schemas") {
  SchemaRegistry registry;
  CompiledSchema meta =
      registry.compile(json(R"({"$ref": "https://json-schema.org/draft/2020-12/schema"})"), "");
  CHECK(meta.is_valid(json(kCustomer)));
  auto f = findings(meta, R"({"type": "strin", "minLength": -1})");
  CHECK(f.size() >= 2);
}

TEST_CASE("schema: one compiled schema validates on several threads at once") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, kCustomer);
  Value good =
      json(R"({"name": "Anna", "role": "customer", "since": "2026-03-04", "tags": ["a"]})");
  Value bad = json(R"({"name": "Anna", "role": "buyer", "since": "2026-02-30", "emal": 1})");
  auto work = [&](int* valid, std::size_t* found) {
    for (int i = 0; i < 2000; ++i) {
      *valid += s.is_valid(good) ? 1 : 0;
      std::vector<SchemaFinding> out;
      s.validate(bad, &out);
      *found += out.size();
    }
  };
  int valid1 = 0, valid2 = 0;
  std::size_t found1 = 0, found2 = 0;
  std::thread t1(work, &valid1, &found1);
  std::thread t2(work, &valid2, &found2);
  t1.join();
  t2.join();
  CHECK(valid1 == 2000);
  CHECK(valid2 == 2000);
  CHECK(found1 == 3 * 2000);
  CHECK(found2 == found1);
}

TEST_CASE("schema: a compiled schema outlives its registry") {
  std::unique_ptr<CompiledSchema> s;
  {
    SchemaRegistry registry;
    registry.add("urn:test:common", json(R"({"$defs": {"code": {"enum": ["EUR", "SEK"]}}})"));
    s = std::make_unique<CompiledSchema>(
        compile(registry, R"({"properties": {"currency": {"$ref": "urn:test:common#/$defs/code"},
                                             "id": {"pattern": "^[a-z]+$"}}})"));
  }
  CHECK(s->is_valid(json(R"({"currency": "EUR", "id": "abc"})")));
  auto f = findings(*s, R"({"currency": "USD", "id": "ABC"})");
  REQUIRE(f.size() == 2);
  CHECK(f[0].message == "expected one of EUR, SEK, got 'USD'");
}

TEST_CASE("schema: field names and dependent fields get messages of their own") {
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"propertyNames": {"pattern": "^[a-z_]+$"},
                                          "dependentRequired": {"end": ["start"]}})");
  auto f = findings(s, "{\"End\": 1,\n \"end\": 2}");
  REQUIRE(f.size() == 2);
  CHECK(f[0].rule == "missing-field");
  CHECK(f[0].message == "missing field 'start', required when 'end' is present");
  CHECK(f[1].rule == "bad-value");
  CHECK(f[1].instance_path == "/End");
  CHECK(f[1].message == "field name 'End': expected text matching '^[a-z_]+$', got 'End'");
  CHECK(f[1].mark.column == 2);  // the key's position
}

TEST_CASE("schema: patterns and schemas built to be slow still finish") {
  // Exponential for a backtracking matcher; nested quantifiers get the linear one.
  CHECK_FALSE(EcmaRegex("^(a+)+$").search(std::string(40, 'a') + "!"));
  CHECK_FALSE(EcmaRegex("^(a|aa)*$").search(std::string(60, 'a') + "!"));

  // Each level doubles the work: 2^40 steps if nothing stopped it.
  std::string schema = R"({"$ref": "#/$defs/d0", "$defs": {"d40": false)";
  for (int i = 0; i < 40; ++i) {
    schema += fmt::format(
        R"(, "d{}": {{"anyOf": [{{"$ref": "#/$defs/d{}"}}, {{"$ref": "#/$defs/d{}"}}]}})", i, i + 1,
        i + 1);
  }
  schema += "}}";
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, schema);
  auto f = findings(s, "1");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("too costly") != std::string::npos);

  CompiledSchema unique = compile(registry, R"({"uniqueItems": true})");
  Value same = Value::sequence();
  for (int i = 0; i < 100000; ++i) same.push_back(Value::string("x"));
  CHECK_FALSE(unique.is_valid(same));
}

TEST_CASE("regex: lookbehind, named groups and Unicode classes run as in ECMA-262") {
  CHECK(EcmaRegex("(?<=\\$)\\d+").search("costs $42"));
  CHECK_FALSE(EcmaRegex("(?<=\\$)\\d+").search("costs 42"));
  CHECK(EcmaRegex("^(?<!x)ab").search("ab"));
  CHECK_FALSE(EcmaRegex("(?<!x)ab").search("xab"));
  CHECK(EcmaRegex("^(?<y>\\d{2})-\\k<y>$").search("12-12"));
  CHECK_FALSE(EcmaRegex("^(?<y>\\d{2})-\\k<y>$").search("12-13"));
  CHECK(EcmaRegex("^\\p{Lu}\\p{Ll}+$")
            .search("\xC3\x89"
                    "cole"));                                           // École
  CHECK(EcmaRegex("^\\p{Script=Greek}+$").search("\xCF\x80\xCE\xB1"));  // πα
  CHECK_FALSE(EcmaRegex("^\\p{sc=Greek}+$").search("pa"));
  CHECK(EcmaRegex("^\\p{General_Category=Decimal_Number}$").search("\xD9\xA1"));
  CHECK(EcmaRegex("^\\P{Letter}$").search("1"));
  CHECK(EcmaRegex("^[\\s]$").search("\xE2\x80\xA8"));  // \s in a class is Unicode too
  CHECK_FALSE(EcmaRegex("^[^\\S]$").search("x"));
  CHECK(EcmaRegex("^\\v$").search("\v"));  // not PCRE's vertical space class
  CHECK_FALSE(EcmaRegex("^\\v$").search("\n"));
  CHECK_FALSE(EcmaRegex("[]").search("a"));  // ECMA's empty class
  CHECK(EcmaRegex("^[^]$").search("\n"));
  CHECK(EcmaRegex("^[[:a]+$").search(":a["));                       // '[' is a literal in a class
  CHECK(EcmaRegex("^\\uD83D\\uDC32$").search("\xF0\x9F\x90\xB2"));  // a surrogate pair
  CHECK(EcmaRegex("^\\x41\\u0042\\u{43}\\cJ$").search("ABC\n"));
  CHECK(EcmaRegex("^a\\b").search("a b"));
  CHECK(EcmaRegex("\xC3\xA9$").search("caf\xC3\xA9"));
  // Text that is not UTF-8 is matched with U+FFFD in place of the bad byte.
  CHECK(
      EcmaRegex("^a.b$").search("a\xFF"
                                "b"));
  CHECK(
      EcmaRegex("^a.b$").search("a\xED\xA0\x80"
                                "b"));  // an encoded surrogate
  CHECK(
      EcmaRegex("^a.b$").search("a\xF7\xBF\xBF\xBF"
                                "b"));  // beyond U+10FFFF

  // PCRE-only syntax is not ECMA-262.
  for (const char* p : {"(?i)a", "a++", "\\A", "[[:alpha:]]]", "a{,3}", "(?P<n>a)", "(?#c)", "\\a",
                        "(?=a)*", "a{", "}", "]", "\\c1", "\\01", "[\\d-z]", "(a"}) {
    CAPTURE(p);
    CHECK_FALSE(is_ecma_regex(p, nullptr));
    CHECK_THROWS_AS(EcmaRegex{p}, Error);
  }
  // ECMA-262 allows lookbehind of any length; PCRE2 runs only bounded ones.
  CHECK(is_ecma_regex("(?<=a+)b", nullptr));
  CHECK_THROWS_AS(EcmaRegex{"(?<=a+)b"}, Error);
}

TEST_CASE("regex: a catastrophic pattern on long text stops quickly with a finding") {
  std::string text = std::string(100'000, 'a') + "!";
  auto start = std::chrono::steady_clock::now();
  CHECK(EcmaRegex("^(a+)+$").match(text) == EcmaRegex::Match::TooCostly);
  CHECK(EcmaRegex("(a|aa)*$").match(std::string(30, 'a') + "!") == EcmaRegex::Match::TooCostly);
  SchemaRegistry registry;
  CompiledSchema s = compile(registry, R"({"properties": {"n": {"pattern": "^(a+)+$"}},
                                          "patternProperties": {"^(x+)+$": true}})");
  auto f = findings(s, fmt::format(R"({{"n": "{}", "{}": 1}})", text, std::string(40, 'x') + "!"));
  REQUIRE(f.size() == 2);
  CHECK(f[0].rule == "schema");
  CHECK(f[0].message ==
        "matching '^(a+)+$' stopped at its limit: the pattern is too costly to check");
  CHECK(f[1].keyword == "patternProperties");
  CHECK_FALSE(s.is_valid(json(R"({"n": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"})")));
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 5.0);
  // Matching that is merely long is no limit hit.
  CHECK(EcmaRegex("^(a|b)*$").match(std::string(200'000, 'a')) == EcmaRegex::Match::Yes);
}

TEST_CASE("schema: .nan and .inf do not pass a bound or a multiple; unbounded, they are numbers") {
  SchemaRegistry registry;
  CompiledSchema bounded = compile(registry, R"({"type": "number", "minimum": 0})");
  CompiledSchema multiple = compile(registry, R"({"type": "number", "multipleOf": 0.5})");
  CompiledSchema free = compile(registry, R"({"type": "number"})");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (double d : {nan, inf, -inf}) {
    std::vector<SchemaFinding> out;
    CHECK_FALSE(bounded.validate(Value::floating(d), &out));
    REQUIRE(out.size() == 1);
    CHECK(out[0].rule == "out-of-range");
    CHECK(out[0].message.starts_with("must be a finite number, got "));
    CHECK_FALSE(bounded.is_valid(Value::floating(d)));
    CHECK_FALSE(multiple.is_valid(Value::floating(d)));
    CHECK(free.is_valid(Value::floating(d)));
  }
  std::vector<SchemaFinding> out;
  bounded.validate(Value::floating(nan), &out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].message == "must be a finite number, got .nan");
  CHECK(bounded.is_valid(Value::floating(1e300)));
}

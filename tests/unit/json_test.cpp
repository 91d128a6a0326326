#include "brm/json.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace brm;

namespace {

Value parse(std::string_view text) {
  Value v;
  JsonError error;
  INFO(text);
  REQUIRE(parse_json(text, &v, &error));
  return v;
}

JsonError parse_error(std::string_view text) {
  Value v;
  JsonError error;
  INFO(text);
  CHECK_FALSE(parse_json(text, &v, &error));
  return error;
}

}  // namespace

TEST_CASE("json: values and keys carry their line and column") {
  Value v = parse("{\n  \"name\": \"Anna\",\n  \"tags\": [1, true]\n}");
  CHECK(v.mark().line == 1);
  CHECK(v.mark().column == 1);
  REQUIRE(v.entries().size() == 2);
  CHECK(v.entries()[0].key_mark.line == 2);
  CHECK(v.entries()[0].key_mark.column == 3);
  CHECK(v.entries()[0].value.mark().column == 11);
  const Value& tags = v.entries()[1].value;
  CHECK(tags.mark().line == 3);
  CHECK(tags.mark().column == 11);
  CHECK(tags.items()[1].mark().column == 15);
}

TEST_CASE("json: columns count characters, not bytes") {
  Value v = parse("{\"å\": \"ö\", \"x\": 1}");
  CHECK(v.entries()[1].key_mark.column == 12);
}

TEST_CASE("json: escapes, including surrogate pairs, become UTF-8") {
  Value v = parse(R"(["a\"b\\c\/d", "\u00e9", "\ud83d\ude00", "tab\there\n"])");
  CHECK(v.items()[0].as_string() == "a\"b\\c/d");
  CHECK(v.items()[1].as_string() == "\xC3\xA9");
  CHECK(v.items()[2].as_string() == "\xF0\x9F\x98\x80");
  CHECK(v.items()[3].as_string() == "tab\there\n");
  CHECK(parse_error(R"(["\ud83d"])").message.find("surrogate") != std::string::npos);
  CHECK(parse_error(R"(["\ude00x"])").message.find("surrogate") != std::string::npos);
}

TEST_CASE("json: integers that fit int64 are Int, everything else a number that keeps its value") {
  Value v = parse("[0, -7, 9223372036854775807, 9223372036854775808, 1.0, 1e2, -0, 2.5]");
  CHECK(v.items()[0].type() == Value::Type::Int);
  CHECK(v.items()[1].as_int() == -7);
  CHECK(v.items()[2].type() == Value::Type::Int);
  CHECK(v.items()[2].as_int() == 9223372036854775807LL);
  CHECK(v.items()[3].type() == Value::Type::Float);  // one past int64: no silent wrap
  CHECK(v.items()[3].is_integral());
  CHECK(v.items()[3].as_double() == 9223372036854775808.0);
  CHECK(v.items()[4].type() == Value::Type::Float);
  CHECK(v.items()[4].is_integral());
  CHECK(v.items()[5].as_double() == 100.0);
  CHECK(v.items()[6].type() == Value::Type::Int);
  CHECK(v.items()[7].as_double() == 2.5);
  Value huge = parse("1e400");
  CHECK(std::isinf(huge.as_double()));
}

TEST_CASE("json: bad input is refused with its position") {
  JsonError e = parse_error("{\n  \"a\": tru\n}");
  CHECK(e.mark.line == 2);
  CHECK(e.mark.column == 8);
  e = parse_error("[1, 2,]");
  CHECK(e.mark.column == 7);
  CHECK(parse_error("{\"a\": 1} x").message == "unexpected text after the JSON value");
  CHECK(parse_error("[01]").message.find("leading zeros") != std::string::npos);
  CHECK(parse_error("\"a\tb\"").message.find("control character") != std::string::npos);
  CHECK(parse_error("\"\xC3\"").message.find("UTF-8") != std::string::npos);
  CHECK(parse_error("").message.find("end of input") != std::string::npos);
  e = parse_error("{\"a\": 1,\n \"a\": 2}");
  CHECK(e.message == "duplicate key 'a'");
  CHECK(e.mark.line == 2);
}

TEST_CASE("json: deep nesting is refused, not a crash") {
  std::string deep(100000, '[');
  CHECK(parse_error(deep).message.find("nesting deeper") != std::string::npos);
  std::string fine = std::string(200, '[') + std::string(200, ']');
  Value v;
  JsonError error;
  CHECK(parse_json(fine, &v, &error));
}

TEST_CASE("json: the writer is compact or pretty and keeps key order") {
  Value v = parse(R"({"b": [1, 2.5, "x"], "a": {}, "c": [], "d": null, "e": true})");
  CHECK(to_json(v) == R"({"b":[1,2.5,"x"],"a":{},"c":[],"d":null,"e":true})");
  CHECK(to_json(v, 2) ==
        "{\n"
        "  \"b\": [\n"
        "    1,\n"
        "    2.5,\n"
        "    \"x\"\n"
        "  ],\n"
        "  \"a\": {},\n"
        "  \"c\": [],\n"
        "  \"d\": null,\n"
        "  \"e\": true\n"
        "}");
}

TEST_CASE("json: strings are escaped and numbers read back the same") {
  std::string out;
  append_json_string(out, std::string("q\"b\\n\n\x01\x7F\xC3\xA9", 10));
  CHECK(out == "\"q\\\"b\\\\n\\n\\u0001\\u007f\xC3\xA9\"");
  for (double d : {0.1, 1.0 / 3.0, 1e300, -2.5e-300, 123456789.125}) {
    Value back = parse(to_json(Value::floating(d)));
    CHECK(back.as_double() == d);
  }
  CHECK(to_json(Value::floating(1e300)) == "1e+300");
  CHECK(to_json(Value::floating(std::nan(""))) == "null");
  CHECK(to_json(Value::integer(-9223372036854775807LL - 1)) == "-9223372036854775808");
}

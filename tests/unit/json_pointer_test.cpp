#include "brm/json_pointer.hpp"

#include <doctest/doctest.h>

#include "brm/json.hpp"

using namespace brm;

TEST_CASE("json_pointer: tokens are unescaped, ~01 is ~1 and not /") {
  CHECK(pointer_tokens("").empty());
  CHECK(pointer_tokens("/a~1b/~0c/~01") == std::vector<std::string>{"a/b", "~c", "~1"});
  CHECK(pointer_tokens("/") == std::vector<std::string>{""});
  CHECK(pointer_tokens("a/b").empty());
}

TEST_CASE("json_pointer: follow_pointer walks keys and RFC 6901 item numbers") {
  Value doc;
  JsonError error;
  REQUIRE(parse_json(R"({"a/b": {"list": [10, 11, 12]}, "": 1, "~": 2})", &doc, &error));
  Value whole = doc;
  REQUIRE(follow_pointer(&doc, "") == &doc);
  const Value* item = follow_pointer(&doc, "/a~1b/list/2");
  REQUIRE(item);
  CHECK(item->as_int() == 12);
  REQUIRE(follow_pointer(&doc, "/"));
  CHECK(follow_pointer(&doc, "/")->as_int() == 1);
  REQUIRE(follow_pointer(&doc, "/~0"));
  CHECK(follow_pointer(&doc, "/~0")->as_int() == 2);
  CHECK(!follow_pointer(&doc, "/a~1b/list/3"));   // past the end
  CHECK(!follow_pointer(&doc, "/a~1b/list/01"));  // a leading zero is no item number
  CHECK(!follow_pointer(&doc, "/a~1b/list/-1"));
  CHECK(!follow_pointer(&doc, "/a~1b/list/0/x"));  // below a scalar
  CHECK(!follow_pointer(&doc, "a~1b"));            // not a pointer
  CHECK(!follow_pointer(&doc, "/missing/deeper"));
  CHECK(doc == whole);
}

TEST_CASE("json_pointer: tokens are escaped on the way in and read back the same") {
  std::string p;
  append_pointer_token(p, "a/b");
  append_pointer_token(p, "~x");
  append_pointer_token(p, "0");
  CHECK(p == "/a~1b/~0x/0");
  CHECK(pointer_tokens(p) == std::vector<std::string>{"a/b", "~x", "0"});
}

TEST_CASE("json_pointer: a pointer as the dotted path of `set`") {
  CHECK(dotted_path("/services/0/levels") == "services.0.levels");
  CHECK(dotted_path("") == "");
  CHECK(dotted_path("/extra/a~1b") == "extra.a/b");
}

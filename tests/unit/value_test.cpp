#include "brm/value.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

using namespace brm;

TEST_CASE("value: numbers compare by value, so 1 equals 1.0") {
  CHECK(Value::integer(1) == Value::floating(1.0));
  CHECK(Value::floating(1.0) == Value::integer(1));
  CHECK_FALSE(Value::integer(1) == Value::floating(1.5));
  CHECK_FALSE(Value::integer(1) == Value::string("1"));
  CHECK_FALSE(Value::boolean(true) == Value::integer(1));
  CHECK(Value::null() == Value::null());
}

TEST_CASE("value: a big integer kept as a double stays integral and exact") {
  // 2^63 does not fit int64; the loader keeps it as a double.
  Value big = Value::floating(9223372036854775808.0);
  CHECK(big.is_integral());
  CHECK_FALSE(Value::floating(1.5).is_integral());
  CHECK_FALSE(Value::floating(std::numeric_limits<double>::infinity()).is_integral());
  CHECK(Value::integer(7).is_integral());
  // int64 max is 2^63 - 1: as a double it would round to 2^63, but they are not equal.
  CHECK_FALSE(Value::integer(std::numeric_limits<std::int64_t>::max()) == big);
  CHECK(Value::integer(std::numeric_limits<std::int64_t>::min()) ==
        Value::floating(-9223372036854775808.0));
  CHECK(big.as_double() == 9223372036854775808.0);
}

TEST_CASE("value: mappings are equal whatever the order of their keys") {
  Value a = Value::mapping();
  a.set("x", Value::integer(1));
  a.set("y", Value::string("two"));
  Value b = Value::mapping();
  b.set("y", Value::string("two"));
  b.set("x", Value::floating(1.0));
  CHECK(a == b);
  b.set("z", Value::null());
  CHECK_FALSE(a == b);

  Value s1 = Value::sequence();
  s1.push_back(Value::integer(1));
  s1.push_back(Value::integer(2));
  Value s2 = Value::sequence();
  s2.push_back(Value::integer(2));
  s2.push_back(Value::integer(1));
  CHECK_FALSE(s1 == s2);  // sequences keep their order
}

TEST_CASE("value: set replaces in place, find and erase work on keys") {
  Value m = Value::mapping(Mark{1, 1});
  m.set("a", Value::integer(1), Mark{1, 1});
  m.set("b", Value::integer(2), Mark{2, 1});
  m.set("a", Value::integer(3), Mark{9, 9});
  REQUIRE(m.size() == 2);
  CHECK(m.entries()[0].key == "a");
  CHECK(m.entries()[0].value.as_int() == 3);
  CHECK(m.entries()[0].key_mark.line == 1);  // the key stays where it was written
  REQUIRE(m.find("b") != nullptr);
  CHECK(m.find("b")->as_int() == 2);
  CHECK(m.find("c") == nullptr);
  CHECK(m.erase("a"));
  CHECK_FALSE(m.erase("a"));
  CHECK(m.size() == 1);
  CHECK(Value::string("x").find("a") == nullptr);
}

TEST_CASE("value: marks travel with values") {
  Value v = Value::string("x", Mark{3, 7});
  CHECK(v.mark().line == 3);
  CHECK(v.mark().column == 7);
  v.set_mark(Mark{4, 1});
  CHECK(v.mark().line == 4);
  CHECK(Value::integer(1).mark().line == 0);  // built in memory: no position
}

TEST_CASE("value: display text is what a message shows") {
  CHECK(Value::string("Anna Berg").to_display() == "Anna Berg");
  CHECK(Value::integer(-5).to_display() == "-5");
  CHECK(Value::floating(0.1).to_display() == "0.1");
  CHECK(Value::floating(2.5).to_display() == "2.5");
  CHECK(Value::floating(1e300).to_display() == "1e+300");
  CHECK(Value::boolean(true).to_display() == "true");
  CHECK(Value::null().to_display() == "null");
  Value s = Value::sequence();
  s.push_back(Value::string("a"));
  s.push_back(Value::integer(1));
  CHECK(s.to_display() == "['a', 1]");
}

TEST_CASE("value: type names are JSON Schema's") {
  CHECK(Value::type_name(Value::Type::Int) == "integer");
  CHECK(Value::type_name(Value::Type::Float) == "number");
  CHECK(Value::type_name(Value::Type::Sequence) == "array");
  CHECK(Value::type_name(Value::Type::Mapping) == "object");
  CHECK(Value::mapping().size() == 0);
  CHECK(Value::string("abc").size() == 0);  // scalars have no members
}

TEST_CASE("value: copies and moves carry the one member of the value's type") {
  Value doc = Value::mapping({1, 1});
  doc.set("name", Value::string("a name longer than the small-string buffer", {1, 7}));
  Value list = Value::sequence();
  list.push_back(Value::integer(-3));
  list.push_back(Value::floating(0.5));
  list.push_back(Value::boolean(true));
  list.push_back(Value::null());
  doc.set("list", std::move(list));

  Value copy = doc;
  CHECK(copy == doc);
  CHECK(copy.find("name")->mark().column == 7);
  Value moved = std::move(copy);
  CHECK(moved == doc);
  copy = moved;  // assigning to a moved-from value
  CHECK(copy == doc);
  copy = Value::string("now a string");  // a mapping becomes a string
  CHECK(copy.as_string() == "now a string");
  copy = doc;  // and back
  CHECK(copy.find("list")->items()[0].as_int() == -3);
  CHECK(copy.find("list")->items()[2].as_bool());

  Value& self = copy;
  copy = self;
  copy = std::move(self);
  CHECK(copy == doc);
}

TEST_CASE("value: a value can be replaced by a part of itself") {
  Value doc = Value::mapping();
  Value inner = Value::mapping();
  inner.set("deep", Value::string("a string long enough to live on the heap"));
  doc.set("inner", std::move(inner));
  doc = std::move(*doc.find("inner"));
  CHECK(doc.find("deep")->as_string() == "a string long enough to live on the heap");

  Value list = Value::sequence();
  list.push_back(Value::string("first item, long enough to live on the heap"));
  list = list.items()[0];  // a copy of its own item
  CHECK(list.as_string() == "first item, long enough to live on the heap");
}

TEST_CASE("value: asked as another type, a value answers empty") {
  Value s = Value::string("text");
  CHECK(s.items().empty());
  CHECK(s.entries().empty());
  CHECK(s.find("x") == nullptr);
  CHECK_FALSE(s.erase("x"));
  CHECK(s.size() == 0);
  CHECK(Value::integer(5).as_string().empty());
  CHECK_FALSE(Value::integer(1).as_bool());
  CHECK(Value::floating(2.5).as_int() == 0);
  CHECK(Value::integer(2).as_double() == 2.0);
  const Value m = Value::mapping();
  CHECK(m.items().empty());
  CHECK(m.as_string().empty());
}

TEST_CASE("value: shrink_to_fit keeps the tree as it was") {
  Value doc = Value::mapping();
  Value list = Value::sequence();
  for (int i = 0; i < 5; ++i) list.push_back(Value::integer(i));
  doc.set("list", std::move(list));
  doc.set("name", Value::string("n"));
  Value before = doc;
  doc.shrink_to_fit();
  CHECK(doc == before);
  CHECK(doc.entries().capacity() == 2);
  CHECK(doc.find("list")->items().capacity() == 5);
}

TEST_CASE("value: changed_keys names the keys changed, added and removed") {
  Value before = Value::mapping(), after = Value::mapping();
  before.set("name", Value::string("Anna Berg"));
  before.set("unit", Value::string("Retail"));
  before.set("since", Value::string("2024-03-01"));
  before.set("budget", Value::integer(5));
  after.set("budget", Value::floating(5.0));  // the same number
  after.set("name", Value::string("Anna Berg"));
  after.set("unit", Value::string("Finance"));
  after.set("phone", Value::string("+46 8 123"));
  CHECK(changed_keys(before, after) == std::vector<std::string>{"unit", "phone", "since"});
  CHECK(changed_keys(after, after).empty());
}

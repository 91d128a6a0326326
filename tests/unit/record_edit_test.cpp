#include "brm/record_edit.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "brm/error.hpp"
#include "brm/json.hpp"

using namespace brm;

namespace {

// The message of the brm::Error that `fn` throws, with its exit code checked.
template <typename Fn>
std::string usage_error(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::Usage);
    return e.what();
  }
  FAIL("no error thrown");
  return {};
}

Value customer(std::string_view role) {
  Value d = Value::mapping();
  d.set("name", Value::string("Anna Berg"));
  d.set("role", Value::string(std::string(role)));
  return d;
}

}  // namespace

TEST_CASE("record_edit: a kind's fields come from its schema, $refs resolved") {
  const Field& root = record_field(KindId::Customer);
  REQUIRE(root.type == FieldType::Object);
  CHECK(root.properties.front().name == "name");
  const Field* name = root.property("name");
  REQUIRE(name);
  CHECK(name->type == FieldType::String);  // from common#/$defs/line
  CHECK(name->required);
  CHECK(name->description == "The person's full name, e.g. Anna Berg.");
  const Field* role = root.property("role");
  REQUIRE(role);
  CHECK(role->choices == std::vector<std::string>{"customer", "purchaser"});
  const Field* since = root.property("since");
  REQUIRE(since);
  CHECK(since->is_date);
  CHECK_FALSE(since->required);
  const Field* budget = root.property("budget");
  REQUIRE(budget);
  CHECK(budget->type == FieldType::Object);
  CHECK(budget->property("amount")->type == FieldType::Number);
  CHECK(budget->property("year")->type == FieldType::Integer);
  CHECK(root.property("status")->default_text == "active");
  CHECK(root.property("extra")->free_form);
  CHECK_FALSE(root.free_form);  // additionalProperties: false
}

TEST_CASE("record_edit: lists know their items; nested lists too") {
  const Field& services = *record_field(KindId::Agreement).property("services");
  CHECK(services.type == FieldType::Array);
  CHECK(services.min_items == 1);
  REQUIRE(services.items);
  const Field* levels = services.items->property("levels");
  REQUIRE(levels);
  CHECK(levels->items->property("unit")->choices.size() == 5);
  const Field& attendees = *record_field(KindId::Meeting).property("attendees");
  CHECK(attendees.items->type == FieldType::String);
}

TEST_CASE("record_edit: field_at walks dotted paths through objects and list items") {
  CHECK(field_at(KindId::Customer, "budget.amount").type == FieldType::Number);
  CHECK(field_at(KindId::Agreement, "services.0.levels.1.target").type == FieldType::Number);
  CHECK(field_at(KindId::Customer, "extra.cost_centre").type == FieldType::Any);
  CHECK(field_at(KindId::Survey, "responses.0.answers.overall").type == FieldType::Integer);
}

TEST_CASE("record_edit: an unknown field is a usage error with a suggestion") {
  CHECK(usage_error([] { field_at(KindId::Customer, "it_contct"); }) ==
        "unknown field 'it_contct' in customer (did you mean 'it_contact'?)");
  CHECK(usage_error([] { field_at(KindId::Customer, "budget.amout"); }) ==
        "unknown field 'budget.amout' in 'budget' (did you mean 'budget.amount'?)");
  CHECK(usage_error([] { field_at(KindId::Agreement, "services.first"); }) ==
        "'services' is a list: follow it with an item number, e.g. services.0");
}

TEST_CASE("record_edit: values are typed by the schema") {
  const Field& root = record_field(KindId::Customer);
  Value amount = typed_value(field_at(KindId::Customer, "budget.amount"), "1200000", "x");
  CHECK(amount.type() == Value::Type::Int);
  CHECK(typed_value(field_at(KindId::Customer, "budget.amount"), "99.5", "x").as_double() == 99.5);
  // A phone number stays text even though it looks like a number.
  Value phone = typed_value(*root.property("phone"), "0812345", "phone");
  CHECK(phone.is_string());
  CHECK(phone.as_string() == "0812345");
  // Dates are strings; the schema's format checks them later.
  CHECK(typed_value(*root.property("since"), "2026-03-01", "since").is_string());
  // Free-form values read as YAML would.
  CHECK(typed_value(field_at(KindId::Customer, "extra.flag"), "true", "x").is_bool());
}

TEST_CASE("record_edit: a value of the wrong type or outside the enum is refused") {
  CHECK(usage_error([] {
          typed_value(field_at(KindId::Customer, "budget.amount"), "lots", "budget.amount");
        }) == "invalid value 'lots' for budget.amount: expected a number");
  CHECK(usage_error([] {
          typed_value(field_at(KindId::Customer, "budget.year"), "2026.5", "--budget-year");
        }) == "invalid value '2026.5' for --budget-year: expected an integer");
  CHECK(usage_error([] { typed_value(field_at(KindId::Customer, "role"), "boss", "--role"); }) ==
        "invalid value 'boss' for --role: expected one of customer, purchaser");
  CHECK(usage_error([] { typed_value(field_at(KindId::Customer, "budget"), "5", "budget"); }) ==
        "budget holds fields of its own: set budget.amount, budget.currency, budget.year");
}

TEST_CASE("record_edit: set_path creates objects on the way and appends at the end of a list") {
  Value d = customer("customer");
  set_path(KindId::Customer, d, "budget.amount", "5");
  set_path(KindId::Customer, d, "it_contact", "Erik Lund");
  CHECK(to_json(d) ==
        R"({"name":"Anna Berg","role":"customer","budget":{"amount":5},"it_contact":"Erik Lund"})");

  Value a = Value::mapping();
  set_path(KindId::Agreement, a, "services.0.service", "email");
  set_path(KindId::Agreement, a, "services.0.levels.0.metric", "availability");
  set_path(KindId::Agreement, a, "services.0.levels.0.target", "99.5");
  set_path(KindId::Agreement, a, "services.0.levels.0.target", "99.9");  // replaces
  CHECK(to_json(a) ==
        R"({"services":[{"service":"email","levels":[{"metric":"availability","target":99.9}]}]})");
  CHECK(usage_error([&] { set_path(KindId::Agreement, a, "services.5.service", "x"); }) ==
        "there is no item 5 in 'services': it has 1 item");
}

TEST_CASE("record_edit: unset_path removes keys and list items") {
  Value d = customer("customer");
  set_path(KindId::Customer, d, "budget.amount", "5");
  set_path(KindId::Customer, d, "budget.year", "2026");
  unset_path(d, "budget.year");
  CHECK(to_json(d) == R"({"name":"Anna Berg","role":"customer","budget":{"amount":5}})");
  unset_path(d, "budget");
  CHECK(to_json(d) == R"({"name":"Anna Berg","role":"customer"})");
  CHECK(usage_error([&] { unset_path(d, "budget.year"); }) == "there is no 'budget.year' to unset");

  Value m = Value::mapping();
  set_path(KindId::Meeting, m, "attendees.0", "A");
  set_path(KindId::Meeting, m, "attendees.1", "B");
  unset_path(m, "attendees.0");
  CHECK(to_json(m) == R"({"attendees":["B"]})");
}

TEST_CASE("record_edit: missing fields follow the schema's conditions") {
  Value d = Value::mapping();
  CHECK(missing_fields(KindId::Customer, d) == std::vector<std::string>{"name", "role"});
  CHECK(missing_fields(KindId::Customer, customer("customer")).empty());
  // A purchaser orders under a customer's mandate: `customer` becomes required.
  CHECK(missing_fields(KindId::Customer, customer("purchaser")) ==
        std::vector<std::string>{"customer"});
  Value c = Value::mapping();
  c.set("status", Value::string("resolved"));
  auto missing = missing_fields(KindId::Complaint, c);
  CHECK(std::find(missing.begin(), missing.end(), "closed") != missing.end());
  CHECK(std::find(missing.begin(), missing.end(), "resolution") != missing.end());
}

TEST_CASE("record_edit: in_schema_order sorts keys as the schema lists them") {
  Value d = Value::mapping();
  d.set("status", Value::string("active"));
  d.set("budget", Value::mapping());
  d.find("budget")->set("year", Value::integer(2026));
  d.find("budget")->set("amount", Value::integer(5));
  d.set("role", Value::string("customer"));
  d.set("name", Value::string("A"));
  CHECK(to_json(in_schema_order(KindId::Customer, d)) ==
        R"({"name":"A","role":"customer","budget":{"amount":5,"year":2026},"status":"active"})");
}

TEST_CASE("record_edit: --level SERVICE:METRIC=TARGET[UNIT] and its units") {
  ServiceLevel l = parse_level("email:availability=99.5%");
  CHECK(l.service == "email");
  CHECK(l.metric == "availability");
  CHECK(l.target.as_double() == 99.5);
  CHECK(l.unit == "percent");
  CHECK(parse_level("pos:p1 resolution=4h").unit == "hours");
  CHECK(parse_level("pos:p1 resolution=4h").target.type() == Value::Type::Int);
  CHECK(parse_level("pos:p1 response=15min").unit == "minutes");
  CHECK(parse_level("devices:replacement=2d").unit == "days");
  CHECK(parse_level("desk:tickets=40").unit == "count");
  CHECK(parse_level(" desk : calls answered = 80 % ").metric == "calls answered");
}

TEST_CASE("record_edit: a bad --level says what is wrong and what is expected") {
  CHECK(usage_error([] { parse_level("email=99"); }) ==
        "invalid --level 'email=99': no ':' after the service; expected "
        "SERVICE:METRIC=TARGET[UNIT], e.g. email:availability=99.5%");
  CHECK(usage_error([] {
          parse_level("email:availability=99 percent");
        }).starts_with("invalid --level 'email:availability=99 percent': unknown unit 'percent'"));
  CHECK(usage_error([] {
          parse_level("email:availability=high");
        }).starts_with("invalid --level 'email:availability=high': the target is not a number"));
  CHECK(usage_error([] {
          parse_level(":availability=1");
        }).starts_with("invalid --level ':availability=1': the service is missing"));
}

TEST_CASE("record_edit: levels gather under their service") {
  Value a = Value::mapping();
  add_level(a, parse_level("email:availability=99.5%"));
  add_level(a, parse_level("desk:answered=80%"));
  add_level(a, parse_level("email:p1 resolution=4h"));
  CHECK(to_json(a) ==
        R"({"services":[{"service":"email","levels":[)"
        R"({"metric":"availability","target":99.5,"unit":"percent"},)"
        R"({"metric":"p1 resolution","target":4,"unit":"hours"}]},)"
        R"({"service":"desk","levels":[{"metric":"answered","target":80,"unit":"percent"}]}]})");
}

TEST_CASE("record_edit: --service adds a service once, whether before or after its levels") {
  auto add = [](Value& doc, std::string_view flag, std::string_view text) {
    for (const CompactForm& f : compact_forms())
      if (f.kind == KindId::Agreement && f.flag == flag) f.add(doc, text);
  };
  Value a = Value::mapping();
  add(a, "service", "desk");
  add(a, "level", "email:availability=99.5%");
  add(a, "service", "email");
  add(a, "level", "desk:answered=80%");
  CHECK(
      to_json(a) ==
      R"({"services":[{"service":"desk","levels":[{"metric":"answered","target":80,"unit":"percent"}]},)"
      R"({"service":"email","levels":[{"metric":"availability","target":99.5,"unit":"percent"}]}]})");
}

TEST_CASE("record_edit: --response CUSTOMER=SCORE[;COMMENT] and --question ID=TEXT") {
  SurveyResponse r = parse_response("anna-berg=4;Fast; friendly service desk");
  CHECK(r.customer == "anna-berg");
  CHECK(r.score == 4);
  CHECK(r.comment == "Fast; friendly service desk");
  CHECK(parse_response("per-holm=2").comment.empty());
  CHECK(usage_error([] {
          parse_response("per-holm=good");
        }).starts_with("invalid --response 'per-holm=good': the score is not a whole number"));
  CHECK(usage_error([] {
          parse_response("per-holm");
        }).starts_with("invalid --response 'per-holm': no '=' after the customer"));
  SurveyQuestion q = parse_question("overall=Overall satisfaction");
  CHECK(q.id == "overall");
  CHECK(q.text == "Overall satisfaction");
}

TEST_CASE("record_edit: lists of objects without a compact form take fields split by ';'") {
  const Field& action = *record_field(KindId::Meeting).property("actions")->items;
  CHECK(generic_syntax(action) == "WHAT;OWNER;DUE[;DONE]");
  Value a = parse_generic_item(action, "Send the draft; Erik Lund; 2026-03-31", "action");
  CHECK(to_json(a) == R"({"what":"Send the draft","owner":"Erik Lund","due":"2026-03-31"})");
  CHECK(usage_error([&] { parse_generic_item(action, "Send the draft;;2026-03-31", "action"); }) ==
        "invalid --action 'Send the draft;;2026-03-31': OWNER is missing; expected "
        "WHAT;OWNER;DUE[;DONE]");
  CHECK(usage_error([&] {
          parse_generic_item(action, "a;b;c;d;e", "action");
        }).starts_with("invalid --action 'a;b;c;d;e': 5 parts where there are 4 fields"));
  // The generic form of an agreement's services would be the scalar `service` alone.
  const Field& service = *record_field(KindId::Agreement).property("services")->items;
  CHECK(generic_syntax(service) == "SERVICE");
}

TEST_CASE("record_edit: the compact forms apply to a record") {
  Value s = Value::mapping();
  for (const CompactForm& f : compact_forms()) {
    if (f.kind != KindId::Survey) continue;
    if (f.flag == "response") f.add(s, "anna-berg=5");
    if (f.flag == "question") f.add(s, "overall=Overall");
  }
  CHECK(to_json(s) == R"({"questions":[{"id":"overall","text":"Overall"}],)"
                      R"("responses":[{"customer":"anna-berg","score":5}]})");
}

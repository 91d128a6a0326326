// Fields from the kinds' schemas, typed values at dotted paths, and compact forms.
// The schemas are the only description of a record's shape: flags, prompts, `set`
// and the key order of output all come from them.
#include "brm/record_edit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>

#include "brm/date.hpp"
#include "brm/diagnostic.hpp"
#include "brm/error.hpp"
#include "brm/schemas.hpp"
#include "brm/strings.hpp"
#include "brm/yaml.hpp"

namespace brm {
namespace {

// Splits at `sep` except where a backslash escapes it ("a\\;b" is one part "a;b"), so
// free text in a compact form (an action's WHAT, a response's COMMENT) can hold the separator.
std::vector<std::string> split_escaped(std::string_view s, char sep) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == sep) {
      out.back() += sep;
      ++i;
    } else if (s[i] == sep) {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

const Field& any_field() {
  static const Field any;
  return any;
}

bool is_index(std::string_view s) {
  return !s.empty() && s.size() < 10 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t to_index(std::string_view s) {
  std::size_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

std::string_view type_words(const Field& f) {
  switch (f.type) {
    case FieldType::Integer:
      return "an integer";
    case FieldType::Number:
      return "a number";
    case FieldType::Boolean:
      return "true or false";
    default:
      return "text";
  }
}

// Whether a present value satisfies one property's schema in a condition (const, enum).
bool property_holds(const Value& schema, const Value& v) {
  for (const Value::Entry& kw : schema.entries()) {
    if (kw.key == "const") {
      if (!(v == kw.value)) return false;
    } else if (kw.key == "enum") {
      const auto& opts = kw.value.items();
      if (std::find(opts.begin(), opts.end(), v) == opts.end()) return false;
    } else {
      return false;
    }
  }
  return true;
}

// Whether `doc` satisfies an `if` of the kinds' schemas. Only the shapes those use
// (required, and properties with const or enum) are understood; anything else is taken
// as not matching, so that an unknown condition never invents a required field.
bool condition_holds(const Value& cond, const Value& doc) {
  for (const Value::Entry& e : cond.entries()) {
    if (e.key == "required") {
      for (const Value& k : e.value.items())
        if (!k.is_string() || !doc.find(k.as_string())) return false;
    } else if (e.key == "properties") {
      for (const Value::Entry& p : e.value.entries()) {
        const Value* v = doc.find(p.key);  // JSON Schema: absent properties pass
        if (v && !property_holds(p.value, *v)) return false;
      }
    } else {
      return false;
    }
  }
  return true;
}

Value order_by(const Field* f, const Value& doc) {
  if (doc.is_sequence()) {
    Value out = Value::sequence(doc.mark());
    for (const Value& v : doc.items()) out.push_back(order_by(f ? f->items.get() : nullptr, v));
    return out;
  }
  if (!doc.is_mapping()) return doc;
  Value out = Value::mapping(doc.mark());
  for (const Value::Entry* e : in_field_order(f, doc))
    out.set(e->key, order_by(f ? child_field(*f, e->key) : nullptr, e->value), e->key_mark);
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == '_') c = '-';
  }
  return out;
}

Value& list_in(Value& doc, std::string_view key) {
  Value* list = doc.find(key);
  if (!list || !list->is_sequence()) list = &doc.set(std::string(key), Value::sequence());
  return *list;
}

void add_level_text(Value& doc, std::string_view text) { add_level(doc, parse_level(text)); }

// --service S adds S without levels, unless a --level already added it.
void add_service_text(Value& doc, std::string_view text) {
  std::string_view name = trim_blanks(text);
  if (name.empty())
    throw Error(ExitCode::Usage, "invalid --service '': expected the service's id or name");
  Value& services = list_in(doc, "services");
  for (const Value& s : services.items())
    if (const Value* v = s.find("service"); v && v->is_string() && v->as_string() == name) return;
  Value item = Value::mapping();
  item.set("service", Value::string(std::string(name)));
  services.push_back(std::move(item));
}

void add_response_text(Value& doc, std::string_view text) {
  SurveyResponse r = parse_response(text);
  Value item = Value::mapping();
  item.set("customer", Value::string(r.customer));
  item.set("score", Value::integer(r.score));
  if (!r.comment.empty()) item.set("comment", Value::string(r.comment));
  list_in(doc, "responses").push_back(std::move(item));
}

void add_question_text(Value& doc, std::string_view text) {
  SurveyQuestion q = parse_question(text);
  Value item = Value::mapping();
  item.set("id", Value::string(q.id));
  if (!q.text.empty()) item.set("text", Value::string(q.text));
  list_in(doc, "questions").push_back(std::move(item));
}

}  // namespace

const Field& field_at(KindId kind, std::string_view path) {
  const Field* at = &record_field(kind);
  std::string walked;
  for (std::string_view seg : split(path, '.')) {
    std::string here = dotted_child(walked, seg);
    if (seg.empty()) throw Error(ExitCode::Usage, fmt::format("'{}' is not a field path", path));
    if (at->type == FieldType::Array) {
      if (!is_index(seg))
        throw Error(ExitCode::Usage,
                    fmt::format("'{}' is a list: follow it with an item number, e.g. {}.0", walked,
                                walked));
      at = at->items ? at->items.get() : &any_field();
    } else if (at->type == FieldType::Object) {
      if (const Field* p = at->property(seg)) {
        at = p;
      } else if (at->free_form) {
        at = at->additional ? at->additional.get() : &any_field();
      } else {
        std::vector<std::string_view> names;
        for (const Field& p2 : at->properties) names.push_back(p2.name);
        std::string_view near = closest_match(seg, names);
        std::string where = walked.empty() ? std::string(kind_of(kind).name) : "'" + walked + "'";
        throw Error(ExitCode::Usage,
                    fmt::format("unknown field '{}' in {}{}", here, where,
                                near.empty() ? std::string()
                                             : fmt::format(" (did you mean '{}'?)",
                                                           dotted_child(walked, near))));
      }
    } else if (at->type != FieldType::Any) {
      throw Error(ExitCode::Usage,
                  fmt::format("'{}' has no fields: it holds {}", walked, type_words(*at)));
    }
    walked = std::move(here);
  }
  return *at;
}

namespace {

// A value typed in YAML quotes ('"4411"') is that text: the quotes say "a string", they are
// not part of it. Anything else, or quotes that do not parse, is taken as it is.
std::optional<std::string> quoted_scalar(std::string_view text) {
  if (text.size() < 2 || (text.front() != '"' && text.front() != '\'') ||
      text.back() != text.front())
    return std::nullopt;
  Value v;
  Diagnostics ignored;
  if (!parse_yaml(text, "", &v, &ignored) || !v.is_string()) return std::nullopt;
  return v.as_string();
}

// The field at a dotted path of a schema tree, or null: no message, no "did you mean".
const Field* find_field(const Field& root, std::string_view path) {
  const Field* at = &root;
  for (std::string_view seg : split(path, '.'))
    if (!(at = child_field(*at, seg))) return nullptr;
  return at;
}

// The field the schemas in effect describe at a path: the built-in one, or where that leaves
// the type open (extra, answers) the repository's own schema's, so "4411" is stored as the
// string or the number the repository asks for.
Field field_in_effect(KindId kind, std::string_view path, const Value* own_schema) {
  const Field& builtin = field_at(kind, path);  // checks the whole path first
  if (builtin.type != FieldType::Any || !own_schema) return builtin;
  Field own = own_schema_field(*own_schema);
  const Field* mine = find_field(own, path);
  return mine && mine->type != FieldType::Any ? *mine : builtin;
}

}  // namespace

Value typed_value(const Field& f, std::string_view raw, std::string_view subject) {
  std::optional<std::string> unquoted = quoted_scalar(raw);
  std::string_view text = unquoted ? std::string_view(*unquoted) : raw;
  if (unquoted && f.type == FieldType::Any) return Value::string(*unquoted);
  auto bad = [&](std::string_view expected) -> Error {
    return Error(ExitCode::Usage,
                 fmt::format("invalid value '{}' for {}: expected {}", text, subject, expected));
  };
  switch (f.type) {
    case FieldType::Any:
      return resolve_plain_scalar(text, {});
    case FieldType::String:
      if (!f.choices.empty() &&
          std::find(f.choices.begin(), f.choices.end(), text) == f.choices.end())
        throw bad(fmt::format("one of {}", join(f.choices, ", ")));
      // Checked here so that a bad date names its flag, not a file not yet written.
      if (f.is_date && !Date::parse(text)) throw bad("a date YYYY-MM-DD");
      return Value::string(std::string(text));
    case FieldType::Integer: {
      Value v = resolve_plain_scalar(trim_blanks(text), {});
      if (v.type() != Value::Type::Int) throw bad("an integer");
      return v;
    }
    case FieldType::Number: {
      Value v = resolve_plain_scalar(trim_blanks(text), {});
      if (!v.is_number() || !std::isfinite(v.as_double())) throw bad("a number");
      return v;
    }
    case FieldType::Boolean: {
      Value v = resolve_plain_scalar(trim_blanks(text), {});
      if (!v.is_bool()) throw bad("true or false");
      return v;
    }
    case FieldType::Object: {
      std::vector<std::string> names;
      for (const Field& p : f.properties) names.push_back(std::string(subject) + "." + p.name);
      throw Error(
          ExitCode::Usage,
          names.empty()
              ? fmt::format("{} holds fields of its own: set {}.KEY", subject, subject)
              : fmt::format("{} holds fields of its own: set {}", subject, join(names, ", ")));
    }
    case FieldType::Array:
      throw Error(ExitCode::Usage, fmt::format("{} is a list: set its items by number, e.g. {}.0",
                                               subject, subject));
  }
  return Value();
}

void set_path(KindId kind, Value& doc, std::string_view path, std::string_view text,
              const Value* own_schema) {
  Field leaf = field_in_effect(kind, path, own_schema);
  Value value = typed_value(leaf, text, path);
  std::vector<std::string_view> segs = split(path, '.');
  const Field* field = &record_field(kind);
  Value* at = &doc;
  std::string walked;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    std::string_view seg = segs[i];
    bool last = i + 1 == segs.size();
    // What the next step is: the field below this segment.
    const Field* next = child_field(*field, seg);
    if (!next) next = &any_field();
    Value fresh = next->type == FieldType::Array ? Value::sequence() : Value::mapping();
    if (last) fresh = value;
    std::string here = dotted_child(walked, seg);
    if (at->is_sequence()) {
      std::size_t n = to_index(seg);
      if (!is_index(seg) || n > at->items().size())
        throw Error(ExitCode::Usage,
                    fmt::format("there is no item {} in '{}': it has {} item{}", seg, walked,
                                at->items().size(), at->items().size() == 1 ? "" : "s"));
      if (n == at->items().size())
        at->push_back(std::move(fresh));
      else if (last)
        at->items()[n] = std::move(fresh);
      at = &at->items()[n];
    } else if (at->is_mapping()) {
      Value* child = at->find(seg);
      if (!child || last) child = &at->set(std::string(seg), std::move(fresh));
      at = child;
    } else {
      throw Error(ExitCode::Usage,
                  fmt::format("cannot set '{}': '{}' holds {}", path, walked, at->to_display()));
    }
    if (!last && !at->is_mapping() && !at->is_sequence())
      throw Error(ExitCode::Usage, fmt::format("cannot set '{}': '{}' holds '{}', not fields", path,
                                               here, at->to_display()));
    field = next;
    walked = std::move(here);
  }
}

void unset_path(Value& doc, std::string_view path) {
  std::vector<std::string_view> segs = split(path, '.');
  Value* at = &doc;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    std::string_view seg = segs[i];
    bool last = i + 1 == segs.size();
    Value* child = nullptr;
    if (at->is_sequence() && is_index(seg) && to_index(seg) < at->items().size())
      child = &at->items()[to_index(seg)];
    else if (at->is_mapping())
      child = at->find(seg);
    if (!child) throw Error(ExitCode::Usage, fmt::format("there is no '{}' to unset", path));
    if (last) {
      if (at->is_sequence())
        at->items().erase(at->items().begin() + static_cast<std::ptrdiff_t>(to_index(seg)));
      else
        at->erase(seg);
      return;
    }
    at = child;
  }
}

std::vector<std::string> missing_fields(KindId kind, const Value& doc) {
  const Field& root = record_field(kind);
  std::vector<std::string_view> required;
  for (const RequiredWhen& when : root.required_when)
    if (condition_holds(when.condition, doc))
      required.insert(required.end(), when.required.begin(), when.required.end());
  std::vector<std::string> out;
  for (const Field& p : root.properties) {
    bool wanted =
        p.required || std::find(required.begin(), required.end(), p.name) != required.end();
    if (wanted && !doc.find(p.name)) out.push_back(p.name);
  }
  return out;
}

Value in_schema_order(KindId kind, const Value& doc) { return order_by(&record_field(kind), doc); }

const std::vector<CompactForm>& compact_forms() {
  static const std::vector<CompactForm> forms = {
      {KindId::Agreement, "service", "SERVICE", "services",
       "A service the agreement covers (a services/ id when there is a catalogue), without "
       "levels unless --level gives them",
       add_service_text},
      {KindId::Agreement, "level", "SERVICE:METRIC=TARGET[UNIT]", "services",
       "A service level, e.g. email:availability=99.5% (UNIT: % h min d, none for a count); "
       "adds the service when it is not there yet",
       add_level_text},
      {KindId::Survey, "question", "ID=TEXT", "questions",
       "A question asked, e.g. overall=Overall satisfaction", add_question_text},
      {KindId::Survey, "response", "CUSTOMER=SCORE[;COMMENT]", "responses",
       "One respondent's overall score, e.g. anna-berg=4;Fast service desk", add_response_text},
  };
  return forms;
}

std::string generic_syntax(const Field& item) {
  std::string out;
  std::size_t optional = 0;
  for (const Field& p : item.properties) {
    if (!p.is_scalar()) continue;
    if (!out.empty()) {
      if (!p.required) {
        out += "[";
        ++optional;
      }
      out += ";";
    }
    out += upper(p.name);
  }
  return out + std::string(optional, ']');
}

Value parse_generic_item(const Field& item, std::string_view text, std::string_view flag) {
  std::vector<const Field*> fields;
  for (const Field& p : item.properties)
    if (p.is_scalar()) fields.push_back(&p);
  std::vector<std::string> parts = split_escaped(text, ';');
  auto bad = [&](std::string_view why) {
    return Error(ExitCode::Usage, fmt::format("invalid --{} '{}': {}; expected {}", flag, text, why,
                                              generic_syntax(item)));
  };
  if (parts.size() > fields.size())
    throw bad(fmt::format("{} parts where there are {} fields", parts.size(), fields.size()));
  Value out = Value::mapping();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string_view part = i < parts.size() ? trim_blanks(parts[i]) : std::string_view();
    if (part.empty()) {
      if (fields[i]->required) throw bad(fmt::format("{} is missing", upper(fields[i]->name)));
      continue;
    }
    out.set(fields[i]->name,
            typed_value(*fields[i], part, fmt::format("--{} {}", flag, upper(fields[i]->name))));
  }
  return out;
}

ServiceLevel parse_level(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Error(ExitCode::Usage,
                 fmt::format("invalid --level '{}': {}; expected SERVICE:METRIC=TARGET[UNIT], "
                             "e.g. email:availability=99.5%",
                             text, why));
  };
  auto colon = text.find(':');
  auto eq = text.rfind('=');
  if (colon == std::string_view::npos) throw bad("no ':' after the service");
  if (eq == std::string_view::npos || eq < colon) throw bad("no '=' before the target");
  ServiceLevel l;
  l.service = trim_blanks(text.substr(0, colon));
  l.metric = trim_blanks(text.substr(colon + 1, eq - colon - 1));
  if (l.service.empty()) throw bad("the service is missing");
  if (l.metric.empty()) throw bad("the metric is missing");
  std::string_view value = trim_blanks(text.substr(eq + 1));
  std::size_t n = 0;
  while (n < value.size() && ((value[n] >= '0' && value[n] <= '9') || value[n] == '.')) ++n;
  std::string_view number = value.substr(0, n);
  std::string_view unit = trim_blanks(value.substr(n));
  if (number.empty()) throw bad("the target is not a number");
  if (number.find('.') == std::string_view::npos) {
    std::int64_t i = 0;
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), i);
    if (ec != std::errc() || p != number.data() + number.size()) throw bad("the target is too big");
    l.target = Value::integer(i);
  } else {
    double d = 0;
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), d);
    if (ec != std::errc() || p != number.data() + number.size())
      throw bad("the target is not a number");
    l.target = Value::floating(d);
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> units = {
      {{"%", "percent"}, {"h", "hours"}, {"min", "minutes"}, {"d", "days"}, {"", "count"}}};
  auto u = std::find_if(units.begin(), units.end(), [&](const auto& p) { return p.first == unit; });
  if (u == units.end())
    throw bad(fmt::format("unknown unit '{}' (use % h min d, or none for a count)", unit));
  l.unit = u->second;
  return l;
}

void add_level(Value& doc, const ServiceLevel& level) {
  Value& services = list_in(doc, "services");
  Value* item = nullptr;
  for (Value& s : services.items())
    if (const Value* name = s.find("service");
        name && name->is_string() && name->as_string() == level.service)
      item = &s;
  if (!item) {
    Value fresh = Value::mapping();
    fresh.set("service", Value::string(level.service));
    services.push_back(std::move(fresh));
    item = &services.items().back();
  }
  Value entry = Value::mapping();
  entry.set("metric", Value::string(level.metric));
  entry.set("target", level.target);
  entry.set("unit", Value::string(level.unit));
  list_in(*item, "levels").push_back(std::move(entry));
}

SurveyResponse parse_response(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Error(ExitCode::Usage,
                 fmt::format("invalid --response '{}': {}; expected CUSTOMER=SCORE[;COMMENT], "
                             "e.g. anna-berg=4",
                             text, why));
  };
  auto eq = text.find('=');
  if (eq == std::string_view::npos) throw bad("no '=' after the customer");
  SurveyResponse r;
  r.customer = trim_blanks(text.substr(0, eq));
  if (r.customer.empty()) throw bad("the customer is missing");
  std::string_view rest = text.substr(eq + 1);
  // Only the first unescaped ';' ends the score; the comment keeps any further ';'.
  std::size_t semi = rest.find(';');
  std::string_view score = trim_blanks(rest.substr(0, semi));
  if (semi != std::string_view::npos) {
    std::vector<std::string> comment = split_escaped(rest.substr(semi + 1), ';');
    r.comment = trim_blanks(join(comment, ";"));
  }
  auto [p, ec] = std::from_chars(score.data(), score.data() + score.size(), r.score);
  if (score.empty() || ec != std::errc() || p != score.data() + score.size())
    throw bad("the score is not a whole number");
  return r;
}

SurveyQuestion parse_question(std::string_view text) {
  auto eq = text.find('=');
  SurveyQuestion q;
  q.id = trim_blanks(text.substr(0, eq));
  if (eq != std::string_view::npos) q.text = trim_blanks(text.substr(eq + 1));
  if (q.id.empty())
    throw Error(ExitCode::Usage,
                fmt::format("invalid --question '{}': the id is missing; expected ID=TEXT, "
                            "e.g. overall=Overall satisfaction",
                            text));
  return q;
}

}  // namespace brm

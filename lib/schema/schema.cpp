// JSON Schema draft 2020-12: a registry of schema documents by URI, a compiler from
// schema documents to a flat table of nodes, and a validator over that table.
//
// Compiling resolves every $ref to a node index once, so validation never looks a
// keyword up by name and never touches a URI. $dynamicRef keeps its candidates (the
// $dynamicAnchor of each resource) and picks one from the dynamic scope at run time.
// Validation is const: all state lives in a Validator on the caller's stack.
//
// Rule ids of the findings (stable: users filter on them), with the keywords that
// produce them and a typical message:
//
//   wrong-type       type
//                    expected a string, got an integer
//   missing-field    required, dependentRequired (at the mapping's position)
//                    missing required field 'name'
//   unknown-field    additionalProperties: false, unevaluatedProperties: false (at the key)
//                    unknown field 'emial' (did you mean 'email'?)
//   forbidden-field  a member of properties/patternProperties whose schema is false
//                    field 'closed' is not allowed here
//   bad-value        enum, const, minLength, maxLength, pattern, multipleOf
//                    expected one of customer, purchaser, got 'custommer'
//   bad-date         format: date
//                    expected a date YYYY-MM-DD, got '03/04/2026'
//                    2026-02-30 is not a date that exists
//   bad-email        format: email
//                    expected an email address, got 'anna'
//   bad-format       every other format
//                    expected a UUID, got 'x'
//   out-of-range     minimum, maximum, exclusiveMinimum, exclusiveMaximum
//                    must be >= 0, got -5
//   bad-count        minItems, maxItems, minProperties, maxProperties, contains,
//                    minContains, maxContains, items: false
//                    needs at least 1 item, got 0
//   schema           everything else: not, oneOf matching twice, uniqueItems, false
//                    schemas, unevaluatedItems, reference loops, nesting too deep
//
// `x-brm-message` (a string) on a schema replaces the messages of that schema's own
// failures with one finding saying it; failures deeper in the instance keep theirs.
// For anyOf/oneOf with no matching branch the findings of the branch that came closest
// are reported, since "matches none of the alternatives" tells a person nothing.
#include "brm/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <mutex>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "brm/diagnostic.hpp"
#include "brm/embedded.hpp"
#include "brm/error.hpp"
#include "brm/json.hpp"
#include "brm/json_pointer.hpp"
#include "brm/utf8.hpp"
#include "schema_format.hpp"
#include "schema_regex.hpp"
#include "schema_unicode.hpp"

namespace brm {
namespace {

// Deeper than this, validation stops with a finding instead of risking the stack.
constexpr int kMaxDepth = 512;
// Schemas can make evaluation exponential (anyOf inside anyOf inside anyOf, each level
// a $ref to the next); past this many steps on one document validation gives up with a
// finding. Real records need a few hundred.
constexpr std::uint64_t kMaxSteps = 5'000'000;

constexpr std::string_view kMetaSchemaUri = "https://json-schema.org/draft/2020-12/schema";

// ---------------------------------------------------------------------------------------
// URIs (RFC 3986)

struct UriParts {
  std::string scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

UriParts parse_uri(std::string_view s) {
  UriParts u;
  std::size_t colon = s.find(':');
  if (colon != std::string_view::npos && colon > 0 && s.find_first_of("/?#") > colon) {
    bool ok = std::isalpha(static_cast<unsigned char>(s[0])) != 0;
    for (char c : s.substr(0, colon)) {
      ok = ok &&
           (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.');
    }
    if (ok) {
      u.has_scheme = true;
      u.scheme = s.substr(0, colon);
      s.remove_prefix(colon + 1);
    }
  }
  if (std::size_t hash = s.find('#'); hash != std::string_view::npos) {
    u.has_fragment = true;
    u.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  if (std::size_t q = s.find('?'); q != std::string_view::npos) {
    u.has_query = true;
    u.query = s.substr(q + 1);
    s = s.substr(0, q);
  }
  if (s.substr(0, 2) == "//") {
    u.has_authority = true;
    std::size_t slash = s.find('/', 2);
    u.authority = s.substr(2, slash == std::string_view::npos ? slash : slash - 2);
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  u.path = s;
  return u;
}

std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      std::size_t last = out.rfind('/');
      out.erase(last == std::string::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      std::size_t next = in.find('/', in[0] == '/' ? 1 : 0);
      std::string_view seg = in.substr(0, next);
      out += seg;
      in.remove_prefix(seg.size());
    }
  }
  return out;
}

std::string recompose(const UriParts& u) {
  std::string out;
  if (u.has_scheme) out += u.scheme + ":";
  if (u.has_authority) out += "//" + u.authority;
  out += u.path;
  if (u.has_query) out += "?" + u.query;
  if (u.has_fragment) out += "#" + u.fragment;
  return out;
}

// RFC 3986 section 5.2.2.
std::string resolve_uri(std::string_view base, std::string_view ref) {
  UriParts r = parse_uri(ref);
  if (r.has_scheme) {
    r.path = remove_dot_segments(r.path);
    return recompose(r);
  }
  UriParts b = parse_uri(base);
  UriParts t;
  t.has_scheme = b.has_scheme;
  t.scheme = b.scheme;
  if (r.has_authority) {
    t.has_authority = true;
    t.authority = r.authority;
    t.path = remove_dot_segments(r.path);
    t.has_query = r.has_query;
    t.query = r.query;
  } else {
    t.has_authority = b.has_authority;
    t.authority = b.authority;
    if (r.path.empty()) {
      t.path = b.path;
      t.has_query = r.has_query || b.has_query;
      t.query = r.has_query ? r.query : b.query;
    } else {
      if (r.path[0] == '/') {
        t.path = remove_dot_segments(r.path);
      } else {
        std::string merged;
        if (b.has_authority && b.path.empty()) {
          merged = "/" + r.path;
        } else {
          std::size_t slash = b.path.rfind('/');
          merged =
              (slash == std::string::npos ? std::string() : b.path.substr(0, slash + 1)) + r.path;
        }
        t.path = remove_dot_segments(merged);
      }
      t.has_query = r.has_query;
      t.query = r.query;
    }
  }
  t.has_fragment = r.has_fragment;
  t.fragment = r.fragment;
  return recompose(t);
}

// The URI without its fragment, and the fragment.
std::pair<std::string, std::string> split_fragment(std::string_view uri) {
  std::size_t hash = uri.find('#');
  if (hash == std::string_view::npos) return {std::string(uri), {}};
  return {std::string(uri.substr(0, hash)), std::string(uri.substr(hash + 1))};
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Vocabularies: which keywords a schema's dialect gives meaning to.

enum Vocab : std::uint8_t {
  kCore = 1,
  kApplicator = 2,
  kUnevaluated = 4,
  kValidation = 8,
  kFormatAssertion = 16,
  // Not a vocabulary: the schema is written for draft 2019-09 or older, where `items`
  // may be a list (today's prefixItems) and `additionalItems` follows it.
  kLegacyItems = 32,
};
constexpr std::uint8_t kDefaultVocabs = kCore | kApplicator | kUnevaluated | kValidation;

}  // namespace

// ---------------------------------------------------------------------------------------
// The registry

namespace {

// A schema resource: a document root or a subschema with its own $id.
struct Resource {
  std::string uri;  // absolute, without fragment
  const Value* root = nullptr;
  std::string meta_schema;  // the $schema in force, resolved
  std::unordered_map<std::string, const Value*> anchors;
  std::unordered_map<std::string, const Value*> dynamic_anchors;
};

// Keywords whose value is a schema, a map of schemas, or an array of schemas: the only
// places an $id or $anchor counts (one inside `enum` or an unknown keyword does not).
enum class Holds { Schema, SchemaMap, SchemaArray, SchemaOrArray };

const std::unordered_map<std::string_view, Holds>& subschema_keywords() {
  static const std::unordered_map<std::string_view, Holds> kKeywords = {
      {"$defs", Holds::SchemaMap},
      {"definitions", Holds::SchemaMap},
      {"properties", Holds::SchemaMap},
      {"patternProperties", Holds::SchemaMap},
      {"dependentSchemas", Holds::SchemaMap},
      {"additionalProperties", Holds::Schema},
      {"propertyNames", Holds::Schema},
      {"unevaluatedProperties", Holds::Schema},
      {"unevaluatedItems", Holds::Schema},
      {"items", Holds::SchemaOrArray},
      {"additionalItems", Holds::Schema},
      {"dependencies", Holds::SchemaMap},
      {"prefixItems", Holds::SchemaArray},
      {"contains", Holds::Schema},
      {"allOf", Holds::SchemaArray},
      {"anyOf", Holds::SchemaArray},
      {"oneOf", Holds::SchemaArray},
      {"not", Holds::Schema},
      {"if", Holds::Schema},
      {"then", Holds::Schema},
      {"else", Holds::Schema},
  };
  return kKeywords;
}

}  // namespace

struct SchemaRegistry::Impl {
  std::deque<std::unique_ptr<Value>> documents;  // owned; addresses never move
  std::deque<Resource> resources;
  std::unordered_map<std::string, Resource*> by_uri;
  std::unordered_map<const Value*, Resource*> resource_of;
  int anonymous = 0;
  std::mutex mutex;  // the public calls may come from several threads

  Resource* new_resource(std::string uri, const Value* root, std::string meta) {
    resources.push_back(Resource{uri, root, std::move(meta), {}, {}});
    Resource* r = &resources.back();
    by_uri[std::move(uri)] = r;
    return r;
  }

  // Records every subschema of `schema` under its resource, with $id, $anchor and
  // $dynamicAnchor; `res` is the resource that contains `schema`.
  void index(const Value& schema, Resource* res, int depth) {
    if (depth > kMaxDepth) fail(ExitCode::DataErrors, "the schema is nested too deeply");
    if (!schema.is_mapping()) {
      resource_of[&schema] = res;
      return;
    }
    if (const Value* id = schema.find("$id");
        id != nullptr && id->is_string() && res->root != &schema) {
      std::string uri = split_fragment(resolve_uri(res->uri, id->as_string())).first;
      std::string meta = res->meta_schema;
      if (const Value* s = schema.find("$schema"); s != nullptr && s->is_string()) {
        meta = split_fragment(resolve_uri(uri, s->as_string())).first;
      }
      // An $id of only a fragment (older drafts' anchors) names no new resource.
      if (uri != res->uri) res = new_resource(uri, &schema, meta);
    }
    resource_of[&schema] = res;
    if (const Value* a = schema.find("$anchor"); a != nullptr && a->is_string()) {
      res->anchors[a->as_string()] = &schema;
    }
    if (const Value* a = schema.find("$dynamicAnchor"); a != nullptr && a->is_string()) {
      res->anchors[a->as_string()] = &schema;
      res->dynamic_anchors[a->as_string()] = &schema;
    }
    const auto& keywords = subschema_keywords();
    for (const Value::Entry& e : schema.entries()) {
      auto it = keywords.find(e.key);
      if (it == keywords.end()) continue;
      const Value& v = e.value;
      bool as_map = it->second == Holds::SchemaMap && v.is_mapping();
      bool as_array = (it->second == Holds::SchemaArray || it->second == Holds::SchemaOrArray) &&
                      v.is_sequence();
      if (as_map) {
        for (const Value::Entry& sub : v.entries()) index(sub.value, res, depth + 1);
      } else if (as_array) {
        for (const Value& sub : v.items()) index(sub, res, depth + 1);
      } else if (it->second == Holds::Schema || it->second == Holds::SchemaOrArray) {
        index(v, res, depth + 1);
      }
    }
  }

  // What `ref` names, resolved against `base_uri`, with the base URI of the resource it
  // lands in; nullptr and `problem` when nothing is known there. The one resolver of $refs:
  // the compiler and the schema model (brm/schema_model.hpp) both ask it.
  const Value* lookup(std::string_view base_uri, std::string_view ref, std::string* target_base,
                      std::string* problem) {
    auto [uri, fragment] = split_fragment(resolve_uri(base_uri, ref));
    auto it = by_uri.find(uri);
    if (it == by_uri.end()) {
      *problem = fmt::format("cannot resolve $ref '{}': no schema is known as {}", ref, uri);
      return nullptr;
    }
    Resource* res = it->second;
    std::string decoded = percent_decode(fragment);
    const Value* target = nullptr;
    if (is_pointer(decoded)) {
      target = follow_pointer(res->root, decoded);
    } else if (auto anchor = res->anchors.find(decoded); anchor != res->anchors.end()) {
      target = anchor->second;
    }
    if (target == nullptr) {
      *problem = fmt::format("cannot resolve $ref '{}': {} has no #{}", ref, uri, fragment);
      return nullptr;
    }
    // A pointer into a place the index did not walk (an unknown keyword) still works;
    // such a subschema belongs to the resource the pointer started from.
    auto known = resource_of.find(target);
    if (known == resource_of.end()) index(*target, res, 0);
    if (target_base) *target_base = resource_of[target]->uri;
    return target;
  }

  const Value* store(std::string uri, Value document) {
    documents.push_back(std::make_unique<Value>(std::move(document)));
    const Value* doc = documents.back().get();
    uri = split_fragment(uri).first;
    std::string base = uri;
    if (doc->is_mapping()) {
      if (const Value* id = doc->find("$id"); id != nullptr && id->is_string()) {
        base = split_fragment(resolve_uri(uri, id->as_string())).first;
      }
    }
    std::string meta(kMetaSchemaUri);
    if (doc->is_mapping()) {
      if (const Value* s = doc->find("$schema"); s != nullptr && s->is_string()) {
        meta = split_fragment(resolve_uri(base, s->as_string())).first;
      }
    }
    Resource* res = new_resource(base, doc, meta);
    if (!uri.empty() && uri != base) by_uri[uri] = res;  // retrievable under both
    index(*doc, res, 0);
    return doc;
  }
};

SchemaRegistry::SchemaRegistry() : impl_(std::make_unique<Impl>()) {
  for (const EmbeddedFile& f : embedded_files()) {
    if (!f.path.starts_with("schema/meta/") || !f.path.ends_with(".json")) continue;
    Value doc;
    JsonError error;
    if (!parse_json(f.content, &doc, &error)) {
      fail(ExitCode::DataErrors, fmt::format("built-in meta-schema {}:{}:{}: {}", f.path,
                                             error.mark.line, error.mark.column, error.message));
    }
    const Value* id = doc.find("$id");
    std::string uri = id != nullptr && id->is_string() ? id->as_string() : std::string(f.path);
    impl_->store(std::move(uri), std::move(doc));
  }
}

SchemaRegistry::~SchemaRegistry() = default;

void SchemaRegistry::add(std::string uri, Value document) {
  std::lock_guard lock(impl_->mutex);
  impl_->store(std::move(uri), std::move(document));
}

const Value* SchemaRegistry::resolve(std::string_view base_uri, std::string_view ref,
                                     std::string* target_base) {
  std::lock_guard lock(impl_->mutex);
  std::string problem;
  return impl_->lookup(base_uri, ref, target_base, &problem);
}

// ---------------------------------------------------------------------------------------
// Compiled nodes

namespace {

// A number as the schema wrote it: int64 when it was one, so that comparisons with
// integer instances stay exact beyond 2^53.
struct Number {
  bool is_int = false;
  std::int64_t i = 0;
  double d = 0.0;

  static Number of(const Value& v) {
    Number n;
    n.is_int = v.type() == Value::Type::Int;
    n.i = v.as_int();
    n.d = v.as_double();
    return n;
  }
  long double exact() const {
    return is_int ? static_cast<long double>(i) : static_cast<long double>(d);
  }
  std::string display() const { return is_int ? fmt::format("{}", i) : fmt::format("{}", d); }
};

// -1, 0, 1. long double holds every int64 and every double exactly, so an int64
// instance against a double bound compares without rounding.
int compare(const Value& v, const Number& n) {
  long double a = v.type() == Value::Type::Int ? static_cast<long double>(v.as_int())
                                               : static_cast<long double>(v.as_double());
  long double b = n.exact();
  return a < b ? -1 : (a > b ? 1 : 0);
}

bool is_multiple_of(const Value& v, const Number& m) {
  if (v.type() == Value::Type::Int && m.is_int) {
    if (m.i == 0) return false;
    if (m.i == -1) return true;
    return v.as_int() % m.i == 0;
  }
  double x = v.as_double(), d = m.d;
  if (d == 0.0 || !std::isfinite(x)) return false;
  double q = x / d;
  // A quotient too big for a double: fmod is exact, so a zero remainder is trustworthy.
  if (!std::isfinite(q)) return std::fmod(x, d) == 0.0;
  // Beyond 2^53 every double is an integer: any finite quotient there is whole.
  if (std::fabs(q) >= 9007199254740992.0) return true;
  // 0.0075 / 0.0001 is 74.99999999999999 in binary floating point; a few ulps of slack
  // accept what the decimal numbers mean, and 0.00751 / 0.0001 = 75.1 stays out.
  double r = std::nearbyint(q);
  return std::fabs(q - r) <=
         8 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(q));
}

enum TypeBit : std::uint8_t {
  kNull = 1,
  kBoolean = 2,
  kInteger = 4,
  kNumber = 8,
  kString = 16,
  kArray = 32,
  kObject = 64,
};

std::uint8_t type_bit(std::string_view name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "integer") return kInteger;
  if (name == "number") return kNumber;
  if (name == "string") return kString;
  if (name == "array") return kArray;
  if (name == "object") return kObject;
  return 0;
}

bool type_matches(std::uint8_t mask, const Value& v) {
  switch (v.type()) {
    case Value::Type::Null:
      return (mask & kNull) != 0;
    case Value::Type::Bool:
      return (mask & kBoolean) != 0;
    case Value::Type::Int:
      return (mask & (kInteger | kNumber)) != 0;
    case Value::Type::Float:
      return (mask & kNumber) != 0 || ((mask & kInteger) != 0 && v.is_integral());
    case Value::Type::String:
      return (mask & kString) != 0;
    case Value::Type::Sequence:
      return (mask & kArray) != 0;
    case Value::Type::Mapping:
      return (mask & kObject) != 0;
  }
  return false;
}

// Type names as a YAML user knows them: a sequence is a list, a mapping a mapping.
std::string_view type_phrase(std::uint8_t bit) {
  switch (bit) {
    case kNull:
      return "null";
    case kBoolean:
      return "a boolean";
    case kInteger:
      return "an integer";
    case kNumber:
      return "a number";
    case kString:
      return "a string";
    case kArray:
      return "a list";
    default:
      return "a mapping";
  }
}

std::string_view type_phrase_of(const Value& v) {
  switch (v.type()) {
    case Value::Type::Null:
      return "null";
    case Value::Type::Bool:
      return "a boolean";
    case Value::Type::Int:
      return "an integer";
    case Value::Type::Float:
      return v.is_integral() ? "an integer" : "a number";
    case Value::Type::String:
      return "a string";
    case Value::Type::Sequence:
      return "a list";
    case Value::Type::Mapping:
      return "a mapping";
  }
  return "a value";
}

std::string join_alternatives(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " or " : ", ";
    out += parts[i];
  }
  return out;
}

// Text in quotes for a message: control characters escaped, so that a finding stays on
// one line, and long text cut.
std::string quoted(std::string_view s) {
  constexpr std::size_t kLimit = 80;
  std::string out = "'";
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++count > kLimit) {
      out += "...";
      break;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

// The instance as a message shows it after "got".
std::string got(const Value& v) {
  if (v.is_string()) return quoted(v.as_string());
  if (v.is_sequence() || v.is_mapping()) return std::string(type_phrase_of(v));
  return v.to_display();
}

// A schema value as a message lists it: strings bare in lists, quoted alone.
std::string listed(const Value& v) { return v.is_string() ? v.as_string() : v.to_display(); }

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

struct DynamicRef {
  int target = -1;     // the statically resolved node
  std::string anchor;  // non-empty when the target bookends a $dynamicAnchor of this name
};

// One schema object, compiled: keyword values parsed once, subschemas as indices into
// the node table; -1 or empty means the keyword is absent.
struct Node {
  bool always_false = false;
  bool trivially_true = false;  // no keywords that assert or apply anything
  bool needs_annotations = false;
  std::uint8_t types = 0;  // TypeBit mask; 0 when there is no `type`
  int resource = 0;

  std::unique_ptr<Value> const_value;
  std::vector<Value> enum_values;
  bool has_enum = false;

  std::uint8_t bounds = 0;  // which of the four below are present
  Number minimum, maximum, exclusive_minimum, exclusive_maximum;
  bool has_multiple_of = false;
  Number multiple_of;

  std::int64_t min_length = -1, max_length = -1;
  std::unique_ptr<EcmaRegex> pattern;
  Format format = Format::Unknown;

  std::int64_t min_items = -1, max_items = -1;
  bool unique_items = false;
  int contains = -1;
  std::int64_t min_contains = 1, max_contains = -1;
  std::vector<int> prefix_items;
  int items = -1;
  int unevaluated_items = -1;

  std::int64_t min_properties = -1, max_properties = -1;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;
  std::vector<std::pair<std::string, int>> properties;  // sorted by name
  std::vector<std::pair<std::unique_ptr<EcmaRegex>, int>> pattern_properties;
  int additional_properties = -1;
  int property_names = -1;
  std::vector<std::pair<std::string, int>> dependent_schemas;
  int unevaluated_properties = -1;
  std::vector<std::string_view> known_names;  // for "did you mean" under unevaluatedProperties

  int ref = -1;
  DynamicRef dynamic_ref;
  std::vector<int> all_of, any_of, one_of;
  int not_ = -1, if_ = -1, then_ = -1, else_ = -1;

  std::string message;  // x-brm-message
};

enum Bound : std::uint8_t {
  kMinimum = 1,
  kMaximum = 2,
  kExclusiveMinimum = 4,
  kExclusiveMaximum = 8
};

struct CompiledResource {
  std::vector<std::pair<std::string, int>> dynamic_anchors;
};

}  // namespace

struct CompiledSchema::Impl {
  std::vector<Node> nodes;
  std::vector<CompiledResource> resources;
  int root = 0;
};

// ---------------------------------------------------------------------------------------
// The compiler

namespace {

class Compiler {
 public:
  Compiler(SchemaRegistry::Impl& registry, CompiledSchema::Impl& out, SchemaOptions options)
      : registry_(registry), out_(out), options_(options) {}

  void run(const Value* root, const std::string& where) {
    out_.root = node_for(root, where);
    while (!pending_.empty()) {
      Pending p = std::move(pending_.back());
      pending_.pop_back();
      Node node = compile(*p.schema, p.where);
      out_.nodes[static_cast<std::size_t>(p.index)] = std::move(node);
    }
    for (Node& n : out_.nodes) {
      if (n.unevaluated_properties >= 0) {
        std::unordered_set<int> seen;
        collect_names(n, &n.known_names, &seen);
      }
    }
  }

 private:
  struct Pending {
    int index;
    const Value* schema;
    std::string where;
  };

  [[noreturn]] void broken(const std::string& where, const std::string& what) {
    fail(ExitCode::DataErrors, fmt::format("schema {}: {}", where, what));
  }

  Resource* resource_of(const Value* schema) {
    auto it = registry_.resource_of.find(schema);
    return it == registry_.resource_of.end() ? nullptr : it->second;
  }

  int node_for(const Value* schema, std::string where) {
    auto it = node_of_.find(schema);
    if (it != node_of_.end()) return it->second;
    int index = static_cast<int>(out_.nodes.size());
    out_.nodes.emplace_back();
    node_of_[schema] = index;
    pending_.push_back(Pending{index, schema, std::move(where)});
    return index;
  }

  int resource_index(Resource* r) {
    auto it = resource_index_.find(r);
    if (it != resource_index_.end()) return it->second;
    int index = static_cast<int>(out_.resources.size());
    out_.resources.emplace_back();
    resource_index_[r] = index;
    // A $dynamicRef may land on any $dynamicAnchor of a resource in the dynamic scope,
    // so all of them are compiled up front.
    std::vector<std::pair<std::string, int>> anchors;
    for (const auto& [name, schema] : r->dynamic_anchors) {
      anchors.emplace_back(name, node_for(schema, r->uri + "#" + name));
    }
    std::sort(anchors.begin(), anchors.end());
    out_.resources[static_cast<std::size_t>(index)].dynamic_anchors = std::move(anchors);
    return index;
  }

  std::uint8_t vocabularies(const std::string& meta_uri, const std::string& where) {
    auto cached = vocab_cache_.find(meta_uri);
    if (cached != vocab_cache_.end()) return cached->second;
    std::uint8_t mask = kDefaultVocabs;
    if (meta_uri == "https://json-schema.org/draft/2019-09/schema" ||
        meta_uri.starts_with("http://json-schema.org/draft-0")) {
      mask |= kLegacyItems;
    }
    auto it = registry_.by_uri.find(meta_uri);
    const Value* vocab =
        it == registry_.by_uri.end() ? nullptr : it->second->root->find("$vocabulary");
    if (vocab != nullptr && vocab->is_mapping()) {
      mask = 0;
      static const std::pair<std::string_view, std::uint8_t> kKnown[] = {
          {"https://json-schema.org/draft/2020-12/vocab/core", kCore},
          {"https://json-schema.org/draft/2020-12/vocab/applicator", kApplicator},
          {"https://json-schema.org/draft/2020-12/vocab/unevaluated", kUnevaluated},
          {"https://json-schema.org/draft/2020-12/vocab/validation", kValidation},
          {"https://json-schema.org/draft/2020-12/vocab/format-assertion", kFormatAssertion},
          {"https://json-schema.org/draft/2020-12/vocab/format-annotation", 0},
          {"https://json-schema.org/draft/2020-12/vocab/meta-data", 0},
          {"https://json-schema.org/draft/2020-12/vocab/content", 0},
      };
      for (const Value::Entry& e : vocab->entries()) {
        auto known = std::find_if(std::begin(kKnown), std::end(kKnown),
                                  [&](const auto& k) { return k.first == e.key; });
        if (known != std::end(kKnown)) {
          mask |= known->second;
        } else if (e.value.is_bool() && e.value.as_bool()) {
          broken(
              where,
              fmt::format("the meta-schema {} requires the vocabulary {}, which brm does not know",
                          meta_uri, e.key));
        }
      }
      mask |= kCore;
    }
    vocab_cache_[meta_uri] = mask;
    return mask;
  }

  // Resolves a $ref or $dynamicRef value against the base URI of the schema holding it.
  const Value* resolve(Resource* base, const std::string& ref, const std::string& where) {
    std::string problem;
    const Value* target = registry_.lookup(base->uri, ref, nullptr, &problem);
    if (target == nullptr) broken(where, problem);
    return target;
  }

  std::int64_t count(const Value& v, std::string_view keyword, const std::string& where) {
    if (!v.is_number() || !v.is_integral() || v.as_double() < 0) {
      broken(where, fmt::format("'{}' must be a non-negative integer", keyword));
    }
    if (v.type() == Value::Type::Float) {
      return v.as_double() >= 9.2e18 ? std::numeric_limits<std::int64_t>::max()
                                     : static_cast<std::int64_t>(v.as_double());
    }
    return v.as_int();
  }

  Number number(const Value& v, std::string_view keyword, const std::string& where) {
    if (!v.is_number()) broken(where, fmt::format("'{}' must be a number", keyword));
    return Number::of(v);
  }

  std::vector<std::string> strings(const Value& v, std::string_view keyword,
                                   const std::string& where) {
    if (!v.is_sequence()) broken(where, fmt::format("'{}' must be a list of strings", keyword));
    std::vector<std::string> out;
    for (const Value& s : v.items()) {
      if (!s.is_string()) broken(where, fmt::format("'{}' must be a list of strings", keyword));
      out.push_back(s.as_string());
    }
    return out;
  }

  std::vector<int> schema_list(const Value& v, std::string_view keyword, const std::string& where) {
    if (!v.is_sequence() || v.items().empty()) {
      broken(where, fmt::format("'{}' must be a non-empty list of schemas", keyword));
    }
    std::vector<int> out;
    for (std::size_t i = 0; i < v.items().size(); ++i) {
      out.push_back(subschema(v.items()[i], fmt::format("{}/{}/{}", where, keyword, i)));
    }
    return out;
  }

  int subschema(const Value& v, std::string where) {
    if (!v.is_mapping() && !v.is_bool()) broken(where, "a schema must be a mapping or a boolean");
    return node_for(&v, std::move(where));
  }

  // What compiling one keyword needs: the node it fills, where it stands, the dialect.
  struct KeywordSite {
    Node& n;
    Resource* res;
    const std::string& where;  // the schema's location
    std::uint8_t vocab;
    std::string at;                           // the keyword's location
    const Value* additional_items = nullptr;  // legacy: applies once prefixItems is known
  };
  // Compiles one keyword into the node; false when it asserts and applies nothing.
  using KeywordCompiler = bool (Compiler::*)(KeywordSite&, const std::string&, const Value&);
  struct KeywordRule {
    std::uint8_t vocab;  // the vocabulary that gives the keyword meaning; 0: always
    KeywordCompiler compile;
  };

  static const std::unordered_map<std::string_view, KeywordRule>& keyword_rules() {
    static const std::unordered_map<std::string_view, KeywordRule> kRules = {
        {"$ref", {0, &Compiler::compile_ref}},
        {"$dynamicRef", {0, &Compiler::compile_dynamic_ref}},
        {"x-brm-message", {0, &Compiler::compile_message}},
        {"format", {0, &Compiler::compile_format}},
        {"type", {kValidation, &Compiler::compile_type}},
        {"const", {kValidation, &Compiler::compile_const}},
        {"enum", {kValidation, &Compiler::compile_enum}},
        {"minimum", {kValidation, &Compiler::compile_bound}},
        {"maximum", {kValidation, &Compiler::compile_bound}},
        {"exclusiveMinimum", {kValidation, &Compiler::compile_bound}},
        {"exclusiveMaximum", {kValidation, &Compiler::compile_bound}},
        {"multipleOf", {kValidation, &Compiler::compile_multiple_of}},
        {"minLength", {kValidation, &Compiler::compile_count}},
        {"maxLength", {kValidation, &Compiler::compile_count}},
        {"minItems", {kValidation, &Compiler::compile_count}},
        {"maxItems", {kValidation, &Compiler::compile_count}},
        {"minContains", {kValidation, &Compiler::compile_count}},
        {"maxContains", {kValidation, &Compiler::compile_count}},
        {"minProperties", {kValidation, &Compiler::compile_count}},
        {"maxProperties", {kValidation, &Compiler::compile_count}},
        {"pattern", {kValidation, &Compiler::compile_pattern}},
        {"uniqueItems", {kValidation, &Compiler::compile_unique_items}},
        {"required", {kValidation, &Compiler::compile_required}},
        {"dependentRequired", {kValidation, &Compiler::compile_dependent_required}},
        {"properties", {kApplicator, &Compiler::compile_properties}},
        {"patternProperties", {kApplicator, &Compiler::compile_pattern_properties}},
        {"dependentSchemas", {kApplicator, &Compiler::compile_dependent_schemas}},
        {"dependencies", {kApplicator, &Compiler::compile_dependencies}},
        {"additionalProperties", {kApplicator, &Compiler::compile_subschema}},
        {"propertyNames", {kApplicator, &Compiler::compile_subschema}},
        {"contains", {kApplicator, &Compiler::compile_subschema}},
        {"not", {kApplicator, &Compiler::compile_subschema}},
        {"if", {kApplicator, &Compiler::compile_subschema}},
        {"then", {kApplicator, &Compiler::compile_subschema}},
        {"else", {kApplicator, &Compiler::compile_subschema}},
        {"allOf", {kApplicator, &Compiler::compile_schema_list}},
        {"anyOf", {kApplicator, &Compiler::compile_schema_list}},
        {"oneOf", {kApplicator, &Compiler::compile_schema_list}},
        {"prefixItems", {kApplicator, &Compiler::compile_schema_list}},
        {"items", {kApplicator, &Compiler::compile_items}},
        {"additionalItems", {kApplicator, &Compiler::compile_additional_items}},
        {"unevaluatedItems", {kUnevaluated, &Compiler::compile_subschema}},
        {"unevaluatedProperties", {kUnevaluated, &Compiler::compile_subschema}},
    };
    return kRules;
  }

  Node compile(const Value& schema, const std::string& where) {
    Node n;
    Resource* res = resource_of(&schema);
    if (res == nullptr) broken(where, "internal error: a schema outside the registry");
    n.resource = resource_index(res);
    if (schema.is_bool()) {
      n.always_false = !schema.as_bool();
      n.trivially_true = schema.as_bool();
      return n;
    }
    if (!schema.is_mapping()) broken(where, "a schema must be a mapping or a boolean");
    KeywordSite site{n, res, where, vocabularies(res->meta_schema, where), {}};
    bool any_keyword = false;
    for (const Value::Entry& e : schema.entries())
      any_keyword = compile_keyword(site, e.key, e.value) || any_keyword;
    if (site.additional_items != nullptr && !n.prefix_items.empty()) {
      n.items = subschema(*site.additional_items, where + "/additionalItems");
      any_keyword = true;
    }
    // then/else without if, and contains bounds without contains, do nothing.
    if (n.if_ < 0) n.then_ = n.else_ = -1;
    if (n.contains < 0) n.max_contains = -1;
    n.trivially_true = !any_keyword && !n.always_false;
    return n;
  }

  // Annotations ($comment, title, default, ...), unknown keywords and those of a
  // vocabulary the dialect leaves out compile to nothing.
  bool compile_keyword(KeywordSite& s, const std::string& k, const Value& v) {
    auto it = keyword_rules().find(k);
    if (it == keyword_rules().end()) return false;
    if (it->second.vocab != 0 && (s.vocab & it->second.vocab) == 0) return false;
    s.at = s.where + "/" + k;
    return (this->*it->second.compile)(s, k, v);
  }

  bool legacy(const KeywordSite& s) const { return (s.vocab & kLegacyItems) != 0; }

  void require(bool ok, const KeywordSite& s, const std::string& k, std::string_view what) {
    if (!ok) broken(s.at, fmt::format("'{}' must be {}", k, what));
  }

  bool compile_ref(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_string(), s, k, "a string");
    s.n.ref = node_for(resolve(s.res, v.as_string(), s.at), s.at);
    return true;
  }

  bool compile_dynamic_ref(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_string(), s, k, "a string");
    const Value* target = resolve(s.res, v.as_string(), s.at);
    s.n.dynamic_ref.target = node_for(target, s.at);
    // Dynamic only when the fragment names an anchor and the static target carries
    // the same $dynamicAnchor (the "bookend"); otherwise it is a plain $ref.
    std::string fragment = split_fragment(v.as_string()).second;
    const Value* anchor = target->is_mapping() ? target->find("$dynamicAnchor") : nullptr;
    if (!fragment.empty() && fragment[0] != '/' && anchor != nullptr && anchor->is_string() &&
        anchor->as_string() == fragment) {
      s.n.dynamic_ref.anchor = fragment;
    }
    return true;
  }

  bool compile_message(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_string(), s, k, "a string");
    s.n.message = v.as_string();
    return false;  // it changes what failures say, not whether there are any
  }

  bool compile_format(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_string(), s, k, "a string");
    if (!options_.format_assertion && (s.vocab & kFormatAssertion) == 0) return false;
    s.n.format = format_from_name(v.as_string());
    return s.n.format != Format::Unknown;
  }

  bool compile_type(KeywordSite& s, const std::string&, const Value& v) {
    auto add = [&](const Value& t) {
      std::uint8_t bit = t.is_string() ? type_bit(t.as_string()) : 0;
      if (bit == 0) broken(s.at, fmt::format("unknown type {}", t.to_display()));
      s.n.types |= bit;
    };
    if (v.is_sequence()) {
      for (const Value& t : v.items()) add(t);
      if (v.items().empty()) s.n.always_false = true;
    } else {
      add(v);
    }
    return true;
  }

  bool compile_const(KeywordSite& s, const std::string&, const Value& v) {
    s.n.const_value = std::make_unique<Value>(v);
    return true;
  }

  bool compile_enum(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_sequence(), s, k, "a list");
    s.n.has_enum = true;
    s.n.enum_values = v.items();
    return true;
  }

  bool compile_bound(KeywordSite& s, const std::string& k, const Value& v) {
    static const std::unordered_map<std::string_view, std::pair<Number Node::*, std::uint8_t>>
        kBounds = {{"minimum", {&Node::minimum, kMinimum}},
                   {"maximum", {&Node::maximum, kMaximum}},
                   {"exclusiveMinimum", {&Node::exclusive_minimum, kExclusiveMinimum}},
                   {"exclusiveMaximum", {&Node::exclusive_maximum, kExclusiveMaximum}}};
    auto [member, bit] = kBounds.at(k);
    s.n.*member = number(v, k, s.at);
    s.n.bounds |= bit;
    return true;
  }

  bool compile_multiple_of(KeywordSite& s, const std::string& k, const Value& v) {
    s.n.multiple_of = number(v, k, s.at);
    if (s.n.multiple_of.exact() <= 0) broken(s.at, "'multipleOf' must be greater than 0");
    s.n.has_multiple_of = true;
    return true;
  }

  bool compile_count(KeywordSite& s, const std::string& k, const Value& v) {
    static const std::unordered_map<std::string_view, std::int64_t Node::*> kCounts = {
        {"minLength", &Node::min_length},         {"maxLength", &Node::max_length},
        {"minItems", &Node::min_items},           {"maxItems", &Node::max_items},
        {"minContains", &Node::min_contains},     {"maxContains", &Node::max_contains},
        {"minProperties", &Node::min_properties}, {"maxProperties", &Node::max_properties}};
    s.n.*kCounts.at(k) = count(v, k, s.at);
    return true;
  }

  bool compile_pattern(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_string(), s, k, "a string");
    s.n.pattern = regex(v.as_string(), s.at);
    return true;
  }

  bool compile_unique_items(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_bool(), s, k, "true or false");
    s.n.unique_items = v.as_bool();
    return true;
  }

  bool compile_required(KeywordSite& s, const std::string& k, const Value& v) {
    s.n.required = strings(v, k, s.at);
    return true;
  }

  bool compile_dependent_required(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_mapping(), s, k, "a mapping");
    for (const Value::Entry& d : v.entries())
      s.n.dependent_required.emplace_back(d.key, strings(d.value, k, s.at + "/" + d.key));
    return true;
  }

  // The location of a member of a keyword's mapping: "…/properties/a~1b".
  static std::string member_at(const KeywordSite& s, std::string_view key) {
    std::string sub = s.at;
    append_pointer_token(sub, key);
    return sub;
  }

  bool compile_properties(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_mapping(), s, k, "a mapping");
    for (const Value::Entry& p : v.entries())
      s.n.properties.emplace_back(p.key, subschema(p.value, member_at(s, p.key)));
    std::sort(s.n.properties.begin(), s.n.properties.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return true;
  }

  bool compile_pattern_properties(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_mapping(), s, k, "a mapping");
    for (const Value::Entry& p : v.entries()) {
      std::string sub = member_at(s, p.key);
      s.n.pattern_properties.emplace_back(regex(p.key, sub), subschema(p.value, sub));
    }
    return true;
  }

  bool compile_dependent_schemas(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_mapping(), s, k, "a mapping");
    for (const Value::Entry& d : v.entries())
      s.n.dependent_schemas.emplace_back(d.key, subschema(d.value, member_at(s, d.key)));
    return true;
  }

  // Draft 7's keyword, split in 2020-12 into dependentRequired and dependentSchemas;
  // still accepted since older schemas use it.
  bool compile_dependencies(KeywordSite& s, const std::string& k, const Value& v) {
    require(v.is_mapping(), s, k, "a mapping");
    for (const Value::Entry& d : v.entries()) {
      if (d.value.is_sequence())
        s.n.dependent_required.emplace_back(d.key, strings(d.value, k, s.at + "/" + d.key));
      else
        s.n.dependent_schemas.emplace_back(d.key, subschema(d.value, member_at(s, d.key)));
    }
    return true;
  }

  bool compile_subschema(KeywordSite& s, const std::string& k, const Value& v) {
    static const std::unordered_map<std::string_view, int Node::*> kOne = {
        {"additionalProperties", &Node::additional_properties},
        {"propertyNames", &Node::property_names},
        {"contains", &Node::contains},
        {"not", &Node::not_},
        {"if", &Node::if_},
        {"then", &Node::then_},
        {"else", &Node::else_},
        {"unevaluatedItems", &Node::unevaluated_items},
        {"unevaluatedProperties", &Node::unevaluated_properties}};
    s.n.*kOne.at(k) = subschema(v, s.at);
    if (k.starts_with("unevaluated")) s.n.needs_annotations = true;
    return true;
  }

  bool compile_schema_list(KeywordSite& s, const std::string& k, const Value& v) {
    static const std::unordered_map<std::string_view, std::vector<int> Node::*> kLists = {
        {"allOf", &Node::all_of},
        {"anyOf", &Node::any_of},
        {"oneOf", &Node::one_of},
        {"prefixItems", &Node::prefix_items}};
    if (k == "prefixItems" && legacy(s)) return false;  // not a keyword before 2020-12
    s.n.*kLists.at(k) = schema_list(v, k, s.where);
    return true;
  }

  // Before 2020-12 a list under `items` was today's prefixItems.
  bool compile_items(KeywordSite& s, const std::string& k, const Value& v) {
    if (legacy(s) && v.is_sequence())
      s.n.prefix_items = schema_list(v, k, s.where);
    else
      s.n.items = subschema(v, s.at);
    return true;
  }

  bool compile_additional_items(KeywordSite& s, const std::string&, const Value& v) {
    if (!legacy(s)) return false;
    s.additional_items = &v;
    return true;
  }

  std::unique_ptr<EcmaRegex> regex(const std::string& pattern, const std::string& where) {
    try {
      return std::make_unique<EcmaRegex>(pattern);
    } catch (const Error& e) {
      broken(where, e.what());
    }
  }

  // Property names that in-place subschemas know, for suggestions under
  // unevaluatedProperties.
  void collect_names(const Node& n, std::vector<std::string_view>* names,
                     std::unordered_set<int>* seen) {
    for (const auto& [name, index] : n.properties) {
      if (std::find(names->begin(), names->end(), name) == names->end()) names->push_back(name);
    }
    auto visit = [&](int i) {
      if (i >= 0 && seen->insert(i).second)
        collect_names(out_.nodes[static_cast<std::size_t>(i)], names, seen);
    };
    visit(n.ref);
    visit(n.dynamic_ref.target);
    visit(n.if_);
    visit(n.then_);
    visit(n.else_);
    for (int i : n.all_of) visit(i);
    for (int i : n.any_of) visit(i);
    for (int i : n.one_of) visit(i);
    for (const auto& d : n.dependent_schemas) visit(d.second);
  }

  SchemaRegistry::Impl& registry_;
  CompiledSchema::Impl& out_;
  SchemaOptions options_;
  std::unordered_map<const Value*, int> node_of_;
  std::unordered_map<const Resource*, int> resource_index_;
  std::unordered_map<std::string, std::uint8_t> vocab_cache_;
  std::vector<Pending> pending_;
};

}  // namespace

CompiledSchema SchemaRegistry::compile(const Value& schema, std::string uri,
                                       SchemaOptions options) {
  std::lock_guard lock(impl_->mutex);
  if (uri.empty()) uri = fmt::format("urn:brm:compiled:{}", ++impl_->anonymous);
  return compile_stored(impl_->store(uri, schema), uri, options);
}

CompiledSchema SchemaRegistry::compile_added(const std::string& uri, SchemaOptions options) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->by_uri.find(split_fragment(uri).first);
  if (it == impl_->by_uri.end())
    fail(ExitCode::DataErrors, fmt::format("no schema is known as {}", uri));
  return compile_stored(it->second->root, uri, options);
}

CompiledSchema SchemaRegistry::compile_stored(const Value* root, const std::string& uri,
                                              SchemaOptions options) {
  auto compiled = std::make_unique<CompiledSchema::Impl>();
  Compiler(*impl_, *compiled, options).run(root, split_fragment(uri).first + "#");
  return CompiledSchema(std::move(compiled));
}

// ---------------------------------------------------------------------------------------
// The validator

namespace {

// Which items and members of one instance location some keyword has evaluated: what
// unevaluatedItems and unevaluatedProperties look at.
struct Annotations {
  std::vector<char> items;
  std::vector<char> properties;
  bool all_items = false;

  void mark_item(std::size_t i, std::size_t size) {
    if (items.size() < size) items.resize(size, 0);
    items[i] = 1;
  }
  void mark_property(std::size_t i, std::size_t size) {
    if (properties.size() < size) properties.resize(size, 0);
    properties[i] = 1;
  }
  bool item(std::size_t i) const { return all_items || (i < items.size() && items[i] != 0); }
  bool property(std::size_t i) const { return i < properties.size() && properties[i] != 0; }
  void merge(const Annotations& o) {
    all_items = all_items || o.all_items;
    if (items.size() < o.items.size()) items.resize(o.items.size(), 0);
    for (std::size_t i = 0; i < o.items.size(); ++i)
      items[i] = static_cast<char>(items[i] | o.items[i]);
    if (properties.size() < o.properties.size()) properties.resize(o.properties.size(), 0);
    for (std::size_t i = 0; i < o.properties.size(); ++i) {
      properties[i] = static_cast<char>(properties[i] | o.properties[i]);
    }
  }
};

struct PathStep {
  const std::string* key;  // nullptr for an item
  std::size_t index;
};

class Validator {
 public:
  Validator(const CompiledSchema::Impl& schema, std::vector<SchemaFinding>* findings)
      : s_(schema), findings_(findings) {}

  bool run(const Value& instance) {
    std::size_t first = findings_ != nullptr ? findings_->size() : 0;
    bool ok = eval(s_.root, instance, nullptr);
    if (steps_ > kMaxSteps) {
      // Whatever was found before giving up is partial; say only why it stopped.
      if (findings_ != nullptr) {
        findings_->resize(first);
        findings_->push_back(SchemaFinding{
            "", instance.mark(), "$ref", "schema",
            fmt::format("validation stopped after {} steps: the schema is too costly to check",
                        kMaxSteps)});
      }
      return false;
    }
    return ok;
  }

 private:
  const Node& node(int i) const { return s_.nodes[static_cast<std::size_t>(i)]; }

  std::string pointer() const {
    std::string out;
    for (const PathStep& step : path_) {
      if (step.key != nullptr) {
        append_pointer_token(out, *step.key);
      } else {
        out += '/';
        out += std::to_string(step.index);
      }
    }
    return out;
  }

  // PCRE2's limits stopped a match: the schema's pattern is at fault, not the text.
  void report_too_costly(std::string_view keyword, const EcmaRegex& re, Mark mark) {
    report(keyword, "schema",
           fmt::format("matching '{}' stopped at its limit: the pattern is too costly to check",
                       re.source()),
           mark);
  }

  void report(std::string_view keyword, std::string_view rule, std::string message, Mark mark) {
    if (findings_ == nullptr) return;
    findings_->push_back(SchemaFinding{pointer(), mark, std::string(keyword), std::string(rule),
                                       std::move(message)});
  }

  struct Step {
    Step(Validator& v, PathStep s) : v_(v) { v_.path_.push_back(s); }
    ~Step() { v_.path_.pop_back(); }
    Validator& v_;
  };

  bool eval(int index, const Value& inst, Annotations* ann) {
    const Node& n = node(index);
    if (n.trivially_true) return true;
    if (n.always_false) {
      report("false", "schema", "no value is allowed here", inst.mark());
      return false;
    }
    if (depth_ >= kMaxDepth) {
      report("$ref", "schema",
             fmt::format("the schema nests more than {} levels deep here", kMaxDepth), inst.mark());
      return false;
    }
    if (++steps_ > kMaxSteps) return false;  // run() reports it
    ++depth_;
    bool entered = scope_.empty() || scope_.back() != n.resource;
    if (entered) scope_.push_back(n.resource);
    std::size_t first_finding = findings_ != nullptr ? findings_->size() : 0;

    Annotations local;
    Annotations* a = n.needs_annotations ? &local : ann;
    bool ok = eval_keywords(n, inst, a);
    if (ok && ann != nullptr && a == &local) ann->merge(local);
    if (!ok && !n.message.empty()) apply_message(n.message, first_finding);

    if (entered) scope_.pop_back();
    --depth_;
    return ok;
  }

  // x-brm-message: this node's findings at this instance location become one.
  void apply_message(const std::string& message, std::size_t first) {
    if (findings_ == nullptr || first >= findings_->size()) return;
    std::string here = pointer();
    auto& f = *findings_;
    std::size_t keep = f.size();
    for (std::size_t i = first; i < f.size(); ++i) {
      if (f[i].instance_path == here &&
          !(f[i].rule == "unknown-field" || f[i].rule == "forbidden-field" ||
            f[i].rule == "missing-field")) {
        keep = i;
        break;
      }
    }
    if (keep == f.size()) return;
    f[keep].message = message;
    std::size_t out = first;
    for (std::size_t i = first; i < f.size(); ++i) {
      bool same_place = f[i].instance_path == here && i != keep &&
                        !(f[i].rule == "unknown-field" || f[i].rule == "forbidden-field" ||
                          f[i].rule == "missing-field");
      if (same_place) continue;
      if (out != i) f[out] = std::move(f[i]);
      ++out;
    }
    f.resize(out);
  }

  // One keyword group's check of an instance: true when it passes. A check reports its
  // own findings; without findings to build (the fast path) the first failure ends the run.
  using Check = bool (Validator::*)(const Node&, const Value&, Annotations*);

  bool eval_keywords(const Node& n, const Value& inst, Annotations* a) {
    // unevaluated* look at what everything before them evaluated, so they come last.
    static constexpr std::array<Check, 12> kChecks = {&Validator::check_type,
                                                      &Validator::check_const,
                                                      &Validator::check_enum,
                                                      &Validator::check_by_type,
                                                      &Validator::check_refs,
                                                      &Validator::check_all_of,
                                                      &Validator::check_alternatives,
                                                      &Validator::check_not,
                                                      &Validator::check_conditional,
                                                      &Validator::check_dependent_schemas,
                                                      &Validator::check_unevaluated_items,
                                                      &Validator::check_unevaluated_properties};
    return run_checks(kChecks, n, inst, a);
  }

  // Runs the checks in order: all of them, or without findings to build (the fast
  // path) until the first that fails.
  bool run_checks(std::span<const Check> checks, const Node& n, const Value& inst, Annotations* a) {
    bool ok = true;
    for (Check check : checks)
      if (!(this->*check)(n, inst, a) && failed(&ok)) return false;
    return ok;
  }

  bool fast() const { return findings_ == nullptr; }
  // Notes a failure; true when it ends the run (the fast path).
  bool failed(bool* ok) const {
    *ok = false;
    return fast();
  }

  bool check_type(const Node& n, const Value& inst, Annotations*) {
    if (n.types == 0 || type_matches(n.types, inst)) return true;
    if (fast()) return false;
    std::vector<std::string> names;
    for (std::uint8_t bit = 1; bit != 0 && bit <= kObject;
         bit = static_cast<std::uint8_t>(bit << 1)) {
      // "a number" already covers integers.
      if ((n.types & bit) != 0 && !(bit == kInteger && (n.types & kNumber) != 0)) {
        names.emplace_back(type_phrase(bit));
      }
    }
    std::string got_phrase(type_phrase_of(inst));
    if (inst.is_number() && (n.types & kInteger) != 0) got_phrase = inst.to_display();
    report("type", "wrong-type",
           fmt::format("expected {}, got {}", join_alternatives(names), got_phrase), inst.mark());
    return false;
  }

  bool check_const(const Node& n, const Value& inst, Annotations*) {
    if (!n.const_value || inst == *n.const_value) return true;
    if (fast()) return false;
    report("const", "bad-value",
           fmt::format("expected {}, got {}",
                       n.const_value->is_string() ? quoted(n.const_value->as_string())
                                                  : n.const_value->to_display(),
                       got(inst)),
           inst.mark());
    return false;
  }

  bool check_enum(const Node& n, const Value& inst, Annotations*) {
    if (!n.has_enum || std::any_of(n.enum_values.begin(), n.enum_values.end(),
                                   [&](const Value& e) { return inst == e; }))
      return true;
    if (fast()) return false;
    std::string list;
    for (const Value& e : n.enum_values) list += (list.empty() ? "" : ", ") + listed(e);
    report("enum", "bad-value",
           n.enum_values.size() == 1
               ? fmt::format("expected {}, got {}", listed(n.enum_values[0]), got(inst))
               : fmt::format("expected one of {}, got {}", list, got(inst)),
           inst.mark());
    return false;
  }

  bool check_by_type(const Node& n, const Value& inst, Annotations* a) {
    switch (inst.type()) {
      case Value::Type::Int:
      case Value::Type::Float:
        return check_number(n, inst);
      case Value::Type::String:
        return check_string(n, inst);
      case Value::Type::Sequence:
        return check_array(n, inst, a);
      case Value::Type::Mapping:
        return check_object(n, inst, a);
      default:
        return true;
    }
  }

  bool check_refs(const Node& n, const Value& inst, Annotations* a) {
    bool ok = n.ref < 0 || follow(n.ref, inst, a);
    if (!ok && fast()) return false;
    if (n.dynamic_ref.target >= 0 && !follow(dynamic_target(n.dynamic_ref), inst, a)) ok = false;
    return ok;
  }

  bool check_all_of(const Node& n, const Value& inst, Annotations* a) {
    bool ok = true;
    for (int sub : n.all_of) {
      if (eval(sub, inst, a)) continue;
      ok = false;
      if (fast()) return false;
    }
    return ok;
  }

  bool check_alternatives(const Node& n, const Value& inst, Annotations* a) {
    bool ok = n.any_of.empty() || any_of(n, inst, a);
    if (!ok && fast()) return false;
    if (!n.one_of.empty() && !one_of(n, inst, a)) ok = false;
    return ok;
  }

  // Whether `inst` matches the subschema, without findings: `not` and `if` only ask.
  bool matches_quietly(int sub, const Value& inst, Annotations* a) {
    std::vector<SchemaFinding>* saved = findings_;
    findings_ = nullptr;
    bool matched = eval(sub, inst, a);
    findings_ = saved;
    return matched;
  }

  bool check_not(const Node& n, const Value& inst, Annotations*) {
    if (n.not_ < 0 || !matches_quietly(n.not_, inst, nullptr)) return true;
    if (fast()) return false;
    report("not", "schema", "must not match the schema under 'not'", inst.mark());
    return false;
  }

  bool check_conditional(const Node& n, const Value& inst, Annotations* a) {
    if (n.if_ < 0) return true;
    Annotations branch;
    bool matched = matches_quietly(n.if_, inst, a != nullptr ? &branch : nullptr);
    if (matched && a != nullptr) a->merge(branch);
    int next = matched ? n.then_ : n.else_;
    return next < 0 || eval(next, inst, a);
  }

  bool check_dependent_schemas(const Node& n, const Value& inst, Annotations* a) {
    if (!inst.is_mapping()) return true;
    bool ok = true;
    for (const auto& [name, sub] : n.dependent_schemas) {
      if (inst.find(name) == nullptr || eval(sub, inst, a)) continue;
      ok = false;
      if (fast()) return false;
    }
    return ok;
  }

  bool check_unevaluated_items(const Node& n, const Value& inst, Annotations* a) {
    if (n.unevaluated_items < 0 || !inst.is_sequence()) return true;
    bool ok = true;
    const auto& items = inst.items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (a->item(i)) continue;
      Step step(*this, PathStep{nullptr, i});
      bool passed = false;
      if (node(n.unevaluated_items).always_false) {
        if (!fast())
          report("unevaluatedItems", "schema", fmt::format("item {} is not allowed here", i),
                 items[i].mark());
      } else {
        passed = eval(n.unevaluated_items, items[i], nullptr);
      }
      ok = ok && passed;
      if (!passed && fast()) return false;
    }
    a->all_items = true;
    return ok;
  }

  bool check_unevaluated_properties(const Node& n, const Value& inst, Annotations* a) {
    if (n.unevaluated_properties < 0 || !inst.is_mapping()) return true;
    bool ok = true;
    const auto& entries = inst.entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (a->property(i)) continue;
      const Value::Entry& e = entries[i];
      bool passed = false;
      if (node(n.unevaluated_properties).always_false) {
        if (!fast()) report_unknown_field("unevaluatedProperties", e, n.known_names);
      } else {
        Step step(*this, PathStep{&e.key, 0});
        passed = eval(n.unevaluated_properties, e.value, nullptr);
      }
      ok = ok && passed;
      if (!passed && fast()) return false;
    }
    for (std::size_t i = 0; i < entries.size(); ++i) a->mark_property(i, entries.size());
    return ok;
  }

  int dynamic_target(const DynamicRef& d) const {
    if (d.anchor.empty()) return d.target;
    // The outermost resource in the dynamic scope with a matching $dynamicAnchor wins.
    for (int r : scope_) {
      const auto& anchors = s_.resources[static_cast<std::size_t>(r)].dynamic_anchors;
      auto it =
          std::lower_bound(anchors.begin(), anchors.end(), d.anchor,
                           [](const auto& p, const std::string& name) { return p.first < name; });
      if (it != anchors.end() && it->first == d.anchor) return it->second;
    }
    return d.target;
  }

  bool follow(int target, const Value& inst, Annotations* a) {
    // The same schema on the same instance location while still inside it: a reference
    // cycle that would never end.
    for (const auto& [t, v] : refs_) {
      if (t == target && v == &inst) {
        report("$ref", "schema", "the schema refers to itself without going deeper into the data",
               inst.mark());
        return false;
      }
    }
    refs_.emplace_back(target, &inst);
    bool ok = eval(target, inst, a);
    refs_.pop_back();
    return ok;
  }

  // The findings of the failed branch that came closest: fewest mismatches of shape
  // (type, const, enum), then fewest findings. When every branch only failed on its
  // type at this very place, one finding lists the types they accept.
  void report_branches(std::vector<std::vector<SchemaFinding>>& branches, const Value& inst) {
    if (findings_ == nullptr || branches.empty()) return;
    std::string here = pointer();
    bool all_types = std::all_of(branches.begin(), branches.end(), [&](const auto& b) {
      return b.size() == 1 && b[0].keyword == "type" && b[0].instance_path == here &&
             b[0].message.starts_with("expected ") &&
             b[0].message.find(", got ") != std::string::npos;
    });
    if (all_types && branches.size() > 1) {
      std::vector<std::string> expected;
      for (const auto& b : branches) {
        const std::string& m = b[0].message;
        std::string what = m.substr(9, m.rfind(", got ") - 9);
        if (std::find(expected.begin(), expected.end(), what) == expected.end())
          expected.push_back(what);
      }
      report("type", "wrong-type",
             fmt::format("expected {}, got {}", join_alternatives(expected), type_phrase_of(inst)),
             inst.mark());
      return;
    }
    auto shape_misses = [](const std::vector<SchemaFinding>& b) {
      return std::count_if(b.begin(), b.end(), [](const SchemaFinding& f) {
        return f.keyword == "type" || f.keyword == "const" || f.keyword == "enum";
      });
    };
    std::size_t best = 0;
    for (std::size_t i = 1; i < branches.size(); ++i) {
      auto a = std::make_pair(shape_misses(branches[i]), branches[i].size());
      auto b = std::make_pair(shape_misses(branches[best]), branches[best].size());
      if (a < b) best = i;
    }
    for (SchemaFinding& f : branches[best]) findings_->push_back(std::move(f));
  }

  bool any_of(const Node& n, const Value& inst, Annotations* a) {
    std::vector<SchemaFinding>* saved = findings_;
    std::vector<std::vector<SchemaFinding>> failures;
    bool matched = false;
    for (int sub : n.any_of) {
      Annotations branch;
      std::vector<SchemaFinding> mine;
      findings_ = saved != nullptr && !matched ? &mine : nullptr;
      bool ok = eval(sub, inst, a != nullptr ? &branch : nullptr);
      if (ok) {
        matched = true;
        if (a != nullptr) a->merge(branch);
        // Later branches only matter for the annotations they add.
        if (a == nullptr) break;
      } else if (findings_ != nullptr) {
        failures.push_back(std::move(mine));
      }
    }
    findings_ = saved;
    if (!matched) report_branches(failures, inst);
    return matched;
  }

  bool one_of(const Node& n, const Value& inst, Annotations* a) {
    std::vector<SchemaFinding>* saved = findings_;
    std::vector<std::vector<SchemaFinding>> failures;
    std::vector<std::size_t> matches;
    Annotations chosen;
    for (std::size_t i = 0; i < n.one_of.size(); ++i) {
      Annotations branch;
      std::vector<SchemaFinding> mine;
      findings_ = saved != nullptr && matches.empty() ? &mine : nullptr;
      bool ok = eval(n.one_of[i], inst, a != nullptr ? &branch : nullptr);
      if (ok) {
        matches.push_back(i);
        if (matches.size() == 1 && a != nullptr) chosen = std::move(branch);
        if (matches.size() > 1 && saved == nullptr) break;
      } else if (findings_ != nullptr) {
        failures.push_back(std::move(mine));
      }
    }
    findings_ = saved;
    if (matches.size() == 1) {
      if (a != nullptr) a->merge(chosen);
      return true;
    }
    if (matches.empty()) {
      report_branches(failures, inst);
    } else {
      report("oneOf", "schema",
             fmt::format("matches more than one of the alternatives under 'oneOf' (#{} and #{})",
                         matches[0] + 1, matches[1] + 1),
             inst.mark());
    }
    return false;
  }

  // YAML's .nan and .inf are no JSON numbers. Every comparison with NaN is false, so a
  // bound would let it pass; a value that a bound or a multiple constrains must be finite.
  bool check_finite(const Node& n, const Value& inst) {
    if ((n.bounds == 0 && !n.has_multiple_of) || inst.type() != Value::Type::Float ||
        std::isfinite(inst.as_double()))
      return true;
    double d = inst.as_double();
    report(n.bounds != 0 ? "minimum" : "multipleOf", "out-of-range",
           fmt::format("must be a finite number, got {}",
                       std::isnan(d) ? ".nan" : (d < 0 ? "-.inf" : ".inf")),
           inst.mark());
    return false;
  }

  bool check_number(const Node& n, const Value& inst) {
    if (!check_finite(n, inst)) return false;
    bool ok = true;
    const bool fast = findings_ == nullptr;
    if (n.bounds != 0) {
      auto bound = [&](Bound which, const Number& limit, bool pass, std::string_view op,
                       std::string_view keyword) {
        if ((n.bounds & which) == 0 || pass) return true;
        ok = false;
        report(keyword, "out-of-range",
               fmt::format("must be {} {}, got {}", op, limit.display(), inst.to_display()),
               inst.mark());
        return !fast;
      };
      if (!bound(kMinimum, n.minimum, compare(inst, n.minimum) >= 0, ">=", "minimum")) return false;
      if (!bound(kMaximum, n.maximum, compare(inst, n.maximum) <= 0, "<=", "maximum")) return false;
      if (!bound(kExclusiveMinimum, n.exclusive_minimum, compare(inst, n.exclusive_minimum) > 0,
                 ">", "exclusiveMinimum")) {
        return false;
      }
      if (!bound(kExclusiveMaximum, n.exclusive_maximum, compare(inst, n.exclusive_maximum) < 0,
                 "<", "exclusiveMaximum")) {
        return false;
      }
    }
    if (n.has_multiple_of && !is_multiple_of(inst, n.multiple_of)) {
      ok = false;
      report("multipleOf", "bad-value",
             fmt::format("must be a multiple of {}, got {}", n.multiple_of.display(),
                         inst.to_display()),
             inst.mark());
    }
    return ok;
  }

  bool check_string(const Node& n, const Value& inst) {
    bool ok = true;
    const bool fast = findings_ == nullptr;
    const std::string& s = inst.as_string();
    if (n.min_length >= 0 || n.max_length >= 0) {
      auto length = static_cast<std::int64_t>(code_point_count(s));
      if (n.min_length >= 0 && length < n.min_length) {
        if (fast) return false;
        ok = false;
        report("minLength", "bad-value",
               n.min_length == 1 ? std::string("must not be empty")
                                 : fmt::format("must be at least {} long, got {}",
                                               plural(static_cast<std::uint64_t>(n.min_length),
                                                      "character", "characters"),
                                               length),
               inst.mark());
      }
      if (n.max_length >= 0 && length > n.max_length) {
        if (fast) return false;
        ok = false;
        report(
            "maxLength", "bad-value",
            fmt::format("must be at most {} long, got {}",
                        plural(static_cast<std::uint64_t>(n.max_length), "character", "characters"),
                        length),
            inst.mark());
      }
    }
    if (EcmaRegex::Match m = n.pattern ? n.pattern->match(s) : EcmaRegex::Match::Yes;
        m != EcmaRegex::Match::Yes) {
      if (fast) return false;
      ok = false;
      if (m == EcmaRegex::Match::TooCostly) {
        report_too_costly("pattern", *n.pattern, inst.mark());
      } else {
        report("pattern", "bad-value",
               fmt::format("expected text matching '{}', got {}", n.pattern->source(), quoted(s)),
               inst.mark());
      }
    }
    if (n.format != Format::Unknown && !check_format(n.format, s)) {
      if (fast) return false;
      ok = false;
      if (n.format == Format::Date && check_date(s) == DateCheck::NoSuchDay) {
        report("format", "bad-date", fmt::format("{} is not a date that exists", s), inst.mark());
      } else {
        std::string_view rule = n.format == Format::Date    ? "bad-date"
                                : n.format == Format::Email ? "bad-email"
                                                            : "bad-format";
        report("format", rule,
               fmt::format("expected {}, got {}", format_description(n.format), quoted(s)),
               inst.mark());
      }
    }
    return ok;
  }

  bool check_array(const Node& n, const Value& inst, Annotations* a) {
    static constexpr std::array<Check, 5> kChecks = {
        &Validator::check_item_count, &Validator::check_unique_items,
        &Validator::check_prefix_items, &Validator::check_items, &Validator::check_contains};
    return run_checks(kChecks, n, inst, a);
  }

  bool check_item_count(const Node& n, const Value& inst, Annotations*) {
    bool ok = true;
    const std::size_t size = inst.items().size();
    if (n.min_items >= 0 && static_cast<std::int64_t>(size) < n.min_items) {
      if (failed(&ok)) return false;
      report("minItems", "bad-count",
             fmt::format("needs at least {}, got {}",
                         plural(static_cast<std::uint64_t>(n.min_items), "item", "items"), size),
             inst.mark());
    }
    if (n.max_items >= 0 && static_cast<std::int64_t>(size) > n.max_items) {
      if (failed(&ok)) return false;
      report("maxItems", "bad-count",
             fmt::format("allows at most {}, got {}",
                         plural(static_cast<std::uint64_t>(n.max_items), "item", "items"), size),
             inst.mark());
    }
    return ok;
  }

  bool check_unique_items(const Node& n, const Value& inst, Annotations*) {
    const auto& items = inst.items();
    std::pair<std::size_t, std::size_t> dup;
    if (!n.unique_items || items.size() < 2 || !find_duplicate(items, &dup)) return true;
    if (fast()) return false;
    report("uniqueItems", "schema",
           fmt::format("items {} and {} are the same ({}); each must be different", dup.first,
                       dup.second, got(items[dup.second])),
           items[dup.second].mark());
    return false;
  }

  bool check_prefix_items(const Node& n, const Value& inst, Annotations* a) {
    bool ok = true;
    const auto& items = inst.items();
    std::size_t prefix = std::min(n.prefix_items.size(), items.size());
    for (std::size_t i = 0; i < prefix; ++i) {
      Step step(*this, PathStep{nullptr, i});
      if (!eval(n.prefix_items[i], items[i], nullptr) && failed(&ok)) return false;
      if (a != nullptr) a->mark_item(i, items.size());
    }
    return ok;
  }

  // `items`: every item after the prefixItems.
  bool check_items(const Node& n, const Value& inst, Annotations* a) {
    const auto& items = inst.items();
    const std::size_t from = n.prefix_items.size();
    if (n.items < 0 || items.size() <= from) return true;
    bool ok = true;
    if (node(n.items).always_false) {
      if (failed(&ok)) return false;
      report("items", "bad-count",
             fmt::format("allows at most {}, got {}", plural(from, "item", "items"), items.size()),
             items[from].mark());
    } else {
      for (std::size_t i = from; i < items.size(); ++i) {
        Step step(*this, PathStep{nullptr, i});
        if (!eval(n.items, items[i], nullptr) && failed(&ok)) return false;
      }
    }
    if (a != nullptr) a->all_items = true;
    return ok;
  }

  // How many items match `contains`, marked as evaluated.
  std::int64_t count_contained(const Node& n, const Value& inst, Annotations* a) {
    std::int64_t matches = 0;
    const auto& items = inst.items();
    std::vector<SchemaFinding>* saved = findings_;
    findings_ = nullptr;
    for (std::size_t i = 0; i < items.size(); ++i) {
      Step step(*this, PathStep{nullptr, i});
      if (eval(n.contains, items[i], nullptr)) {
        ++matches;
        if (a != nullptr) a->mark_item(i, items.size());
      }
    }
    findings_ = saved;
    return matches;
  }

  bool check_contains(const Node& n, const Value& inst, Annotations* a) {
    if (n.contains < 0) return true;
    bool ok = true;
    std::int64_t matches = count_contained(n, inst, a);
    if (matches < n.min_contains) {
      if (failed(&ok)) return false;
      report(
          "contains", "bad-count",
          fmt::format("needs at least {} matching the schema under 'contains', got {}",
                      plural(static_cast<std::uint64_t>(n.min_contains), "item", "items"), matches),
          inst.mark());
    }
    if (n.max_contains >= 0 && matches > n.max_contains) {
      if (failed(&ok)) return false;
      report(
          "maxContains", "bad-count",
          fmt::format("allows at most {} matching the schema under 'contains', got {}",
                      plural(static_cast<std::uint64_t>(n.max_contains), "item", "items"), matches),
          inst.mark());
    }
    return ok;
  }

  // uniqueItems by hashing: equal values (1 and 1.0, mappings in any order) hash alike,
  // so only items with the same hash are compared, which keeps long lists fast.
  static std::size_t hash_of(const Value& v) {
    switch (v.type()) {
      case Value::Type::Null:
        return 0x9e3779b9u;
      case Value::Type::Bool:
        return v.as_bool() ? 1u : 2u;
      case Value::Type::Int:
      case Value::Type::Float:
        return std::hash<double>()(v.as_double());
      case Value::Type::String:
        return std::hash<std::string>()(v.as_string());
      case Value::Type::Sequence: {
        std::size_t h = 3;
        for (const Value& i : v.items()) h = h * 31 + hash_of(i);
        return h;
      }
      case Value::Type::Mapping: {
        std::size_t h = 5;
        for (const Value::Entry& e : v.entries())
          h += std::hash<std::string>()(e.key) ^ (hash_of(e.value) * 7);
        return h;
      }
    }
    return 0;
  }

  // The first item equal to an earlier one, and that earlier one. Each item is compared
  // only with the distinct earlier items of the same hash, so a list of many equal items
  // stops at the second.
  static bool find_duplicate(const std::vector<Value>& items,
                             std::pair<std::size_t, std::size_t>* dup) {
    std::unordered_map<std::size_t, std::vector<std::size_t>> seen;  // hash -> distinct items
    seen.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::vector<std::size_t>& same_hash = seen[hash_of(items[i])];
      for (std::size_t earlier : same_hash) {
        if (items[earlier] == items[i]) {
          *dup = {earlier, i};
          return true;
        }
      }
      same_hash.push_back(i);
    }
    return false;
  }

  void report_unknown_field(std::string_view keyword, const Value::Entry& e,
                            const std::vector<std::string_view>& known) {
    if (findings_ == nullptr) return;
    Step step(*this, PathStep{&e.key, 0});
    std::string_view suggestion = closest_match(e.key, known);
    report(keyword, "unknown-field",
           suggestion.empty()
               ? fmt::format("unknown field {}", quoted(e.key))
               : fmt::format("unknown field {} (did you mean '{}'?)", quoted(e.key), suggestion),
           e.key_mark);
  }

  bool check_object(const Node& n, const Value& inst, Annotations* a) {
    static constexpr std::array<Check, 5> kChecks = {
        &Validator::check_required, &Validator::check_dependent_required,
        &Validator::check_property_count, &Validator::check_members,
        &Validator::check_property_names};
    return run_checks(kChecks, n, inst, a);
  }

  bool check_required(const Node& n, const Value& inst, Annotations*) {
    bool ok = true;
    for (const std::string& name : n.required) {
      if (inst.find(name) != nullptr) continue;
      if (failed(&ok)) return false;
      report("required", "missing-field", fmt::format("missing required field {}", quoted(name)),
             inst.mark());
    }
    return ok;
  }

  bool check_dependent_required(const Node& n, const Value& inst, Annotations*) {
    bool ok = true;
    for (const auto& [name, needed] : n.dependent_required) {
      if (inst.find(name) == nullptr) continue;
      for (const std::string& other : needed) {
        if (inst.find(other) != nullptr) continue;
        if (failed(&ok)) return false;
        report("dependentRequired", "missing-field",
               fmt::format("missing field {}, required when {} is present", quoted(other),
                           quoted(name)),
               inst.mark());
      }
    }
    return ok;
  }

  bool check_property_count(const Node& n, const Value& inst, Annotations*) {
    bool ok = true;
    const std::size_t size = inst.entries().size();
    if (n.min_properties >= 0 && static_cast<std::int64_t>(size) < n.min_properties) {
      if (failed(&ok)) return false;
      report("minProperties", "bad-count",
             fmt::format("needs at least {}, got {}",
                         plural(static_cast<std::uint64_t>(n.min_properties), "field", "fields"),
                         size),
             inst.mark());
    }
    if (n.max_properties >= 0 && static_cast<std::int64_t>(size) > n.max_properties) {
      if (failed(&ok)) return false;
      report("maxProperties", "bad-count",
             fmt::format("allows at most {}, got {}",
                         plural(static_cast<std::uint64_t>(n.max_properties), "field", "fields"),
                         size),
             inst.mark());
    }
    return ok;
  }

  // properties, patternProperties and additionalProperties, member by member.
  bool check_members(const Node& n, const Value& inst, Annotations* a) {
    if (n.properties.empty() && n.pattern_properties.empty() && n.additional_properties < 0)
      return true;
    bool ok = true;
    const auto& entries = inst.entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      MemberOutcome m = check_member(n, entries[i]);
      if (!m.passed && failed(&ok)) return false;
      if (m.matched && a != nullptr) a->mark_property(i, entries.size());
    }
    return ok;
  }

  struct MemberOutcome {
    bool passed = true;
    bool matched = false;  // some keyword evaluated the member
  };

  MemberOutcome check_member(const Node& n, const Value::Entry& e) {
    MemberOutcome out;
    if (const int* sub = property_schema(n, e.key)) {
      out.matched = true;
      if (!member(*sub, e, "properties") && failed(&out.passed)) return out;
    }
    check_pattern_members(n, e, &out);
    if (!out.passed && fast()) return out;
    if (!out.matched && n.additional_properties >= 0) {
      out.matched = true;
      if (!check_additional(n, e)) out.passed = false;
    }
    return out;
  }

  static const int* property_schema(const Node& n, const std::string& key) {
    auto it = std::lower_bound(n.properties.begin(), n.properties.end(), key,
                               [](const auto& p, const std::string& k) { return p.first < k; });
    return it != n.properties.end() && it->first == key ? &it->second : nullptr;
  }

  void check_pattern_members(const Node& n, const Value::Entry& e, MemberOutcome* out) {
    for (const auto& [re, sub] : n.pattern_properties) {
      EcmaRegex::Match m = re->match(e.key);
      if (m == EcmaRegex::Match::TooCostly) {
        if (failed(&out->passed)) return;
        report_too_costly("patternProperties", *re, e.key_mark);
      }
      if (m != EcmaRegex::Match::Yes) continue;
      out->matched = true;
      if (!member(sub, e, "patternProperties") && failed(&out->passed)) return;
    }
  }

  bool check_additional(const Node& n, const Value::Entry& e) {
    if (node(n.additional_properties).always_false) {
      if (fast()) return false;
      std::vector<std::string_view> known;
      for (const auto& p : n.properties) known.push_back(p.first);
      report_unknown_field("additionalProperties", e, known);
      return false;
    }
    Step step(*this, PathStep{&e.key, 0});
    return eval(n.additional_properties, e.value, nullptr);
  }

  // propertyNames: each key as a string; its findings say which key.
  bool check_property_names(const Node& n, const Value& inst, Annotations*) {
    if (n.property_names < 0) return true;
    bool ok = true;
    for (const Value::Entry& e : inst.entries()) {
      Value name = Value::string(e.key, e.key_mark);
      Step step(*this, PathStep{&e.key, 0});
      std::size_t first = findings_ != nullptr ? findings_->size() : 0;
      if (eval(n.property_names, name, nullptr)) continue;
      if (failed(&ok)) return false;
      for (std::size_t k = first; k < findings_->size(); ++k)
        (*findings_)[k].message = "field name " + quoted(e.key) + ": " + (*findings_)[k].message;
    }
    return ok;
  }

  // One member under properties or patternProperties; a `false` schema there means the
  // field is forbidden, which deserves its own message.
  bool member(int sub, const Value::Entry& e, std::string_view keyword) {
    Step step(*this, PathStep{&e.key, 0});
    if (node(sub).always_false) {
      report(keyword, "forbidden-field", fmt::format("field {} is not allowed here", quoted(e.key)),
             e.key_mark);
      return false;
    }
    return eval(sub, e.value, nullptr);
  }

  const CompiledSchema::Impl& s_;
  std::vector<SchemaFinding>* findings_;
  std::vector<PathStep> path_;
  std::vector<int> scope_;                          // dynamic scope: resources entered
  std::vector<std::pair<int, const Value*>> refs_;  // references being followed
  int depth_ = 0;
  std::uint64_t steps_ = 0;
};

}  // namespace

CompiledSchema::CompiledSchema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompiledSchema::~CompiledSchema() = default;
CompiledSchema::CompiledSchema(CompiledSchema&&) noexcept = default;
CompiledSchema& CompiledSchema::operator=(CompiledSchema&&) noexcept = default;

bool CompiledSchema::is_valid(const Value& instance) const {
  Validator v(*impl_, nullptr);
  return v.run(instance);
}

bool CompiledSchema::validate(const Value& instance, std::vector<SchemaFinding>* findings) const {
  // Most documents are valid: check fast, and only build messages when something is wrong.
  if (is_valid(instance)) return true;
  std::vector<SchemaFinding> local;
  Validator v(*impl_, findings != nullptr ? findings : &local);
  v.run(instance);
  return false;
}

}  // namespace brm

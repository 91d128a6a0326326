// Matching what a person types at `brm KIND add`'s prompts to records (record_input.hpp).
#include "brm/record_input.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "brm/diagnostic.hpp"
#include "brm/schema_model.hpp"
#include "brm/store.hpp"
#include "brm/strings.hpp"

namespace brm {
namespace {

constexpr OfferedField offered[] = {
    {KindId::Customer, "it_contact", "counts in the contacts measure"},
};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The name as ids are made from it; empty for no name (slugify would say "record").
std::string name_key(std::string_view name) { return name.empty() ? std::string() : slugify(name); }

std::vector<const Record*> named(const std::vector<const Record*>& among, std::string_view typed) {
  std::vector<const Record*> out;
  std::string key = name_key(typed);
  for (const Record* r : among)
    if (!key.empty() && name_key(r->label()) == key) out.push_back(r);
  return out;
}

// Records whose id starts with the text as typed (lowercased) or whose name starts with
// its slug: "Lena Ö" and "lena-o" both find lena-oberg.
std::vector<const Record*> prefixed(const std::vector<const Record*>& among,
                                    std::string_view typed) {
  std::vector<const Record*> out;
  std::string as_id = lower_ascii(typed);
  std::string key = name_key(typed);
  for (const Record* r : among)
    if (starts_with(r->id, as_id) || (!key.empty() && starts_with(name_key(r->label()), key)))
      out.push_back(r);
  return out;
}

}  // namespace

std::vector<const Record*> reference_targets(const Repository& repo, const Reference& ref) {
  std::vector<const Record*> out;
  for (const Record& r : repo.of(ref.target))
    if (!ref.needs_role_customer || r.text("role") == "customer") out.push_back(&r);
  return out;
}

RecordMatch match_record(const std::vector<const Record*>& among, std::string_view typed) {
  RecordMatch m;
  if (typed.empty()) return m;
  for (const Record* r : among)
    if (r->id == typed) return {r, {}, {}};
  for (auto find : {named, prefixed}) {
    std::vector<const Record*> fit = find(among, typed);
    if (fit.size() == 1) return {fit.front(), {}, {}};
    if (fit.size() > 1) return {nullptr, std::move(fit), {}};
  }
  std::vector<std::string_view> ids;
  for (const Record* r : among) ids.push_back(r->id);
  m.suggestion = std::string(closest_match(name_key(typed), ids));
  return m;
}

std::vector<std::string> complete_record(const std::vector<const Record*>& among,
                                         std::string_view typed) {
  std::vector<std::string> out;
  for (const Record* r : prefixed(among, typed)) out.push_back(r->id);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<const Record*> records_named(const Repository& repo, KindId kind,
                                         std::string_view label, std::optional<Date> date) {
  std::vector<const Record*> all;
  for (const Record& r : repo.of(kind)) all.push_back(&r);
  std::vector<const Record*> out = named(all, label);
  std::string_view date_field = kind_of(kind).date_field;
  if (!date_field.empty())
    std::erase_if(out, [&](const Record* r) { return r->date(date_field) != date; });
  return out;
}

std::string_view id_source(KindId kind) {
  const Kind& k = kind_of(kind);
  if (!k.label_field.empty()) return k.label_field;
  return k.references.empty() ? std::string_view() : k.references.front().path;
}

IdParts id_parts(KindId kind, const Value& doc) {
  IdParts out;
  std::string_view from = id_source(kind);
  if (const Value* v = from.empty() ? nullptr : doc.find(from); v && v->is_string())
    out.label = v->as_string();
  std::string_view date_field = kind_of(kind).date_field;
  if (const Value* v = date_field.empty() ? nullptr : doc.find(date_field); v && v->is_string())
    out.date = Date::parse(v->as_string());
  return out;
}

std::string same_name_note(const Repository& repo, KindId kind, const Value& doc) {
  const Kind& k = kind_of(kind);
  const Value* label = k.label_field.empty() ? nullptr : doc.find(k.label_field);
  if (!label || !label->is_string()) return {};
  std::vector<const Record*> same =
      records_named(repo, kind, label->as_string(), id_parts(kind, doc).date);
  if (same.empty()) return {};
  // A handful of ids, not hundreds: the note is one line in a terminal.
  constexpr std::size_t shown = 5;
  std::vector<std::string> ids;
  for (const Record* r : same)
    if (ids.size() < shown) ids.push_back(r->id);
  std::string name(same.front()->label());
  if (same.size() == 1)
    return fmt::format("a {} named '{}' exists already: {}", k.name, name, ids.front());
  std::string more = same.size() > shown ? fmt::format(" and {} more", same.size() - shown) : "";
  return fmt::format("{} {}s named '{}' exist already: {}{}", same.size(), k.name, name,
                     join(ids, ", "), more);
}

void fill_add_defaults(KindId kind, Value& doc, Date today) {
  const Kind& k = kind_of(kind);
  if (const Field* date = record_field(kind).property(k.main_date);
      date && date->required && !doc.find(k.main_date))
    doc.set(std::string(k.main_date), Value::string(today.str()));
  for (const auto& [field, value] : k.add_defaults)
    if (!doc.find(field)) doc.set(std::string(field), Value::string(std::string(value)));
}

std::vector<OfferedField> offered_fields(KindId kind) {
  std::vector<OfferedField> out;
  for (const OfferedField& f : offered)
    if (f.kind == kind) out.push_back(f);
  return out;
}

}  // namespace brm

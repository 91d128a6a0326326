// The table of kinds. FORMAT.md is the source of every row.
#include "brm/kinds.hpp"

#include <string>

namespace brm {

const std::array<Kind, kind_count>& kinds() {
  using K = KindId;
  static const std::array<Kind, kind_count> table = {{
      {K::Customer, "customer", "customers", "name", "",
       {{"customer", K::Customer, true, false}}},
      {K::Agreement, "agreement", "agreements", "title", "",
       {{"customer", K::Customer, true, false}, {"services[].service", K::Service, false, true}}},
      {K::Complaint, "complaint", "complaints", "summary", "received",
       {{"customer", K::Customer, false, false}, {"service", K::Service, false, true}}},
      {K::Meeting, "meeting", "meetings", "", "date", {{"customer", K::Customer, false, false}}},
      {K::Survey, "survey", "surveys", "title", "date",
       {{"responses[].customer", K::Customer, false, false}}},
      {K::Service, "service", "services", "name", "", {}},
      {K::Requirement, "requirement", "requirements", "title", "raised",
       {{"customer", K::Customer, false, false}, {"meeting", K::Meeting, false, false}}},
  }};
  return table;
}

const Kind& kind_of(KindId id) { return kinds()[static_cast<std::size_t>(id)]; }

const Kind* find_kind(std::string_view word) {
  for (const Kind& k : kinds())
    if (k.name == word || k.folder == word) return &k;
  return nullptr;
}

std::string_view Kind::schema_path() const {
  static const std::array<std::string, kind_count> paths = [] {
    std::array<std::string, kind_count> p;
    for (const Kind& k : kinds())
      p[static_cast<std::size_t>(k.id)] = "schema/" + std::string(k.name) + ".schema.yaml";
    return p;
  }();
  return paths[static_cast<std::size_t>(id)];
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && c == '-');
    if (!ok) return false;
  }
  return true;
}

std::string record_path(KindId kind, std::string_view id) {
  std::string path(kind_of(kind).folder);
  path += '/';
  path += id;
  path += ".yaml";
  return path;
}

const Kind* kind_of_record_path(std::string_view path, std::string_view* id) {
  constexpr std::string_view suffix = ".yaml";
  std::size_t slash = path.find('/');
  if (slash == std::string_view::npos || path.find('/', slash + 1) != std::string_view::npos)
    return nullptr;
  std::string_view folder = path.substr(0, slash);
  const Kind* k = find_kind(folder);
  if (!k || k->folder != folder || path.size() <= suffix.size() ||
      path.substr(path.size() - suffix.size()) != suffix)
    return nullptr;
  if (id) *id = path.substr(slash + 1, path.size() - suffix.size() - slash - 1);
  return k;
}

}  // namespace brm

// brm KIND list and brm KIND show: reading records, with filters that match the domain
// and the records that refer to one.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "brm/canonical.hpp"
#include "brm/csv.hpp"
#include "brm/error.hpp"
#include "brm/export.hpp"
#include "brm/json.hpp"
#include "brm/kind_views.hpp"
#include "brm/record_cache.hpp"
#include "brm/record_edit.hpp"
#include "brm/strings.hpp"
#include "brm/table.hpp"
#include "record.hpp"

namespace brm::cli {
namespace {

// The records `subset` names (or more), those of `kind` whole and what the views read of
// the others, with the findings of the last run when nothing changed (the record cache): no
// record is validated again. Warns of the repository's errors when asked to.
Repository load(Context& ctx, const FieldSelection& fields, const RecordSubset& subset,
                bool warn = true) {
  Diagnostics findings;
  Repository repo = load_worktree_fields(ctx.root(), fields, subset, &findings);
  std::size_t n = count_severity(findings, Severity::Error);
  if (warn && n > 0)
    std::fprintf(stderr, "warning: the repository has %zu error%s; see 'brm check'\n", n,
                 n == 1 ? "" : "s");
  return repo;
}

const Value* value_at(const Value& doc, std::string_view path) {
  const Value* at = &doc;
  while (at) {
    auto dot = path.find('.');
    at = at->find(path.substr(0, dot));
    if (dot == std::string_view::npos) return at;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

std::string scalar_text(const Value& v) {
  if (v.is_null()) return {};
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return v.to_display();
}

// A field in a table cell: lists of scalars joined, lists of objects counted.
std::string cell_text(const Value* v, const Field& field) {
  if (!v) return field.default_text;
  if (v->is_sequence()) {
    bool scalars = std::all_of(v->items().begin(), v->items().end(),
                               [](const Value& i) { return !i.is_mapping() && !i.is_sequence(); });
    if (!scalars) return std::to_string(v->items().size());
    std::string out;
    for (const Value& i : v->items()) out += (out.empty() ? "" : ", ") + scalar_text(i);
    return out;
  }
  if (v->is_mapping()) return fmt::format("{} fields", v->entries().size());
  return scalar_text(*v);
}

// The record as scripts get it: "id" first, then the fields in schema order.
Value record_value(const Record& r) {
  Value out = Value::mapping();
  out.set("id", Value::string(r.id));
  Value fields = in_schema_order(r.kind, r.doc);
  for (Value::Entry& e : fields.entries()) out.set(std::move(e.key), std::move(e.value));
  return out;
}

// Where a dotted header sorts: by the schema's order of fields, list items by number,
// keys the schema does not know by name after the known ones.
using Rank = std::vector<std::tuple<std::size_t, std::size_t, std::string>>;
Rank rank_of(KindId kind, std::string_view path) {
  if (path == "id") return {{0, 0, ""}};
  Rank rank;
  const Field* at = &record_field(kind);
  for (std::string_view seg : split(path, '.')) {
    if (at && at->type == FieldType::Array) {
      rank.emplace_back(1, static_cast<std::size_t>(std::stoul(std::string(seg))), "");
    } else {
      const Field* known = at ? at->property(seg) : nullptr;
      std::size_t index = !at     ? 0
                          : known ? static_cast<std::size_t>(known - at->properties.data())
                                  : at->properties.size();
      rank.emplace_back(1, index, known ? "" : std::string(seg));
    }
    at = at ? child_field(*at, seg) : nullptr;
  }
  return rank;
}

std::string choices_text(const Field& f) {
  std::string out;
  for (const std::string& c : f.choices) out += (out.empty() ? "" : "|") + c;
  return out;
}

// Whether a list column is copied rather than read: the id, references to other records,
// enum values and dates. The table never shortens those, only free text.
bool is_kept_whole(KindId kind, const Column& column) {
  if (column.compute) return false;
  if (column.path == "id") return true;
  for (const Reference& ref : kind_of(kind).references)
    if (ref.path == column.path) return true;
  const Field& field = field_at(kind, column.path);
  return field.is_date || !field.choices.empty();
}

struct ListOptions {
  std::string format = "text";
  std::map<std::string, std::string> equals;  // enum field -> value (--role, --status, ...)
  std::string customer;
  bool without_contact = false;
  std::map<std::string_view, bool> tests;  // the kind's filters: --open, --late, ...
  std::string since;
};

// A customer's own records and its purchasers' ones: `id` is the value of a reference
// to a customer, `account` the customer asked for.
bool belongs_to(const Repository& repo, std::string_view id, std::string_view account) {
  return id == account || repo.account_of(id) == account;
}

bool selected(const Repository& repo, const Record& r, const ListOptions& o, Date today) {
  const Kind& k = kind_of(r.kind);
  for (const auto& [field, want] : o.equals) {
    if (want.empty()) continue;
    const Value* v = r.field(field);
    std::string have = v ? scalar_text(*v) : record_field(r.kind).property(field)->default_text;
    if (have != want) return false;
  }
  if (!o.customer.empty()) {
    bool found = r.kind == KindId::Customer && belongs_to(repo, r.id, o.customer);
    for (const Reference& ref : kind_of(r.kind).references) {
      if (ref.target != KindId::Customer) continue;
      for_each_path_value(r.doc, ref.path, [&](const Value& v) {
        if (v.is_string() && belongs_to(repo, v.as_string(), o.customer)) found = true;
      });
    }
    if (!found) return false;
  }
  if (o.without_contact && !r.text("it_contact").empty()) return false;
  for (const ListFilter& f : view_of(k.id).filters)
    if (o.tests.at(f.flag) && !f.keep(repo, r, today)) return false;
  if (!o.since.empty()) {
    auto d = r.date(k.main_date);
    if (!d || d->str() < o.since) return false;
  }
  return true;
}

void print_structured(const std::vector<const Record*>& rows, const std::string& format) {
  Value list = Value::sequence();
  for (const Record* r : rows) list.push_back(record_value(*r));
  std::string text =
      format == "json" ? to_json(versioned(std::move(list), "records"), 2) + "\n" : to_yaml(list);
  if (format == "yaml" && rows.empty()) text = "[]\n";
  std::fputs(text.c_str(), stdout);
}

// Every flattened field a column, in schema order; a record without one leaves it empty.
void print_csv(KindId kind, const std::vector<const Record*>& rows) {
  std::vector<std::vector<std::pair<std::string, std::string>>> cells;
  std::vector<std::string> headers;
  for (const Record* r : rows) {
    cells.push_back(flatten(record_value(*r)));
    for (const auto& [h, v] : cells.back())
      if (std::find(headers.begin(), headers.end(), h) == headers.end()) headers.push_back(h);
  }
  if (headers.empty()) headers.push_back("id");
  std::stable_sort(headers.begin(), headers.end(), [&](const std::string& a, const std::string& b) {
    return rank_of(kind, a) < rank_of(kind, b);
  });
  std::string out = csv_line(headers);
  for (const auto& row : cells) {
    std::vector<std::string> line;
    for (const std::string& h : headers) {
      auto it = std::find_if(row.begin(), row.end(), [&](const auto& c) { return c.first == h; });
      line.push_back(it == row.end() ? std::string() : it->second);
    }
    out += csv_line(line);
  }
  std::fputs(out.c_str(), stdout);
}

std::vector<std::string> table_line(const Repository& repo, KindId kind, const Record& r,
                                    Date now) {
  std::vector<std::string> line;
  for (const Column& c : view_of(kind).columns) {
    if (c.compute)
      line.push_back(c.compute(repo, r, now));
    else if (c.path == "id")
      line.push_back(r.id);
    else
      line.push_back(cell_text(value_at(r.doc, c.path), field_at(kind, c.path)));
  }
  return line;
}

void print_table(Context& ctx, const Repository& repo, KindId kind,
                 const std::vector<const Record*>& rows, Date now) {
  const Kind& k = kind_of(kind);
  if (rows.empty()) {
    std::fprintf(stderr, "no %s\n", std::string(k.folder).c_str());
    return;
  }
  const KindView& view = view_of(kind);
  std::vector<std::string> header;
  for (const Column& c : view.columns) header.emplace_back(c.header);
  std::vector<std::vector<std::string>> lines;
  for (const Record* r : rows) lines.push_back(table_line(repo, kind, *r, now));
  TextTable table(header);
  for (std::size_t c = 0; c < view.columns.size(); ++c)
    if (is_kept_whole(kind, view.columns[c])) table.keep_whole(c);
  for (auto& line : lines) table.add_row(std::move(line));
  auto width = static_cast<std::size_t>(ctx.terminal_width());
  std::fputs(table.render(width, ctx.color(stdout)).c_str(), stdout);
}

// What a list reads of the records: the text table's fields when no test reads more.
FieldSelection listed_fields(KindId kind, const ListOptions& o) {
  bool table = o.format != "json" && o.format != "yaml" && o.format != "csv";
  bool tested = std::any_of(o.tests.begin(), o.tests.end(), [](const auto& t) { return t.second; });
  if (!table || tested) return shown_fields(kind);
  std::vector<std::string_view> filtered;  // what selected() reads besides
  for (const auto& [field, want] : o.equals) filtered.push_back(field);
  filtered.push_back("it_contact");
  return table_fields(kind, filtered);
}

void run_list(Context& ctx, KindId kind, ListOptions o) {
  if (!o.since.empty()) o.since = date_flag(o.since, "--since").str();
  for (auto& [field, want] : o.equals)
    if (!want.empty()) typed_value(*record_field(kind).property(field), want, flag_for(field));
  Repository repo = load(ctx, listed_fields(kind, o), listed_records(kind, !o.customer.empty()));
  if (!o.customer.empty()) find_record(repo, KindId::Customer, o.customer);
  Date now = today();
  std::vector<const Record*> rows;
  for (const Record& r : repo.of(kind))
    if (selected(repo, r, o, now)) rows.push_back(&r);
  if (o.format == "json" || o.format == "yaml")
    print_structured(rows, o.format);
  else if (o.format == "csv")
    print_csv(kind, rows);
  else
    print_table(ctx, repo, kind, rows, now);
  keep_until_exit(std::move(repo));  // freeing thousands of records costs more than a list
}

struct ShowOptions {
  std::string id;
  std::string format = "yaml";
};

// One kind's records among those that refer to a record: its heading, then id and label
// a line, as the kind's row says (only the open ones, only the newest few).
std::string referrer_section(const Kind& k, std::vector<const Record*> group,
                             const Repository& repo, Date now) {
  const ReferrerView& view = view_of(k.id).referrer;
  std::size_t total = group.size();
  if (view.only) std::erase_if(group, [&](const Record* g) { return !view.only(repo, *g, now); });
  if (view.newest > 0) {
    std::stable_sort(group.begin(), group.end(), [&](const Record* a, const Record* b) {
      return std::tuple(a->text(k.main_date), a->id) > std::tuple(b->text(k.main_date), b->id);
    });
    if (group.size() > view.newest) group.resize(view.newest);
  }
  if (group.empty()) return fmt::format("  {}: none ({} in all)\n", view.heading, total);
  std::string out =
      fmt::format("  {}{}:\n", view.heading,
                  group.size() < total ? fmt::format(" ({} of {})", group.size(), total) : "");
  std::size_t width = 0;
  for (const Record* g : group) width = std::max(width, display_width(g->id));
  for (const Record* g : group) {
    std::string_view label = g->label();
    if (label == g->id)
      out += fmt::format("    {}\n", g->id);
    else
      out += fmt::format("    {}{}  {}\n", g->id, std::string(width - display_width(g->id), ' '),
                         label);
  }
  return out;
}

void run_show(Context& ctx, KindId kind, const ShowOptions& o) {
  Repository repo = load(ctx, shown_fields(kind), shown_records(kind, o.id));
  if (!repo.find(kind, o.id)) {  // what the error says (a near id) reads every record
    RecordSubset every;
    every.every.fill(true);
    repo = load(ctx, shown_fields(kind), every, false);
  }
  const Record& r = find_record(repo, kind, o.id);
  std::vector<const Record*> refs = repo.referrers(kind, r.id);
  for (const Record* more : repo.referrers_through(kind, r.id))
    if (std::find(refs.begin(), refs.end(), more) == refs.end()) refs.push_back(more);

  if (o.format == "json") {
    Value out = record_value(r);
    Value by = Value::sequence();
    for (const Record* ref : refs) {
      Value item = Value::mapping();
      item.set("kind", Value::string(std::string(kind_of(ref->kind).name)));
      item.set("id", Value::string(ref->id));
      by.push_back(std::move(item));
    }
    out.set("referred_by", std::move(by));
    std::fputs((to_json(versioned(std::move(out)), 2) + "\n").c_str(), stdout);
    keep_until_exit(std::move(repo));
    return;
  }
  std::string out = to_canonical_yaml(kind, r.doc);
  out += "\nReferred to by:";
  if (refs.empty()) out += " nothing";
  out += "\n";
  Date now = today();
  for (const Kind& k : kinds()) {
    std::vector<const Record*> group;
    for (const Record* ref : refs)
      if (ref->kind == k.id) group.push_back(ref);
    if (!group.empty()) out += referrer_section(k, std::move(group), repo, now);
  }
  std::fputs(out.c_str(), stdout);
  keep_until_exit(std::move(repo));
}

}  // namespace

void setup_record_list(CLI::App* kind_cmd, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
  const Field& root = record_field(kind);
  auto o = std::make_shared<ListOptions>();
  auto* cmd = kind_cmd->add_subcommand("list", fmt::format("List the {}, one row each", k.folder));
  // "table" was the text format's first name; it stays as an alias.
  cmd->add_option("--format", o->format, "Output: text (or table), json, csv or yaml")
      ->check(CLI::IsMember({"text", "json", "csv", "yaml", "table"}));
  // Every field with a fixed set of values is a filter: --role, --status, --severity, ...
  for (const Field& f : root.properties) {
    if (f.choices.empty()) continue;
    cmd->add_option(flag_for(f.name), o->equals[f.name],
                    fmt::format("Only the {} whose {} is this", k.folder, f.name))
        ->option_text(choices_text(f));
  }
  bool customer_refs = kind == KindId::Customer;
  for (const Reference& ref : k.references) customer_refs |= ref.target == KindId::Customer;
  if (customer_refs)
    cmd->add_option(
           "--customer", o->customer,
           kind == KindId::Customer
               ? "Only this customer and its purchasers"
               : fmt::format("Only the {} of this customer or of its purchasers", k.folder))
        ->option_text("ID");
  if (root.property("it_contact"))
    cmd->add_flag("--without-contact", o->without_contact, "Only those without an IT contact");
  for (const ListFilter& f : view_of(k.id).filters)
    cmd->add_flag(fmt::format("--{}", f.flag), o->tests[f.flag], std::string(f.help));
  if (!k.main_date.empty())
    cmd->add_option("--since", o->since,
                    fmt::format("Only those with {} on or after this date", k.main_date))
        ->option_text("DATE");
  cmd->callback([&ctx, kind, o] { run_list(ctx, kind, *o); });
}

void setup_record_show(CLI::App* kind_cmd, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
  auto o = std::make_shared<ShowOptions>();
  auto* cmd = kind_cmd->add_subcommand(
      "show", fmt::format("Show a {} and the records that refer to it", k.name));
  cmd->add_option("ID", o->id, fmt::format("The {}'s id (its file name without .yaml)", k.name))
      ->required();
  // "text" as every other command calls its format for people: here that is the YAML view.
  cmd->add_option("--format", o->format, "Output: yaml (or text) or json")
      ->check(CLI::IsMember({"yaml", "json", "text"}));
  cmd->callback([&ctx, kind, o] { run_show(ctx, kind, *o); });
}

}  // namespace brm::cli

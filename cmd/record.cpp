// brm KIND ...: one command per record kind, all from the kinds table, the kinds'
// schemas and the rows below. Adding a kind is a row in kinds.cpp, a schema and a row here.
#include "record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "brm/canonical.hpp"
#include "brm/error.hpp"
#include "brm/schemas.hpp"
#include "brm/yaml.hpp"

namespace brm::cli {
namespace {

std::size_t count_of(const Record& r, std::string_view list) {
  const Value* v = r.field(list);
  return v && v->is_sequence() ? v->items().size() : 0;
}

bool is_open_action(const Value& action) { return action.is_mapping() && !action.find("done"); }

std::size_t open_actions(const Record& r) {
  const Value* actions = r.field("actions");
  if (!actions || !actions->is_sequence()) return 0;
  return static_cast<std::size_t>(
      std::count_if(actions->items().begin(), actions->items().end(), is_open_action));
}

std::string open_actions_cell(const Record& r, Date) { return std::to_string(open_actions(r)); }
std::string attendees_cell(const Record& r, Date) {
  return std::to_string(count_of(r, "attendees"));
}
std::string responses_cell(const Record& r, Date) {
  return std::to_string(count_of(r, "responses"));
}
std::string mean_score_cell(const Record& r, Date) {
  const Value* responses = r.field("responses");
  double sum = 0;
  std::size_t n = 0;
  if (responses && responses->is_sequence())
    for (const Value& resp : responses->items())
      if (const Value* s = resp.find("score"); s && s->is_number()) {
        sum += s->as_double();
        ++n;
      }
  return n == 0 ? std::string() : fmt::format("{:.1f}", sum / static_cast<double>(n));
}

bool complaint_open(const Record& r, Date) {
  std::string_view s = r.text("status");
  return s != "resolved" && s != "rejected";
}
bool meeting_open(const Record& r, Date) { return open_actions(r) > 0; }
bool meeting_overdue(const Record& r, Date today) {
  const Value* actions = r.field("actions");
  if (!actions || !actions->is_sequence()) return false;
  return std::any_of(actions->items().begin(), actions->items().end(), [&](const Value& a) {
    const Value* due = a.find("due");
    auto d = due && due->is_string() ? Date::parse(due->as_string()) : std::nullopt;
    return is_open_action(a) && d && *d < today;
  });
}
bool requirement_open(const Record& r, Date) {
  std::string_view s = r.text("status");
  return s == "proposed" || s == "accepted";
}

void complaint_commands(CLI::App* cmd, Context& ctx) { setup_complaint_close(cmd, ctx); }
void meeting_commands(CLI::App* cmd, Context& ctx) { setup_meeting_done(cmd, ctx); }
void survey_commands(CLI::App* cmd, Context& ctx) { add_survey_import(cmd, ctx); }

}  // namespace

const KindView& view_of(KindId kind) {
  using K = KindId;
  static const std::array<KindView, kind_count> views = {{
      {.kind = K::Customer,
       .columns = {{"ID", "id"},
                   {"NAME", "name"},
                   {"ROLE", "role"},
                   {"CUSTOMER", "customer"},
                   {"IT CONTACT", "it_contact"},
                   {"STATUS", "status"}},
       .main_date = "since",
       .referrer = {.heading = "purchasers"}},
      {.kind = K::Agreement,
       .columns = {{"ID", "id"},
                   {"TITLE", "title"},
                   {"CUSTOMER", "customer"},
                   {"STATUS", "status"},
                   {"START", "start"},
                   {"END", "end"},
                   {"REVIEW", "review"}},
       .main_date = "start",
       .add_defaults = {{"status", "draft"}},
       .referrer = {.heading = "agreements"}},
      {.kind = K::Complaint,
       .columns = {{"ID", "id"},
                   {"SUMMARY", "summary"},
                   {"CUSTOMER", "customer"},
                   {"SEVERITY", "severity"},
                   {"STATUS", "status"}},
       .main_date = "received",
       .add_defaults = {{"status", "open"}},
       .is_open = complaint_open,
       .open_help = "Only complaints not resolved or rejected",
       .referrer = {.heading = "open complaints", .open_only = true},
       .more_commands = complaint_commands},
      {.kind = K::Meeting,
       .columns = {{"ID", "id"},
                   {"CUSTOMER", "customer"},
                   {"TYPE", "type"},
                   {"ATTENDEES", attendees_cell},
                   {"OPEN ACTIONS", open_actions_cell}},
       .main_date = "date",
       .is_open = meeting_open,
       .open_help = "Only meetings with open actions",
       .is_overdue = meeting_overdue,
       .referrer = {.heading = "last meetings", .newest = 3},
       .more_commands = meeting_commands},
      {.kind = K::Survey,
       .columns = {{"ID", "id"},
                   {"TITLE", "title"},
                   {"RESPONSES", responses_cell},
                   {"MEAN SCORE", mean_score_cell}},
       .main_date = "date",
       .referrer = {.heading = "surveys"},
       .more_commands = survey_commands},
      {.kind = K::Service,
       .columns = {{"ID", "id"}, {"NAME", "name"}, {"STATUS", "status"}, {"OWNER", "owner"}},
       .referrer = {.heading = "services"}},
      {.kind = K::Requirement,
       .columns = {{"ID", "id"},
                   {"TITLE", "title"},
                   {"CUSTOMER", "customer"},
                   {"TYPE", "type"},
                   {"STATUS", "status"}},
       .main_date = "raised",
       .add_defaults = {{"status", "proposed"}},
       .is_open = requirement_open,
       .open_help = "Only requirements proposed or accepted",
       .referrer = {.heading = "requirements"}},
  }};
  return views[static_cast<std::size_t>(kind)];
}

void add_write_flags(CLI::App* cmd, WriteFlags* flags) {
  cmd->add_flag("--no-commit", flags->no_commit, "Write the file but make no git commit");
  // rm has its own --force (dangling references); it never adds a file, so needs no other.
  if (!cmd->get_option_no_throw("--force"))
    cmd->add_flag("--force", flags->force, "Commit files even in paths git ignores (git add -f)");
}

WriteOptions write_options(const WriteFlags& flags) {
  WriteOptions o;
  o.commit = !flags.no_commit;
  o.force = flags.force;
  return o;
}

const Record& find_record(const Repository& repo, KindId kind, std::string_view id) {
  if (const Record* r = repo.find(kind, id)) return *r;
  // A file that does not parse is not in the model; say so rather than "no customer".
  // Links are not followed (neither the kind's folder nor the file may be one).
  namespace fs = std::filesystem;
  std::error_code ec;
  if (is_valid_id(id) && !repo.root.empty() &&
      fs::is_directory(fs::symlink_status(repo.root / kind_of(kind).folder, ec)) &&
      fs::is_regular_file(fs::symlink_status(repo.root / record_path(kind, id), ec)))
    throw Error(ExitCode::DataErrors,
                fmt::format("{} cannot be read as a {}: see 'brm check {}'; 'brm {} edit {}' "
                            "opens it as it is",
                            record_path(kind, id), kind_of(kind).name, record_path(kind, id),
                            kind_of(kind).name, id));
  std::vector<std::string_view> ids;
  for (const Record& r : repo.of(kind)) ids.push_back(r.id);
  std::string_view near = closest_match(id, ids);
  throw Error(
      ExitCode::DataErrors,
      fmt::format("no {} '{}'{}", kind_of(kind).name, id,
                  near.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", near)));
}

std::string flag_for(std::string_view path) {
  std::string out = "--";
  for (char c : path) out += (c == '_' || c == '.') ? '-' : c;
  return out;
}

Value with_positions(KindId kind, const Value& doc) {
  std::string text = to_canonical_yaml(kind, doc);
  Value read;
  Diagnostics ignored;
  if (!parse_yaml(text, record_path(kind, "x"), &read, &ignored)) return doc;
  return read;
}


void commit_or_refuse(Context& ctx, Transaction& tx, const std::string& message) {
  try {
    tx.commit(message);
  } catch (const InvalidChange& e) {
    print_findings(ctx, e.findings);
    std::size_t n = count_severity(e.findings, Severity::Error);
    throw Error(ExitCode::DataErrors, fmt::format("the change has {} error{}; nothing was written",
                                                  n, n == 1 ? "" : "s"));
  }
}

bool can_prompt(Context& ctx) { return ctx.is_terminal(stdin) && ctx.is_terminal(stderr); }

bool ask_yes_no(std::string_view question, bool yes_by_default) {
  for (;;) {
    std::fprintf(stderr, "%.*s %s ", static_cast<int>(question.size()), question.data(),
                 yes_by_default ? "[Y/n]" : "[y/N]");
    std::fflush(stderr);
    std::string line;
    if (!std::getline(std::cin, line)) return false;
    if (line.empty()) return yes_by_default;
    if (line == "y" || line == "Y" || line == "yes") return true;
    if (line == "n" || line == "N" || line == "no") return false;
  }
}

Date date_flag(std::string_view text, std::string_view flag) {
  if (text.empty()) return today();
  auto d = Date::parse(text);
  if (!d)
    throw Error(ExitCode::Usage,
                fmt::format("invalid value '{}' for {}: expected a date YYYY-MM-DD", text, flag));
  return *d;
}

void setup_records(CLI::App& app, Context& ctx) {
  for (const Kind& k : kinds()) {
    const Value* title = RecordSchemas::builtin_document(k.id).find("title");
    std::string what = title && title->is_string() ? title->as_string() : std::string(k.name);
    auto* cmd = app.add_subcommand(
        std::string(k.name),
        fmt::format("{} records ({}/): add, list, show, set, edit, rm", what, k.folder));
    cmd->require_subcommand(1);
    setup_record_add(cmd, ctx, k.id);
    setup_record_list(cmd, ctx, k.id);
    setup_record_show(cmd, ctx, k.id);
    setup_record_set(cmd, ctx, k.id);
    setup_record_edit(cmd, ctx, k.id);
    setup_record_rm(cmd, ctx, k.id);
    setup_record_mv(cmd, ctx, k.id);
    if (auto more = view_of(k.id).more_commands) more(cmd, ctx);
    // The kind's own commands (complaint close, survey import) are named in brm's help too.
    std::string words;
    for (const CLI::App* sub : cmd->get_subcommands([](const CLI::App*) { return true; }))
      words += (words.empty() ? "" : ", ") + sub->get_name();
    cmd->description(fmt::format("{} records ({}/): {}", what, k.folder, words));
  }
}

}  // namespace brm::cli

// brm KIND ...: one command per record kind, all from the kinds table and the kinds'
// schemas. Adding a kind is a row in lib/repo/kinds.cpp and a schema; a row below only for
// commands of that kind alone (complaint close).
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

// The commands of one kind beyond add, list, show, set, edit and rm.
struct KindCommand {
  KindId kind;
  void (*setup)(CLI::App* kind_cmd, Context& ctx);
};
constexpr KindCommand kind_commands[] = {
    {KindId::Complaint, setup_complaint_close},
    {KindId::Meeting, setup_meeting_done},
    {KindId::Survey, add_survey_import},
    {KindId::Result, setup_result_import},
};

}  // namespace

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

bool confirm_dropping_comments(Context& ctx, KindId kind, std::string_view id, bool ask) {
  std::string path = record_path(kind, id);
  std::string name(kind_of(kind).name);
  std::fprintf(stderr,
               "warning: this change rewrites %s in canonical form, which drops its comments; "
               "'brm %s edit %.*s' keeps them\n",
               path.c_str(), name.c_str(), static_cast<int>(id.size()), id.data());
  return !ask || !can_prompt(ctx) || ask_yes_no("write it without its comments?", false);
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
  for (const Kind& k : kinds()) setup_record_kind(app, ctx, k.id);
}

void setup_record_kind(CLI::App& app, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
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
  for (const KindCommand& more : kind_commands)
    if (more.kind == k.id) more.setup(cmd, ctx);
  // The kind's own commands (complaint close, survey import) are named in brm's help too.
  std::string words;
  for (const CLI::App* sub : cmd->get_subcommands([](const CLI::App*) { return true; }))
    words += (words.empty() ? "" : ", ") + sub->get_name();
  cmd->description(fmt::format("{} records ({}/): {}", what, k.folder, words));
}

}  // namespace brm::cli

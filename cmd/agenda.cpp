// brm agenda: what needs the relationship manager's attention now.
#include "brm/agenda.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "brm/error.hpp"
#include "brm/history.hpp"
#include "cli.hpp"
#include "progress.hpp"

namespace brm::cli {
namespace {

struct AgendaFlags {
  std::optional<int> days;
  std::string customer;
  std::string owner;
  std::string format = "text";
};

// The owner as the actions spell the name ("Erik Lund" for --owner "erik lund "), else as
// given without surrounding blanks.
std::string owner_name(const std::vector<AgendaItem>& items, std::string_view given) {
  std::size_t first = given.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  if (!items.empty()) return items.front().owner;
  return std::string(given.substr(first, given.find_last_not_of(" \t") - first + 1));
}

void run_agenda(Context& ctx, const AgendaFlags& o) {
  Diagnostics findings;  // brm check shows them; here they only leave records out
  Repository repo = load_worktree_with_progress(ctx, &findings);
  AgendaOptions options;
  options.today = today();
  options.days = o.days;
  if (!o.customer.empty()) options.account = account_for(repo, o.customer);
  options.owner = o.owner;
  if (std::size_t left_out = records_left_out(repo.record_files, repo))
    std::fprintf(stderr, "brm: warning: %zu record%s with errors left out; run 'brm check'\n",
                 left_out, left_out == 1 ? "" : "s");

  std::vector<AgendaItem> items = build_agenda(repo, options);
  AgendaHeading heading{repo.settings.organisation,
                        options.today,
                        o.days.value_or(repo.settings.review_warning_days),
                        options.account,
                        "",
                        owner_name(items, o.owner)};
  if (const Record* c = repo.find(KindId::Customer, options.account))
    heading.account_name = c->label();
  std::string out = o.format == "json"       ? agenda_json(items)
                    : o.format == "markdown" ? agenda_markdown(items, heading)
                                             : agenda_text(items, heading, ctx.color(stdout));
  std::fputs(out.c_str(), stdout);
}

}  // namespace

void setup_agenda(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<AgendaFlags>();
  auto* cmd = app.add_subcommand(
      "agenda", "What needs attention now: overdue actions, reviews, complaints, gaps");
  cmd->add_option("--days", o->days,
                  "Look this many days ahead (default: brm.yaml review_warning_days)")
      ->check(CLI::Range(0, 3660))
      ->option_text("N");
  cmd->add_option("--customer", o->customer,
                  "Only this customer's account (its purchasers included)")
      ->option_text("ID");
  cmd->add_option(
         "--owner", o->owner,
         "Only the actions this person owns, and the milestones of the projects they manage")
      ->option_text("NAME");
  cmd->add_option("--format", o->format, "Output: text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->footer(
      "Most urgent first: overdue actions and milestones, active agreements past their end,\n"
      "service levels breached in each agreement's latest result, open escalations, projects\n"
      "late or red, actions due and agreement or plan reviews and ends within the window, open\n"
      "complaints (oldest first), customers not met within meeting_interval_days, missing IT\n"
      "contacts and written agreements.");
  cmd->callback([&ctx, o] { run_agenda(ctx, *o); });
}

}  // namespace brm::cli

// brm log: the history of the repository or of one record, as changes to records and
// their fields.
#include "brm/log.hpp"

#include <cstdio>

#include "cli.hpp"

namespace brm::cli {
namespace {

struct LogCommandOptions {
  std::string record;
  std::string format = "text";
  std::size_t max_count = 0;
};

void run_log(Context& ctx, const LogCommandOptions& o) {
  LogOptions options;
  options.record = o.record;
  options.max_count = o.max_count;
  std::vector<LogEntry> log = repository_log(ctx.root(), options);
  std::string out = o.format == "json" ? log_to_json(log) : log_to_text(log, ctx.color(stdout));
  std::fputs(out.c_str(), stdout);
}

}  // namespace

void setup_log(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<LogCommandOptions>();
  auto* cmd = app.add_subcommand(
      "log", "The git history of the repository or of one record, with what changed");
  cmd->add_option("ID", o->record,
                  "A record id, or KIND/ID (customers/anna-berg) when records of several kinds "
                  "share it");
  cmd->add_option("-n,--max-count", o->max_count, "Show only the newest N commits")
      ->option_text("N")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            return text.find_first_not_of("0123456789") == std::string::npos && text != "0" &&
                           text.find_first_not_of('0') != std::string::npos
                       ? std::string()
                       : "expected a number of commits, 1 or more, got '" + text + "'";
          },
          "N"));
  cmd->add_option("--format", o->format, "Output: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->footer(
      "Newest first, along the first-parent line of HEAD; each commit against its first\n"
      "parent, record by record and field by field (dotted paths, list items by index).");
  cmd->callback([&ctx, o] { run_log(ctx, *o); });
}

}  // namespace brm::cli

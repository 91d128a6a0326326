// The record commands, `brm KIND add|list|show|set|edit|rm` plus `complaint close` and
// `meeting done`, shared by every kind. The fields come from the kind's schema; what
// the schema cannot say (table columns, what "open" means) is one row per kind in
// record.cpp.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "brm/date.hpp"
#include "brm/diagnostic.hpp"
#include "brm/kinds.hpp"
#include "brm/repository.hpp"
#include "brm/store.hpp"
#include "cli.hpp"

namespace brm::cli {

// A column of `brm KIND list`: a field, or a figure computed from the record.
struct Column {
  using Compute = std::string (*)(const Record& record, Date today);
  Column(std::string_view h, std::string_view p) : header(h), path(p) {}
  Column(std::string_view h, Compute c) : header(h), compute(c) {}

  std::string_view header;
  std::string_view path;  // dotted path of the field shown; "id" for the id
  Compute compute = nullptr;
};

// How the records of a kind show among the records that refer to another (`show`).
struct ReferrerView {
  std::string_view heading = {};  // "purchasers", "open complaints", "last meetings"
  bool open_only = false;         // only the ones `is_open` accepts
  std::size_t newest = 0;         // only the newest N by main date; 0: all
};

// What the schema cannot say about a kind, for the record commands.
struct KindView {
  KindId kind = KindId::Customer;
  // list's table: id and label first; dated kinds' ids start with their date already
  std::vector<Column> columns = {};
  // The date that places a record in time: `--since`, newest first, and today's date
  // by default on `add` when the schema requires it. Empty: none.
  std::string_view main_date = {};
  // Values `add` writes unless given (FORMAT.md's defaults for required fields).
  std::vector<std::pair<std::string_view, std::string_view>> add_defaults = {};
  bool (*is_open)(const Record& record, Date today) = nullptr;     // list --open
  std::string_view open_help = {};                                 // what --open means
  bool (*is_overdue)(const Record& record, Date today) = nullptr;  // list --overdue
  ReferrerView referrer = {};
  // Commands of this kind only (complaint close, meeting done, survey import).
  void (*more_commands)(CLI::App* kind_cmd, Context& ctx) = nullptr;
};

const KindView& view_of(KindId kind);

// --- Shared by the record commands (record.cpp) ---

struct WriteFlags {
  bool no_commit = false;
  bool force = false;  // commit files in paths git ignores
};
void add_write_flags(CLI::App* cmd, WriteFlags* flags);
WriteOptions write_options(const WriteFlags& flags);

// The record, or Error(DataErrors) "no customer 'x' (did you mean 'y'?)".
const Record& find_record(const Repository& repo, KindId kind, std::string_view id);

// "budget.amount" -> "--budget-amount"
std::string flag_for(std::string_view path);

// The document read back from its canonical text, so that findings about a record that
// was built in memory point at the lines of the file as it will be written.
Value with_positions(KindId kind, const Value& doc);

// Findings as `brm check` prints them (file:line:col: error: message [rule]), on stderr.

// Commits the transaction; when the change has errors prints them and throws
// Error(DataErrors) so that nothing is written.
void commit_or_refuse(Context& ctx, Transaction& tx, const std::string& message);

// Whether prompts may be asked: stdin and stderr are terminals.
bool can_prompt(Context& ctx);
// Asks a yes/no question on stderr until answered; Enter gives `yes_by_default`, end of
// input no.
bool ask_yes_no(std::string_view question, bool yes_by_default);

// Prints what a change did, one line on stdout: "customer anna-berg: set email, phone".
void say_changed(KindId kind, std::string_view id, std::string_view what);

// A date flag's value, or today when empty; Error(Usage) when it is no date.
Date date_flag(std::string_view text, std::string_view flag);

// The commands, one per file.
void setup_record_add(CLI::App* kind_cmd, Context& ctx, KindId kind);
void setup_record_list(CLI::App* kind_cmd, Context& ctx, KindId kind);
void setup_record_show(CLI::App* kind_cmd, Context& ctx, KindId kind);
void setup_record_set(CLI::App* kind_cmd, Context& ctx, KindId kind);
void setup_record_edit(CLI::App* kind_cmd, Context& ctx, KindId kind);
void setup_record_rm(CLI::App* kind_cmd, Context& ctx, KindId kind);
void setup_record_mv(CLI::App* kind_cmd, Context& ctx, KindId kind);  // record_mv.cpp
void setup_complaint_close(CLI::App* complaint_cmd, Context& ctx);
void setup_meeting_done(CLI::App* meeting_cmd, Context& ctx);

}  // namespace brm::cli

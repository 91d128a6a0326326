// The record commands, `brm KIND add|list|show|set|edit|rm` plus `complaint close`,
// `meeting done` and the imports, shared by every kind. The fields come from the kind's
// schema; what the schema cannot say (table columns, what "open" means) is the kind's
// row in lib/repo/kinds.cpp.
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

// Before a write that puts the record's file, which has comments, in canonical form: the
// warning on stderr and, with `ask` in a terminal, the question whether to go on. Returns
// false when the answer is no (write nothing then).
bool confirm_dropping_comments(Context& ctx, KindId kind, std::string_view id, bool ask);

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
void setup_result_import(CLI::App* result_cmd, Context& ctx);

}  // namespace brm::cli

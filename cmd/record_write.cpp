// brm KIND set and rm, complaint close, meeting done: changes to one record, each
// validated with the whole repository and written as one commit.
#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "brm/canonical.hpp"
#include "brm/error.hpp"
#include "brm/record_edit.hpp"
#include "brm/strings.hpp"
#include "brm/text_edit.hpp"
#include "brm/yaml.hpp"
#include "record.hpp"

namespace brm::cli {
namespace {

// set, close and done change one record alike: under the lock, a copy of its document
// is changed, then written back (in place when it can be), validated with the rest and
// committed.
struct RecordChange {
  RecordChange(Context& ctx, KindId kind, std::string_view id, const WriteFlags& write)
      : tx(ctx.root(), write_options(write)),
        record(find_record(tx.repository(), kind, id)),
        doc(record.doc) {}

  // In place when only values changed, so that the user's comments and layout stay;
  // otherwise in canonical form, after a warning (and in a terminal, a question) when
  // that drops comments, before anything is written.
  void commit(Context& ctx, const std::string& message) {
    const std::string* text = tx.original_text(record.path());
    Value ordered = in_schema_order(record.kind, doc);  // new keys only where fmt puts them
    if (auto edited = text ? edit_in_place(*text, record.doc, ordered) : std::nullopt) {
      tx.put_text(record.kind, record.id, std::move(*edited));
    } else {
      if (text && has_comments(*text) &&
          !confirm_dropping_comments(ctx, record.kind, record.id, true))
        throw Error(ExitCode::DataErrors, fmt::format("{} is unchanged", record.path()));
      tx.put(record.kind, record.id, with_positions(record.kind, doc));
    }
    commit_or_refuse(ctx, tx, message);
  }

  Transaction tx;
  const Record& record;  // as it is in the repository
  Value doc;             // the copy to change
};

// The repository's own schema of a kind, when it has one that parses: it types the values
// the built-in schema leaves open. One that does not parse is `brm check`'s to report.
std::optional<Value> own_schema(const Transaction& tx, KindId kind) {
  const std::string* text = tx.original_text(kind_of(kind).schema_path());
  Value doc;
  Diagnostics ignored;
  if (!text || !parse_yaml(*text, kind_of(kind).schema_path(), &doc, &ignored)) return std::nullopt;
  return doc;
}

struct SetOptions {
  std::string id;
  std::vector<std::string> assignments;  // FIELD=VALUE
  std::vector<std::string> unset;
  WriteFlags write;
};

void run_set(Context& ctx, KindId kind, const SetOptions& o) {
  if (o.assignments.empty() && o.unset.empty())
    throw Error(ExitCode::Usage, "nothing to change: give FIELD=VALUE or --unset FIELD");
  std::vector<std::pair<std::string, std::string>> changes;
  for (const std::string& a : o.assignments) {
    auto eq = a.find('=');
    if (eq == 0 || eq == std::string::npos)
      throw Error(ExitCode::Usage, fmt::format("expected FIELD=VALUE, got '{}'", a));
    changes.emplace_back(a.substr(0, eq), a.substr(eq + 1));
  }
  RecordChange change(ctx, kind, o.id, o.write);
  const std::string& id = change.record.id;
  const std::string path = change.record.path();
  std::vector<std::string> what, set_fields;
  std::optional<Value> schema = own_schema(change.tx, kind);
  for (const auto& [field, value] : changes) {
    set_path(kind, change.doc, field, value, schema ? &*schema : nullptr);
    what.push_back(field);
    set_fields.push_back(field);
  }
  // Unknown fields can be unset too: that is how a typo that `brm check` found goes away.
  for (const std::string& field : o.unset) {
    unset_path(change.doc, field);
    what.push_back("unset " + field);
  }
  if (change.doc == change.record.doc) {
    std::fprintf(stderr, "%s: nothing changed\n", path.c_str());
    return;
  }
  change.commit(ctx, fmt::format("{}: set {} {}", kind_of(kind).name, id, join(what, ", ")));
  std::vector<std::string> said;
  if (!set_fields.empty()) said.push_back("set " + join(set_fields, ", "));
  if (!o.unset.empty()) said.push_back("unset " + join(o.unset, ", "));
  say_changed(kind, id, join(said, "; "));
}

struct RmOptions {
  std::string id;
  bool force = false;
  WriteFlags write;
};

void run_rm(Context& ctx, KindId kind, const RmOptions& o) {
  Transaction tx(ctx.root(), write_options(o.write));
  const Record& r = find_record(tx.repository(), kind, o.id);
  std::string id = r.id;
  std::vector<std::string> paths;
  for (const Record* ref : tx.repository().referrers(kind, id)) paths.push_back(ref->path());
  if (!paths.empty() && !o.force)
    throw Error(ExitCode::DataErrors,
                fmt::format("refused: {} is referred to by: {}\n"
                            "hint: change those first, or use --force to leave them dangling",
                            id, join(paths, ", ")));
  if (o.force) tx.allow_dangling();
  tx.remove(kind, id);
  commit_or_refuse(ctx, tx, fmt::format("{}: rm {}", kind_of(kind).name, id));
  if (!paths.empty())
    std::fprintf(stderr, "warning: %zu record%s still refer%s to %s: %s\n", paths.size(),
                 paths.size() == 1 ? "" : "s", paths.size() == 1 ? "s" : "", id.c_str(),
                 join(paths, ", ").c_str());
}

struct CloseOptions {
  std::string id;
  std::string resolution;
  bool rejected = false;
  std::string date;
  bool force = false;
  WriteFlags write;
};

// Closing again would overwrite the day it was closed and its resolution, history that
// reports count on: only with --force, as a deliberate correction.
void refuse_closed_again(const Record& complaint, bool force) {
  std::string_view status = complaint.text("status");
  if (force || (status != "resolved" && status != "rejected")) return;
  std::string_view closed = complaint.text("closed");
  throw Error(ExitCode::DataErrors,
              fmt::format("refused: complaint '{}' was already {}{}\n"
                          "hint: use --force to replace its status, date and resolution",
                          complaint.id, status,
                          closed.empty() ? std::string() : fmt::format(" on {}", closed)));
}

void run_close(Context& ctx, const CloseOptions& o) {
  Date closed = date_flag(o.date, "--date");
  RecordChange change(ctx, KindId::Complaint, o.id, o.write);
  refuse_closed_again(change.record, o.force);
  std::string status = o.rejected ? "rejected" : "resolved";
  change.doc.set("status", Value::string(status));
  change.doc.set("closed", Value::string(closed.str()));
  change.doc.set("resolution", Value::string(o.resolution));
  std::string id = change.record.id;
  change.commit(ctx, fmt::format("complaint: close {}{}", id, o.rejected ? " (rejected)" : ""));
  say_changed(KindId::Complaint, id, fmt::format("{} on {}", status, closed.str()));
}

struct DoneOptions {
  std::string id;
  int number = 0;
  std::string date;
  WriteFlags write;
};

void run_done(Context& ctx, const DoneOptions& o) {
  Date done = date_flag(o.date, "--date");
  RecordChange change(ctx, KindId::Meeting, o.id, o.write);
  const std::string& id = change.record.id;
  Value* actions = change.doc.find("actions");
  std::size_t count = actions && actions->is_sequence() ? actions->items().size() : 0;
  if (o.number < 1 || static_cast<std::size_t>(o.number) > count)
    throw Error(ExitCode::Usage,
                fmt::format("there is no action {} in meeting '{}': it has {}", o.number, id,
                            count == 0   ? std::string("no actions")
                            : count == 1 ? std::string("1 action")
                                         : fmt::format("{} actions", count)));
  Value& action = actions->items()[static_cast<std::size_t>(o.number - 1)];
  if (!action.is_mapping())
    throw Error(
        ExitCode::DataErrors,
        fmt::format("action {} in meeting '{}' is not a mapping; see 'brm check'", o.number, id));
  if (const Value* was = action.find("done")) {
    std::fprintf(stderr, "action %d of %s was already done on %s; nothing changed\n", o.number,
                 id.c_str(), was->to_display().c_str());
    return;
  }
  action.set("done", Value::string(done.str()));
  const Value* what = action.find("what");
  std::string said = fmt::format("action {} done on {}", o.number, done.str());
  if (what && what->is_string()) said += fmt::format(" ({})", what->as_string());
  std::string meeting = id;
  change.commit(ctx, fmt::format("meeting: done {} action {}", id, o.number));
  say_changed(KindId::Meeting, meeting, said);
}

}  // namespace

// One line on stdout after a change, so that a script's log and a person both see what
// happened: "customer anna-berg: set email, phone".
void say_changed(KindId kind, std::string_view id, std::string_view what) {
  std::printf("%s %.*s: %.*s\n", std::string(kind_of(kind).name).c_str(),
              static_cast<int>(id.size()), id.data(), static_cast<int>(what.size()), what.data());
}

void setup_record_set(CLI::App* kind_cmd, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
  auto o = std::make_shared<SetOptions>();
  auto* cmd = kind_cmd->add_subcommand("set", fmt::format("Change fields of a {}", k.name));
  cmd->add_option("ID", o->id, fmt::format("The {}'s id", k.name))->required();
  cmd->add_option("FIELD=VALUE", o->assignments,
                  "A field and its new value; dotted paths for nested fields "
                  "(budget.amount=5, services.0.levels.1.target=99.9); a list index one past "
                  "the end appends");
  cmd->add_option("--unset", o->unset, "Remove a field or list item; repeatable")
      ->allow_extra_args(false)
      ->option_text("FIELD");
  add_write_flags(cmd, &o->write);
  cmd->footer(
      "Values are typed by the kind's schema. A value changes in place, keeping the file's\n"
      "comments and layout; a new list item or nested mapping rewrites the file in canonical\n"
      "form, after a warning (in a terminal, a question) when that drops comments: 'brm " +
      std::string(k.name) + " edit' keeps them.");
  cmd->callback([&ctx, kind, o] { run_set(ctx, kind, *o); });
}

void setup_record_rm(CLI::App* kind_cmd, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
  auto o = std::make_shared<RmOptions>();
  auto* cmd = kind_cmd->add_subcommand(
      "rm", fmt::format("Remove a {}; refused while other records refer to it", k.name));
  cmd->add_option("ID", o->id, fmt::format("The {}'s id", k.name))->required();
  cmd->add_flag("--force", o->force, "Remove it even though other records refer to it");
  add_write_flags(cmd, &o->write);
  cmd->callback([&ctx, kind, o] { run_rm(ctx, kind, *o); });
}

void setup_complaint_close(CLI::App* complaint_cmd, Context& ctx) {
  auto o = std::make_shared<CloseOptions>();
  auto* cmd = complaint_cmd->add_subcommand(
      "close", "Close a complaint: status resolved (or rejected), the date and the resolution");
  cmd->add_option("ID", o->id, "The complaint's id")->required();
  cmd->add_option("--resolution", o->resolution, "What was done, or why it was rejected")
      ->required()
      ->option_text("TEXT");
  cmd->add_flag("--rejected", o->rejected, "Reject it instead of resolving it");
  cmd->add_flag("--force", o->force,
                "Close it even when it is closed already, replacing its date and resolution");
  cmd->add_option("--date", o->date, "The day it was closed; default today")->option_text("DATE");
  add_write_flags(cmd, &o->write);
  cmd->callback([&ctx, o] { run_close(ctx, *o); });
}

void setup_meeting_done(CLI::App* meeting_cmd, Context& ctx) {
  auto o = std::make_shared<DoneOptions>();
  auto* cmd = meeting_cmd->add_subcommand("done", "Mark a meeting's action done");
  cmd->add_option("MEETING-ID", o->id, "The meeting's id")->required();
  cmd->add_option("N", o->number, "The action's number, from 1 in file order")->required();
  cmd->add_option("--date", o->date, "The day it was done; default today")->option_text("DATE");
  add_write_flags(cmd, &o->write);
  cmd->callback([&ctx, o] { run_done(ctx, *o); });
}

}  // namespace brm::cli

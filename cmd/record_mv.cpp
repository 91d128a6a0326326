// brm KIND mv: renames a record and changes every reference to it, in one commit.
#include <fmt/format.h>

#include <cstdio>

#include "brm/canonical.hpp"
#include "brm/error.hpp"
#include "brm/rename.hpp"
#include "record.hpp"

namespace brm::cli {
namespace {

struct MvOptions {
  std::string id;
  std::string new_id;
  WriteFlags write;
};

void run_mv(Context& ctx, KindId kind, const MvOptions& o) {
  Transaction tx(ctx.root(), write_options(o.write));
  const Record& r = find_record(tx.repository(), kind, o.id);
  std::string id = r.id;
  Rename done = stage_rename(tx, kind, id, o.new_id);
  for (const std::string& path : done.rewritten) {
    std::string_view ref_id;
    const Kind* ref_kind = kind_of_record_path(path, &ref_id);
    const std::string* text = tx.original_text(path);
    if (ref_kind && text && has_comments(*text) &&
        !confirm_dropping_comments(ctx, ref_kind->id, ref_id, true))
      throw Error(ExitCode::DataErrors, "nothing was written");
  }
  commit_or_refuse(ctx, tx, fmt::format("{}: mv {} {}", kind_of(kind).name, id, o.new_id));
  std::printf("%s -> %s\n", record_path(kind, id).c_str(), record_path(kind, o.new_id).c_str());
  for (const std::string& path : done.referrers) std::printf("updated %s\n", path.c_str());
}

}  // namespace

void setup_record_mv(CLI::App* kind_cmd, Context& ctx, KindId kind) {
  const Kind& k = kind_of(kind);
  auto o = std::make_shared<MvOptions>();
  auto* cmd = kind_cmd->add_subcommand(
      "mv", fmt::format("Rename a {} and change every reference to it", k.name));
  cmd->add_option("ID", o->id, fmt::format("The {}'s id", k.name))->required();
  cmd->add_option("NEW-ID", o->new_id, "Its new id: [a-z0-9][a-z0-9-]{0,63}, not taken")
      ->required();
  add_write_flags(cmd, &o->write);
  cmd->footer("The records that refer to it are edited in place; their comments stay.");
  cmd->callback([&ctx, kind, o] { run_mv(ctx, kind, *o); });
}

}  // namespace brm::cli

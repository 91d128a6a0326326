// brm completion bash|zsh|fish, and the hidden `brm __complete ids [KIND]` its scripts
// call for record ids. The scripts are made from the command tree as it is set up here,
// so every command, flag and schema enum completes without a list kept by hand.
#include "brm/completion.hpp"

#include <cstdio>
#include <string>

#include "brm/error.hpp"
#include "brm/kinds.hpp"
#include "brm/strings.hpp"
#include "cli.hpp"

namespace brm::cli {

namespace {

std::vector<std::string> split_words(std::string_view text, char sep) {
  std::vector<std::string_view> parts = split(text, sep);
  return {parts.begin(), parts.end()};
}

// The words of an IsMember check ("TEXT:{text,json}") or of an option text listing a
// schema enum ("customer|purchaser").
std::vector<std::string> choices_of(const CLI::Option& o) {
  std::string type = o.get_type_name();
  if (auto open = type.find(":{"); open != std::string::npos && type.back() == '}')
    return split_words(std::string_view(type).substr(open + 2, type.size() - open - 3), ',');
  const std::string& text = o.get_option_text();
  if (text.find('|') != std::string::npos && text.find(' ') == std::string::npos)
    return split_words(text, '|');
  return {};
}

// The kind whose ids `o` takes, from its name: --customer ID, MEETING-ID, or a record
// command's ID (`command_kind`); empty for any kind.
std::string id_kind(const CLI::Option& o, const std::string& name, std::string_view command_kind) {
  for (const std::string& l : o.get_lnames())
    if (find_kind(l)) return l;
  if (name.size() > 3 && name.ends_with("-ID")) {
    std::string word = name.substr(0, name.size() - 3);
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (find_kind(word)) return word;
  }
  return std::string(command_kind);
}

CompletionValue value_of(const CLI::Option& o, std::string_view command_kind) {
  CompletionValue v;
  v.choices = choices_of(o);
  if (!v.choices.empty()) {
    v.type = CompletionValue::Type::Choices;
    return v;
  }
  std::string name = o.get_positional() ? o.get_name() : o.get_option_text();
  if (name == "ID" || name.ends_with("-ID")) {
    v.type = CompletionValue::Type::Ids;
    v.kind = id_kind(o, name, command_kind);
  } else if (name == "FILE" || name == "PATH" || name == "FILE.csv") {
    v.type = CompletionValue::Type::Files;
  } else if (name == "DIR") {
    v.type = CompletionValue::Type::Folders;
  }
  return v;
}

bool hidden(const CLI::App* app) { return app->get_group().empty(); }

// Appends `app` and the commands below it, depth first.
void walk(CLI::App* app, const std::string& path, std::vector<CompletionCommand>* tree) {
  CompletionCommand c;
  c.path = path;
  c.help = app->get_description();
  std::string command_kind = path.substr(0, path.find(' '));
  if (!find_kind(command_kind)) command_kind.clear();
  for (CLI::Option* o : app->get_options()) {
    if (o->get_positional()) {
      c.positionals.push_back(value_of(*o, command_kind));
      continue;
    }
    CompletionFlag f;
    for (const std::string& s : o->get_snames()) f.names.push_back("-" + s);
    for (const std::string& l : o->get_lnames()) f.names.push_back("--" + l);
    f.takes_value = o->get_expected_min() > 0;
    if (f.takes_value) f.value = value_of(*o, command_kind);
    f.help = o->get_description();
    c.flags.push_back(std::move(f));
  }
  std::vector<CLI::App*> subs = app->get_subcommands([](CLI::App* s) { return !hidden(s); });
  for (CLI::App* s : subs) c.subcommands.push_back(s->get_name());
  tree->push_back(std::move(c));
  for (CLI::App* s : subs) walk(s, path.empty() ? s->get_name() : path + " " + s->get_name(), tree);
}

}  // namespace

void setup_completion(CLI::App& app, Context& ctx) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "Print a completion script for bash, zsh or fish");
  cmd->add_option("SHELL", *shell, "The shell")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->footer(
      "Completes commands, flags, the values of the schemas' enums, and the ids of the\n"
      "repository's records. To try it: source <(brm completion bash). Packages install the\n"
      "scripts where each shell finds them.");
  cmd->callback([&app, shell] {
    Shell s{};
    parse_shell(*shell, &s);
    std::vector<CompletionCommand> tree;
    walk(&app, "", &tree);
    std::fputs(completion_script(s, tree).c_str(), stdout);
  });

  // The scripts' helper: hidden (no group), and silent when there is no repository.
  auto words = std::make_shared<std::vector<std::string>>();
  auto* helper = app.add_subcommand("__complete", "Words for the completion scripts")->group("");
  helper->add_option("WHAT", *words, "ids [KIND]")->required();
  helper->callback([&ctx, words] {
    if (words->front() != "ids" || words->size() > 2)
      throw Error(ExitCode::Usage, "usage: brm __complete ids [KIND]");
    std::string kind = words->size() == 2 ? (*words)[1] : std::string();
    try {
      for (const std::string& id : record_ids(ctx.root(), kind)) std::puts(id.c_str());
    } catch (const Error&) {
      // Outside a repository there is nothing to offer, and a completion must not complain.
    }
  });
}

}  // namespace brm::cli

// The completion scripts. Each shell gets the same tables (subcommands per command path,
// flags, what a value completes to) and a small driver that walks the words typed so
// far; the tables come from the command tree, the drivers are written once here.
#include "brm/completion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "brm/kinds.hpp"
#include "brm/strings.hpp"

namespace brm {

namespace {

// A word in single quotes for sh, zsh and fish alike: ' becomes '\'' ('\'' in fish too).
std::string quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A value's completion as one word for the bash and zsh tables: "=a b" one of these
// words, "@kind" record ids ("@" every kind), "f" files, "d" folders, "-" nothing.
std::string value_spec(const CompletionValue& v) {
  switch (v.type) {
    // Appended rather than `"=" + ...`, which trips GCC 12's -Wrestrict false positive.
    case CompletionValue::Type::Choices:
      return std::string("=").append(join(v.choices));
    case CompletionValue::Type::Ids:
      return std::string("@").append(v.kind);
    case CompletionValue::Type::Files:
      return "f";
    case CompletionValue::Type::Folders:
      return "d";
    case CompletionValue::Type::None:
      break;
  }
  return "-";
}

struct Tables {
  std::vector<std::pair<std::string, std::string>> subcommands, flags, values;
};

// The rows of the three tables, keyed by the command path from "brm" ("brm customer
// list": an empty key is awkward in zsh); a flag's key is "PATH FLAG", a positional's
// "PATH #N", and "PATH #+" stands for every argument past the last one declared.
Tables tables_of(const std::vector<CompletionCommand>& tree) {
  Tables t;
  for (const CompletionCommand& command : tree) {
    CompletionCommand c = command;
    c.path = c.path.empty() ? "brm" : "brm " + c.path;
    if (!c.subcommands.empty()) t.subcommands.emplace_back(c.path, join(c.subcommands));
    std::vector<std::string> names;
    for (const CompletionFlag& f : c.flags) {
      names.insert(names.end(), f.names.begin(), f.names.end());
      if (!f.takes_value) continue;
      for (const std::string& n : f.names)
        t.values.emplace_back(c.path + " " + n, value_spec(f.value));
    }
    t.flags.emplace_back(c.path, join(names));
    for (std::size_t i = 0; i < c.positionals.size(); ++i)
      t.values.emplace_back(fmt::format("{} #{}", c.path, i), value_spec(c.positionals[i]));
    if (!c.positionals.empty())
      t.values.emplace_back(c.path + " #+", value_spec(c.positionals.back()));
  }
  return t;
}

// `declare -gA name=(...)` in bash, `typeset -gA name; name=(...)` in zsh.
std::string assoc(Shell shell, std::string_view name,
                  const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out = shell == Shell::Bash ? fmt::format("declare -gA {}=(\n", name)
                                         : fmt::format("typeset -gA {}\n{}=(\n", name, name);
  for (const auto& [key, value] : rows)
    out += shell == Shell::Bash ? fmt::format("  [{}]={}\n", quote(key), quote(value))
                                : fmt::format("  {} {}\n", quote(key), quote(value));
  return out + ")\n";
}

std::string shared_tables(Shell shell, const std::vector<CompletionCommand>& tree) {
  Tables t = tables_of(tree);
  return assoc(shell, "_brm_subcommands", t.subcommands) + assoc(shell, "_brm_flags", t.flags) +
         "# What a flag's value or an argument completes to: \"=a b\" one of these words,\n"
         "# \"@KIND\" the repository's record ids (\"@\": all), \"f\" files, \"d\" folders.\n" +
         assoc(shell, "_brm_values", t.values);
}

// The walk over the words before the cursor, the same in bash and zsh: it finds the
// command path, the -C folder, how many arguments were given, and whether the word at
// the cursor is a flag's value. WORDS, FIRST and CWORD differ between the two shells.
constexpr std::string_view kWalk = R"sh(
  local cmd=brm word spec i npos=0
  local -a dir=()
  for ((i = FIRST; i < CWORD; i++)); do
    word=${WORDS[i]}
    if [[ $word == -?* && $word != *=* ]] && _brm_flag_spec "$cmd" "$word"; then
      [[ $word == -C ]] && dir=(-C "${WORDS[i+1]}")
      ((i++))
      [[ ${WORDS[i]} == = ]] && ((i++))  # --flag=value, split at '=' by the shell
      if ((i >= CWORD)); then
        _brm_complete "$spec"
        return
      fi
    elif [[ $word == -* ]]; then
      :
    elif ((npos == 0)) && [[ " ${_brm_subcommands[$cmd]} " == *" $word "* ]]; then
      cmd="$cmd $word"
    else
      ((npos++))
    fi
  done
  if [[ $cur == -* ]]; then
    local flags="" p=$cmd
    while :; do
      flags+=" ${_brm_flags[$p]}"
      [[ $p == *" "* ]] || break
      p=${p% *}
    done
    spec="=$flags"
  elif ((npos == 0)) && [[ -n ${_brm_subcommands[$cmd]} ]]; then
    spec="=${_brm_subcommands[$cmd]}"
  else
    spec=${_brm_values["$cmd #$npos"]:-${_brm_values["$cmd #+"]}}
  fi
  _brm_complete "$spec")sh";

// Finds flag $2 typed under command path $1 (or, as brm reads it, under a parent) and,
// when it takes a value, sets spec to what that value completes to.
constexpr std::string_view kFlagSpec = R"sh(_brm_flag_spec() {
  local p=$1
  while :; do
    if [[ -n ${_brm_values["$p $2"]} ]]; then
      spec=${_brm_values["$p $2"]}
      return 0
    fi
    [[ $p == *" "* ]] || return 1
    p=${p% *}
  done
}

# The records' ids, from the repository that brm on this line would use.
_brm_ids() {
  "$brm" "${dir[@]}" __complete ids "$1" 2>/dev/null
}
)sh";

std::string with_words(std::string_view walk, std::string_view words, std::string_view first,
                       std::string_view cword) {
  std::string out(walk);
  auto replace_all = [&](std::string_view from, std::string_view to) {
    for (std::size_t at = out.find(from); at != std::string::npos;
         at = out.find(from, at + to.size()))
      out.replace(at, from.size(), to);
  };
  replace_all("WORDS", words);
  replace_all("FIRST", first);
  replace_all("CWORD", cword);
  return out;
}

std::string bash_script(const std::vector<CompletionCommand>& tree) {
  return "# bash completion for brm, made by `brm completion bash` from brm's own commands.\n"
         "# Install as share/bash-completion/completions/brm, or: source <(brm completion bash)\n" +
         shared_tables(Shell::Bash, tree) + std::string(kFlagSpec) + R"sh(
_brm_complete() {
  case $1 in
    =*) COMPREPLY=($(compgen -W "${1#=}" -- "$cur")) ;;
    @*) COMPREPLY=($(compgen -W "$(_brm_ids "${1#@}")" -- "$cur")) ;;
    f) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    d) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
  esac
}

_brm() {
  local brm=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
  COMPREPLY=()
  [[ $cur == = ]] && cur=""
)sh" + with_words(kWalk, "COMP_WORDS", "1", "COMP_CWORD") +
         "\n}\n\ncomplete -F _brm brm\n";
}

std::string zsh_script(const std::vector<CompletionCommand>& tree) {
  return "#compdef brm\n"
         "# zsh completion for brm, made by `brm completion zsh` from brm's own commands.\n"
         "# Install as _brm in a folder of $fpath, or: source <(brm completion zsh)\n" +
         shared_tables(Shell::Zsh, tree) + std::string(kFlagSpec) + R"sh(
_brm_complete() {
  case $1 in
    =*) compadd -- ${=${1#=}} ;;
    @*) compadd -- ${(f)"$(_brm_ids "${1#@}")"} ;;
    f) _files ;;
    d) _files -/ ;;
  esac
}

_brm() {
  local brm=${words[1]} cur=${words[CURRENT]}
)sh" + with_words(kWalk, "words", "2", "CURRENT") +
         "\n}\n\n"
         "if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then\n"
         "  _brm \"$@\"\n"
         "else\n"
         "  compdef _brm brm\n"
         "fi\n";
}

// fish: one `complete` line per word, under a condition on the command path so far.
std::string fish_value(const CompletionValue& v) {
  switch (v.type) {
    case CompletionValue::Type::Choices:
      return " -x -a " + quote(join(v.choices));
    case CompletionValue::Type::Ids:
      return " -x -a " + quote("(__brm_ids " + v.kind + ")");
    case CompletionValue::Type::Files:
      return " -r -F";
    case CompletionValue::Type::Folders:
      return " -x -a '(__fish_complete_directories)'";
    case CompletionValue::Type::None:
      break;
  }
  return " -x";
}

std::string fish_flag(const CompletionCommand& c, const CompletionFlag& f) {
  std::string out = "complete -c brm";
  if (!c.path.empty()) out += " -n " + quote("__brm_at " + quote(c.path));
  for (const std::string& n : f.names)
    out += n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1);
  if (f.takes_value) out += fish_value(f.value);
  return out + " -d " + quote(f.help) + "\n";
}

constexpr std::string_view kFishDriver = R"sh(
# The command path typed so far ("customer list"), skipping flags and their values.
function __brm_path
    set -l tokens (commandline -opc)
    set -l cmd ''
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip = 1
            set skip 0
        else if string match -q -- '-*' $t
            if contains -- "$cmd $t" $__brm_valued; or contains -- " $t" $__brm_valued
                set skip 1
            end
        else if contains -- (string trim -- "$cmd $t") $__brm_paths
            set cmd (string trim -- "$cmd $t")
        end
    end
    echo $cmd
end

function __brm_at
    test (__brm_path) = "$argv[1]"
end

# The records' ids, from the repository that brm on this line would use.
function __brm_ids
    set -l tokens (commandline -opc)
    set -l dir
    if set -l i (contains -i -- -C $tokens)
        set dir -C $tokens[(math $i + 1)]
    end
    $tokens[1] $dir __complete ids $argv 2>/dev/null
end

complete -c brm -f
)sh";

std::string fish_script(const std::vector<CompletionCommand>& tree) {
  std::vector<std::string> paths, valued;
  for (const CompletionCommand& c : tree) {
    if (!c.path.empty()) paths.push_back(quote(c.path));
    for (const CompletionFlag& f : c.flags)
      if (f.takes_value)
        for (const std::string& n : f.names) valued.push_back(quote(c.path + " " + n));
  }
  std::string out =
      "# fish completion for brm, made by `brm completion fish` from brm's own commands.\n"
      "# Install as vendor_completions.d/brm.fish, or: brm completion fish | source\n"
      "set -g __brm_paths " +
      join(paths) + "\nset -g __brm_valued " + join(valued) + "\n" + std::string(kFishDriver);
  for (const CompletionCommand& c : tree) {
    std::string at = " -n " + quote("__brm_at " + quote(c.path));
    for (const CompletionCommand& sub : tree) {
      std::string_view rest = sub.path;
      if (c.path.empty() ? rest.find(' ') != std::string_view::npos || rest.empty()
                         : rest.rfind(c.path + " ", 0) != 0 ||
                               rest.find(' ', c.path.size() + 1) != std::string_view::npos)
        continue;
      std::string word(rest.substr(c.path.empty() ? 0 : c.path.size() + 1));
      out += "complete -c brm" + at + " -a " + quote(word) + " -d " + quote(sub.help) + "\n";
    }
    for (const CompletionFlag& f : c.flags) out += fish_flag(c, f);
    if (!c.positionals.empty() && c.positionals.front().type != CompletionValue::Type::None)
      out += "complete -c brm" + at + fish_value(c.positionals.front()) + "\n";
  }
  return out;
}

}  // namespace

bool parse_shell(std::string_view name, Shell* shell) {
  if (name == "bash")
    *shell = Shell::Bash;
  else if (name == "zsh")
    *shell = Shell::Zsh;
  else if (name == "fish")
    *shell = Shell::Fish;
  else
    return false;
  return true;
}

std::string completion_script(Shell shell, const std::vector<CompletionCommand>& tree) {
  switch (shell) {
    case Shell::Bash:
      return bash_script(tree);
    case Shell::Zsh:
      return zsh_script(tree);
    case Shell::Fish:
      return fish_script(tree);
  }
  return {};
}

std::vector<std::string> record_ids(const std::filesystem::path& root, std::string_view kind) {
  std::vector<std::string> ids;
  for (const Kind& k : kinds()) {
    if (!kind.empty() && k.name != kind) continue;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(root / k.folder, ec)) {
      const std::filesystem::path& p = entry.path();
      std::string id = p.stem().string();
      if (p.extension() == ".yaml" && is_valid_id(id) && entry.is_regular_file(ec))
        ids.push_back(std::move(id));
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace brm

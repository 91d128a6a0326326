#!/usr/bin/env bash
# The completion scripts in the shells themselves: bash completes commands, schema enums
# and the repository's record ids (the real bash-completion loaded first, as in a user's
# shell); zsh and fish load the scripts without error and fish completes a command.
#   completion_test.sh BRM SOURCE_DIR
set -u
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/home"
ln -s "$brm" "$work/bin/brm"
export PATH="$work/bin:$PATH" HOME="$work/home" LC_ALL=C.UTF-8 NO_COLOR=1
cp -r "$src/examples/example-group" "$work/repo"
"$brm" completion bash >"$work/brm.bash" && "$brm" completion zsh >"$work/_brm" &&
  "$brm" completion fish >"$work/brm.fish" || { echo "FAIL brm completion"; exit 1; }
fail=0

# complete_bash DIR WORD...: what bash offers for the last word, typed in DIR, one a line.
complete_bash() {
  local dir=$1
  shift
  (cd "$dir" && bash --norc --noprofile -c '
    [ -r /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
    . "$0"
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    spec=$(complete -p brm) || exit 1
    fn=${spec#*-F }; fn=${fn%% *}
    "$fn" brm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort' "$work/brm.bash" "$@")
}

# expect WHAT WANT GOT
expect() {
  if [ "$2" != "$3" ]; then
    printf 'FAIL %s\n  want: %s\n  got:  %s\n' "$1" "$(echo $2)" "$(echo $3)"
    fail=1
  fi
}

ids=$(cd "$work/repo/customers" && ls *.yaml | sed 's/\.yaml$//' | sort)
[ -n "$ids" ] || { echo "FAIL the example repository has no customers"; exit 1; }
expect "brm cus<TAB>" customer "$(complete_bash "$work/repo" brm cus)"
expect "brm customer show <TAB>" "$ids" "$(complete_bash "$work/repo" brm customer show '')"
expect "brm customer show <TAB> outside a repository" "" "$(complete_bash "$work/home" brm customer show '')"
expect "brm -C DIR customer set <TAB>" "$ids" \
  "$(complete_bash "$work/home" brm -C "$work/repo" customer set '')"
first=$(echo "$ids" | head -1)
expect "brm customer show ${first:0:3}<TAB>" "$(echo "$ids" | grep "^${first:0:3}")" \
  "$(complete_bash "$work/repo" brm customer show "${first:0:3}")"
expect "brm customer list --role <TAB>" "$(printf 'customer\npurchaser')" \
  "$(complete_bash "$work/repo" brm customer list --role '')"
expect "brm complaint add --severity <TAB>" "$(printf 'high\nlow\nmedium')" \
  "$(complete_bash "$work/repo" brm complaint add --severity '')"
expect "brm check --format <TAB>" "$(printf 'codeclimate\ngithub\njson\nsarif\ntext')" \
  "$(complete_bash "$work/repo" brm check --format '')"
expect "brm --color <TAB>" "$(printf 'always\nauto\nnever')" "$(complete_bash "$work/repo" brm --color '')"
expect "brm customer list --format json --cu<TAB>" "--customer" \
  "$(complete_bash "$work/repo" brm customer list --format json --cu)"
expect "brm agenda --customer <TAB>" "$ids" "$(complete_bash "$work/repo" brm agenda --customer '')"
expect "brm completion <TAB>" "$(printf 'bash\nfish\nzsh')" "$(complete_bash "$work/repo" brm completion '')"
expect "brm __<TAB> (hidden)" "" "$(complete_bash "$work/repo" brm __)"
meetings=$(cd "$work/repo/meetings" && ls *.yaml | sed 's/\.yaml$//' | sort)
expect "brm meeting done <TAB>" "$meetings" "$(complete_bash "$work/repo" brm meeting done '')"
# Every command and kind of `brm help` completes at the top.
top=$(complete_bash "$work/repo" brm '')
for word in init check fmt measure log agenda report export completion help \
  customer agreement complaint meeting survey service requirement; do
  echo "$top" | grep -qx "$word" || { echo "FAIL brm <TAB> lacks $word"; fail=1; }
done

# zsh: the script parses, and loads into a completion system without a word on stderr.
if command -v zsh >/dev/null; then
  zsh -n "$work/_brm" || { echo "FAIL zsh -n"; fail=1; }
  err=$(zsh -fc 'autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump"; source "$1"
                 (( $+functions[_brm] )) || echo "no _brm"' zsh "$work/_brm" 2>&1)
  expect "zsh loads the script" "" "$err"
else
  echo "skipped zsh: not installed"
fi

# fish: the script parses, and completes a command and an id.
if command -v fish >/dev/null; then
  fish -n "$work/brm.fish" || { echo "FAIL fish -n"; fail=1; }
  got=$(cd "$work/repo" && fish --no-config -c 'source $argv[1]; complete -C "brm cus"' "$work/brm.fish" 2>&1 | cut -f1)
  expect "fish: brm cus<TAB>" customer "$got"
  got=$(cd "$work/repo" && fish --no-config -c 'source $argv[1]; complete -C "brm customer show "' "$work/brm.fish" 2>&1 | cut -f1 | sort)
  expect "fish: brm customer show <TAB>" "$ids" "$got"
  got=$(cd "$work/repo" && fish --no-config -c 'source $argv[1]; complete -C "brm customer list --role "' "$work/brm.fish" 2>&1 | cut -f1 | sort)
  expect "fish: brm customer list --role <TAB>" "$(printf 'customer\npurchaser')" "$got"
else
  echo "skipped fish: not installed"
fi
exit $fail

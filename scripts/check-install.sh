#!/usr/bin/env bash
# What `cmake --install` puts in place works as installed: the binary runs from its prefix, the
# man page renders, the bash and zsh completions complete. Run by ctest (install_layout):
#   scripts/check-install.sh BUILD_DIR
set -euo pipefail
build="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/slack-intel share/man/man1/slack-intel.1.gz \
         share/bash-completion/completions/slack-intel share/zsh/vendor-completions/_slack-intel \
         share/doc/slack-intel/README.md share/doc/slack-intel/athena.md; do
  [[ -e "$prefix/$f" ]] || fail "missing $f"
done

version="$("$prefix/bin/slack-intel" --version)"
[[ "$version" =~ ^slack-intel\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version printed '$version'"

page="$(MANWIDTH=100 man -l "$prefix/share/man/man1/slack-intel.1.gz" 2>/dev/null)"
for section in NAME SYNOPSIS COMMANDS EXAMPLES "EXIT STATUS" ENVIRONMENT; do
  grep -q "^$section" <<<"$page" || fail "the man page has no $section section"
done
for flag in --bucket --prefix --dry-run --delete --projection --transition-days --only; do
  grep -q -- "$flag" <<<"$page" || fail "the man page does not mention $flag"
done

completed="$(bash -c 'source "$1"; COMP_WORDS=(slack-intel sy); COMP_CWORD=1; _slack_intel
                      echo "${COMPREPLY[*]}"; COMP_WORDS=(slack-intel sync --dr); COMP_CWORD=2
                      _slack_intel; echo "${COMPREPLY[*]}"' _ \
             "$prefix/share/bash-completion/completions/slack-intel")"
[[ "$completed" == $'sync\n--dry-run --dryrun' ]] || fail "bash completion gave '$completed'"
zsh_dir="$prefix/share/zsh/vendor-completions"
zsh -n "$zsh_dir/_slack-intel" || fail "the zsh script does not parse"
# The real compsys, Tab pressed in an interactive zsh: a command, an option, an ambiguous one.
for case in "slack-intel doc|slack-intel doctor" "slack-intel athena-ddl --pro|--projection" \
            "slack-intel sync --dr|slack-intel sync --dry"; do
  typed="${case%%|*}" want="${case#*|}"
  shown="$(timeout 30 zsh -f "$root/tests/support/zsh_complete.zsh" "$zsh_dir" "$typed")"
  grep -qF -- "$want" <<<"$shown" || fail "zsh completed '$typed' to: $(cat -v <<<"$shown")"
done
echo "check-install: binary, man page and completions work from $prefix"

#!/usr/bin/env bash
# What `cmake --install` puts in place works as installed: the binary runs from its prefix, the
# man page renders, the bash completion completes. Run by ctest (install_layout):
#   scripts/check-install.sh BUILD_DIR
set -euo pipefail
build="$1"
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
if command -v zsh >/dev/null; then
  zsh -n "$prefix/share/zsh/vendor-completions/_slack-intel" || fail "the zsh script does not parse"
fi
echo "check-install: binary, man page and completions work from $prefix"

#!/usr/bin/env bash
# The .deb that `cpack -G DEB` makes from a build installs a binary that runs, with its man
# page, completions and docs, declares the libraries it links, and passes lintian (Debian
# policy: no errors or warnings). Run by ctest (deb_package):
#   scripts/check-deb.sh BUILD_DIR
set -euo pipefail
build="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "check-deb: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb="$(ls "$work"/out/slack-intel_*.deb)"
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libc6 libssl3 libzip4; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
listing="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/slack-intel ./usr/share/man/man1/slack-intel.1.gz \
         ./usr/share/bash-completion/completions/slack-intel \
         ./usr/share/zsh/vendor-completions/_slack-intel ./usr/share/doc/slack-intel/README.md \
         ./usr/share/doc/slack-intel/copyright ./usr/share/doc/slack-intel/changelog.gz; do
  grep -q " $f\$" <<<"$listing" || fail "the package lacks $f"
done
lintian --fail-on error,warning "$deb" >"$work/lintian.log" 2>&1 ||
  { cat "$work/lintian.log" >&2; fail "lintian finds errors or warnings"; }
dpkg-deb -x "$deb" "$work/root"
version="$("$work/root/usr/bin/slack-intel" --version)"
[[ "$version" == "slack-intel $(dpkg-deb -f "$deb" Version)" ]] ||
  fail "--version '$version' is not the package's version"
"$work/root/usr/bin/slack-intel" --help | grep -q "athena-ddl" || fail "--help lacks the commands"
echo "check-deb: $(basename "$deb") installs a working slack-intel, lintian clean (Depends: $depends)"

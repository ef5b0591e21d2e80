#!/usr/bin/env bash
# Installs what slack-intel needs to build, test and run its demo on Debian 12: Debian packages
# with apt, the test tools with npm from tools/package-lock.json. Idempotent, and quick when
# nothing is missing (no apt-get update, no npm run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

APT_PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config
  # libraries slack-intel links (Parquet codecs: snappy, zstd, zlib for GZIP)
  libfmt-dev libspdlog-dev libcli11-dev libsnappy-dev libzstd-dev zlib1g-dev nlohmann-json3-dev
  libpugixml-dev libssl-dev
  libyaml-cpp-dev
  libzip-dev
  # the Parquet reader's fuzzer: clang with libFuzzer
  clang libclang-rt-14-dev
  # tests: GoogleTest, libcurl for the reference SigV4 requests, curl, openssl (test certificates)
  libgtest-dev libcurl4-openssl-dev curl openssl
  # the installed layout and the .deb (scripts/check-install.sh, check-deb.sh): man to render
  # the page, dpkg-dev for CPack's dpkg-shlibdeps, lintian for Debian policy, zsh to complete
  man-db dpkg-dev lintian zsh
  # the local S3 server: Ceph RADOS Gateway (tools/ceph-rgw); python3 for its readiness probe
  ceph-mon ceph-osd radosgw ceph-common python3
  # an S3 client independent of ours, to check what sync uploaded (tests/support/s3_objects.py)
  python3-boto3
  # the peers sync's benchmark runs side by side (bench/sync_vs_peers.py)
  awscli rclone s3cmd
)

log() { printf '[install-deps] %s\n' "$*" >&2; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$package")
done
# Any Node.js >= 18 will do (Debian 12 ships 18); only install Debian's when there is none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
else
  log "apt: all ${#APT_PACKAGES[@]} packages present"
fi

# npm: reinstall only when the lockfile changed since the last install.
stamp="$ROOT/tools/node_modules/.installed-lock.sha256"
want="$(sha256sum "$ROOT/tools/package-lock.json" | cut -d' ' -f1)"
if [[ -s "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  log "npm: tools/node_modules matches package-lock.json"
else
  log "npm: installing tools/ from package-lock.json"
  # Not `npm ci`: it insists on lock entries for DuckDB's other-platform optional bindings,
  # which the registry here does not serve. `npm install --no-save` follows the lockfile's
  # versions and integrity hashes and leaves it untouched.
  (cd "$ROOT/tools" && npm install --no-save --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from a fresh corpus seeded with the files of SEED_DIR
# (regression inputs of crashes found are kept there too).
# usage: run_fuzzer.sh FUZZER SEED_DIR WORK_DIR SECONDS
# A crash, leak, timeout or out-of-memory fails the test and leaves the input in WORK_DIR/artifacts.
set -euo pipefail
fuzzer="$1" seeds="$2" work="$3" seconds="$4"
rm -rf "$work/corpus"
mkdir -p "$work/corpus" "$work/artifacts"
find "$seeds" -maxdepth 1 -type f -exec cp {} "$work/corpus/" \;
exec "$fuzzer" "$work/corpus" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
  -max_len=131072 -print_final_stats=1 -artifact_prefix="$work/artifacts/"

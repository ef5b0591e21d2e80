#!/usr/bin/python3
"""What each --codec costs and saves: one generated export (tools/workspace-gen/generate.mjs;
default 20 channels x 120 days) imported once per codec and level into a cache of its own.

For each: the cache's Parquet bytes (and the ratio to `none`), the import's wall and CPU time
(its writes included), and DuckDB's time for a full scan of the messages (every text read,
SUM(LENGTH(text))), the median of --scans runs, each in a fresh DuckDB process. Prints a
Markdown table for docs/schema.md. Standard library only; run with /usr/bin/python3 after
building build/release.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from bench_util import run_measured

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = [("none", 0), ("snappy", 0), ("zstd", 1), ("zstd", 0), ("zstd", 9), ("zstd", 19),
         ("gzip", 0), ("gzip", 9)]


def folder_bytes(root):
    total = 0
    for folder, _, names in os.walk(root):
        if ".slack-intel" in folder:
            continue
        total += sum(os.path.getsize(os.path.join(folder, n)) for n in names if n.endswith(".parquet"))
    return total


def scan_seconds(cache):
    sql = (f"SELECT count(*) AS n, sum(length(text)) AS chars FROM read_parquet('{cache}/raw/"
           "messages/*/*/*.parquet', hive_partitioning=true)")
    started = time.monotonic()
    subprocess.run(["node", os.path.join(REPO, "tools/parquet-check/query.mjs"), sql],
                   check=True, capture_output=True)
    return time.monotonic() - started


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--channels", type=int, default=20)
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--scans", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(REPO, "build/release/src/slack-intel"))
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="codec-bench-")
    try:
        export = os.path.join(work, "export")
        subprocess.run(["node", os.path.join(REPO, "tools/workspace-gen/generate.mjs"),
                        "--seed", str(args.seed), "--channels", str(args.channels),
                        "--days", str(args.days), "--start", "2026-01-01", "--out", export],
                       check=True, capture_output=True)
        env = dict(os.environ, JIRA_URL="")
        rows = []
        for codec, level in CASES:
            cache = os.path.join(work, f"cache-{codec}-{level}")
            cmd = [args.binary, "import", export, "--cache-path", cache, "--quiet",
                   "--codec", codec, "--compression-level", str(level)]
            code, wall, cpu, rss = run_measured(cmd, env, os.path.join(work, "out.txt"), 600)
            if code != 0:
                with open(os.path.join(work, "out.txt")) as f:
                    raise SystemExit(f"{codec} {level}: exit {code}\n{f.read()}")
            scans = [scan_seconds(cache) for _ in range(args.scans)]
            rows.append((codec, level, folder_bytes(cache), wall, cpu, statistics.median(scans)))
            shutil.rmtree(cache)
        plain = rows[0][2]
        print(f"{args.channels} channels x {args.days} days (seed {args.seed})\n")
        print("| codec | level | Parquet MB | vs none | import s | import CPU s | DuckDB scan s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for codec, level, size, wall, cpu, scan in rows:
            shown = "default" if level == 0 and codec in ("zstd", "gzip") else (level or "-")
            print(f"| {codec} | {shown} | {size / 1e6:.1f} | {size / plain:.2f} | {wall:.2f} | "
                  f"{cpu:.2f} | {scan:.3f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

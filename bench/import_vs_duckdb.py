#!/usr/bin/python3
"""`slack-intel import` beside DuckDB doing the same transformation, in one run.

A generated export (tools/workspace-gen/generate.mjs; default 20 channels x 250 days x 150
messages a day, about 1,000,000 messages) is imported by:
  slack-intel  `slack-intel import EXPORT --no-jira` into an empty cache (folder, then ZIP)
  duckdb       @duckdb/node-api (tools/parquet-check/query.mjs, default threads): read_json
               over the channel day files, the cache's columns (users and channels joined,
               Jira keys by regexp, dt from ts), COPY ... (FORMAT parquet, PARTITION_BY (dt,
               channel), COMPRESSION zstd)
Figures: wall, CPU (user+sys of the process tree), peak RSS, messages per second, the rows
each wrote (read back by DuckDB, untimed). DuckDB does less: no thread reassembly, no merge
with an existing cache, no deterministic bytes.

Standard library only; run with /usr/bin/python3. See bench/README.md.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

from bench_util import run_measured

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUERY = os.path.join(REPO, "tools/parquet-check/query.mjs")


def log(msg):
    print(f"[import-bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def duckdb_sql(export, out):
    lists = [f"'{export}/{name}'" for name in ("channels.json", "groups.json")
             if os.path.exists(os.path.join(export, name))]
    ts_micros = "CAST(round(CAST(m.ts AS DOUBLE) * 1000000) AS BIGINT)"
    return f"""
COPY (
  WITH m AS (
    SELECT *, regexp_extract(filename, '/([^/]+)/[0-9-]+\\.json$', 1) AS channel
    FROM read_json('{export}/*/2*.json', format = 'array', filename = true,
      columns = {{ts: 'VARCHAR', "user": 'VARCHAR', text: 'VARCHAR', thread_ts: 'VARCHAR',
                  reply_count: 'BIGINT', subtype: 'VARCHAR', bot_id: 'VARCHAR',
                  edited: 'STRUCT(ts VARCHAR)'}})),
  u AS (SELECT * FROM read_json('{export}/users.json', format = 'array',
          columns = {{id: 'VARCHAR', name: 'VARCHAR', real_name: 'VARCHAR'}})),
  c AS (SELECT * FROM read_json([{', '.join(lists)}], format = 'array',
          columns = {{id: 'VARCHAR', name: 'VARCHAR'}}))
  SELECT m.ts AS message_id, m."user" AS user_id, m.text,
    strftime(make_timestamp({ts_micros}), '%Y-%m-%dT%H:%M:%S.%fZ') AS timestamp,
    m.thread_ts, m.thread_ts = m.ts AS is_thread_parent,
    m.thread_ts IS NOT NULL AND m.thread_ts <> m.ts AS is_thread_reply,
    coalesce(m.reply_count, 0) AS reply_count, u.name AS user_name,
    u.real_name AS user_real_name,
    regexp_extract_all(m.text, '[A-Z][A-Z0-9]+-[0-9]+') AS jira_tickets, c.id AS channel_id,
    m.subtype, m.bot_id, m.edited.ts AS edited_ts,
    strftime(make_timestamp({ts_micros}), '%Y-%m-%d') AS dt, m.channel
  FROM m JOIN c ON c.name = m.channel LEFT JOIN u ON u.id = m."user"
) TO '{out}' (FORMAT parquet, PARTITION_BY (dt, channel), COMPRESSION zstd)"""


def rows_in(partitions):
    """Message rows in the dt=/channel= partitions (not users.parquet)."""
    sql = f"SELECT count(*) AS n FROM read_parquet('{partitions}/*/*/*.parquet')"
    out = subprocess.run(["node", QUERY, sql], check=True, capture_output=True, text=True).stdout
    return json.loads(out)[0]["n"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--channels", type=int, default=20)
    ap.add_argument("--days", type=int, default=250)
    ap.add_argument("--messages-per-day", type=int, default=150)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--binary", default=os.path.join(REPO, "build/release/src/slack-intel"))
    ap.add_argument("--work-dir", default="/tmp/import-bench")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--json", help="write every raw figure here")
    args = ap.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    export = os.path.join(args.work_dir, f"export-{args.channels}x{args.days}x"
                          f"{args.messages_per_day}-s{args.seed}")
    if not os.path.exists(export + ".zip"):
        log(f"generating {export}")
        subprocess.run(["node", os.path.join(REPO, "tools/workspace-gen/generate.mjs"),
                        "--seed", str(args.seed), "--channels", str(args.channels),
                        "--days", str(args.days), "--messages-per-day",
                        str(args.messages_per_day), "--start", "2025-01-01", "--out", export,
                        "--zip"], check=True, stdout=subprocess.DEVNULL)
    export_bytes = sum(os.path.getsize(os.path.join(d, f))
                       for d, _, files in os.walk(export) for f in files)
    runs = {
        "slack-intel (folder)": ([args.binary, "import", export, "--no-jira", "--json",
                                  "--cache-path"], "ours-folder"),
        "slack-intel (zip)": ([args.binary, "import", export + ".zip", "--no-jira", "--json",
                               "--cache-path"], "ours-zip"),
        "duckdb": (None, "duckdb"),
    }
    rows = []
    for name, (cmd, out_name) in runs.items():
        out = os.path.join(args.work_dir, out_name)
        shutil.rmtree(out, ignore_errors=True)
        if cmd is None:
            cmd = ["node", QUERY, duckdb_sql(export, out)]
        else:
            cmd = cmd + [out]
        log(f"{name}")
        code, wall, cpu, rss = run_measured(cmd, dict(os.environ), out + ".log", args.timeout)
        if code != 0:
            sys.exit(f"{name} exited {code}; see {out}.log")
        n = rows_in(out if name == "duckdb" else os.path.join(out, "raw", "messages"))
        rows.append({"tool": name, "wall_s": wall, "cpu_s": cpu, "rss_mb": rss, "rows": n,
                     "export_mb": export_bytes / 1e6})
        log(f"{name}: {wall:.1f} s, {cpu:.1f} CPU s, {rss:.0f} MB, {n} rows")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    duck = next(r for r in rows if r["tool"] == "duckdb")
    print(f"export: {export} ({export_bytes / 1e6:.0f} MB of JSON)\n")
    print("| tool | rows | wall s | messages/s | CPU s | peak RSS MB | throughput vs DuckDB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['tool']} | {r['rows']} | {r['wall_s']:.1f} | {r['rows'] / r['wall_s']:.0f} | "
              f"{r['cpu_s']:.1f} | {r['rss_mb']:.0f} | "
              f"{(r['rows'] / r['wall_s']) / (duck['rows'] / duck['wall_s']):.2f}x |")


if __name__ == "__main__":
    main()

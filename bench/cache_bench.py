#!/usr/bin/python3
"""`slack-intel cache` against the Slack stand-in serving a generated workspace.

Cases, each on its own generated export (tools/workspace-gen/generate.mjs):
  unthrottled  --channels x --days (default 100 x 365) with no rate limits: messages cached
               per second, client CPU and peak RSS, API calls against the minimum
  throttled    a smaller workspace (default 20 x 30) with Slack's tiers scaled by --rate-scale:
               wall time against the rate-limit lower bound, API calls against the minimum,
               429s met
  shared       a small workspace (default 3 x 7) whose quota is shared with another job: every
               method at 1 call/s, and every 5th call of each refused (429, Retry-After: 1)
  first429     the same workspace at 1 call/s, the first call of every method refused
The last two are bounded by calls / allowed rate (1 call/s), as if every call went in turn.

The minimum number of calls is computed here from the export itself, independently of the
client: 1 auth.test + ceil(conversations/1000) conversations.list pages + ceil(users/1000)
users.list pages + per cached conversation ceil(history messages/999) history pages (at least
1) + per thread ceil((1 + replies)/1000) replies pages. The lower bound on wall time: for each
method, (calls - L) / L windows of --rate-window-seconds, where L = tier x --rate-scale calls
fit in one window (the first window's calls go at once); the largest over methods.

Standard library only; run with /usr/bin/python3. See bench/README.md.
"""

import argparse
import datetime
import glob
import json
import math
import os
import subprocess
import sys
import time
import urllib.request

from bench_util import run_measured

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIERS = {"auth.test": 100, "conversations.list": 20, "users.list": 20,
         "conversations.history": 50, "conversations.replies": 50}
HISTORY_PAGE, REPLIES_PAGE, LIST_PAGE = 999, 1000, 1000
TOKEN = "standin-slack-token"


def log(msg):
    print(f"[cache-bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def generate(out, channels, days, start, seed):
    marker = out + ".summary.json"
    if os.path.exists(marker):
        with open(marker) as f:
            return json.load(f)
    log(f"generating {channels} channels x {days} days into {out}")
    line = subprocess.run(["node", os.path.join(REPO, "tools/workspace-gen/generate.mjs"),
                           "--seed", str(seed), "--channels", str(channels), "--days", str(days),
                           "--start", start, "--out", out],
                          check=True, capture_output=True, text=True).stdout.strip()
    summary = json.loads(line.splitlines()[-1])
    with open(marker, "w") as f:
        json.dump(summary, f)
    return summary


def load_json(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def minimum_calls(export, cached_names, window_start, window_end, lookback_days):
    """What any client needs for the conversations `cached_names`, from the export alone."""
    listed = load_json(os.path.join(export, "channels.json"), []) + \
        load_json(os.path.join(export, "groups.json"), [])
    users = load_json(os.path.join(export, "users.json"), [])
    calls = {"auth.test": 1,
             "conversations.list": max(1, math.ceil(len(listed) / LIST_PAGE)),
             "users.list": max(1, math.ceil(len(users) / LIST_PAGE)),
             "conversations.history": 0, "conversations.replies": 0}
    poll_from = window_start - 86400 * lookback_days
    for name in cached_names:
        history, replies, parents = 0, {}, {}
        for day_file in glob.glob(os.path.join(export, glob.escape(name), "*.json")):
            if not os.path.basename(day_file)[:4].isdigit():
                continue
            for m in load_json(day_file, []):
                ts = float(m.get("ts", 0))
                thread = m.get("thread_ts")
                is_reply = thread is not None and thread != m.get("ts")
                if is_reply:
                    replies.setdefault(thread, []).append(ts)
                else:
                    parents[m["ts"]] = ts
                if (not is_reply or m.get("subtype") == "thread_broadcast") and \
                        poll_from <= ts < window_end:
                    history += 1
        calls["conversations.history"] += max(1, math.ceil(history / HISTORY_PAGE))
        for thread, reply_times in replies.items():
            parent = parents.get(thread)
            if parent is None or not (poll_from <= parent < window_end):
                continue  # not in what history returns
            if parent >= window_start or max(reply_times) >= window_start:
                calls["conversations.replies"] += math.ceil((1 + len(reply_times)) / REPLIES_PAGE)
    return calls


def start_standin(export, limits, work):
    args = ["node", os.path.join(REPO, "tools/standins/slack.mjs"), "--export", export,
            "--token", TOKEN] + limits
    err = open(os.path.join(work, "standin.err"), "wb")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        sys.exit(f"the Slack stand-in did not start: {line!r} (see {err.name})")
    return proc, line[len("listening on "):]


def stats(url):
    with urllib.request.urlopen(url + "/_stats") as r:
        return json.load(r)


def run_case(args, name, export, summary, days, rate_scale, work, limits=None):
    start = datetime.date.fromisoformat(args.start)
    end = start + datetime.timedelta(days=days - 1)
    window_start = int(datetime.datetime(start.year, start.month, start.day,
                                         tzinfo=datetime.timezone.utc).timestamp())
    window_end = window_start + 86400 * days
    if limits is None:
        limits = ["--rate-scale", str(rate_scale),
                  "--rate-window-seconds", str(args.rate_window_seconds)] if rate_scale else []
    proc, url = start_standin(export, limits, work)
    try:
        # Indexing happens on first use: warm it with one unmeasured pass over the lists.
        cache = os.path.join(work, f"cache-{name}")
        cmd = [args.binary, "cache", "--since", start.isoformat(), "--until", end.isoformat(),
               "--cache-path", cache, "--no-jira", "--include-archived", "--json"]
        env = dict(os.environ, SLACK_TOKEN=TOKEN, SLACK_API_URL=url + "/api")
        log(f"{name}: {' '.join(cmd[1:])} (limits: {' '.join(limits) or 'none'})")
        out = os.path.join(work, f"{name}.out")
        code, wall, cpu, rss = run_measured(cmd, env, out, args.timeout)
        served = stats(url)
    finally:
        proc.terminate()
        proc.wait()
    if code != 0:
        sys.exit(f"{name}: cache exited {code}; see {out}")
    events = [json.loads(l) for l in open(out, encoding="utf-8") if l.startswith("{")]
    cached = [e["channel"] for e in events if e.get("event") == "channel_done"]
    total = next(e for e in events if "summary" in e)["summary"]
    minimum = minimum_calls(export, cached, window_start, window_end, 30)
    calls = {m: served["calls"].get(m, 0) - served["rate_limited"].get(m, 0) for m in TIERS}
    row = {"case": name, "workspace": summary, "days": days, "rate_scale": rate_scale,
           "wall_s": wall, "cpu_s": cpu, "rss_mb": rss, "messages": total.get("messages"),
           "summary": total, "calls": calls, "minimum_calls": minimum,
           "rate_limited": served.get("rate_limited_total", 0), "command": cmd}
    if rate_scale:
        bounds = {m: max(0, minimum[m] - TIERS[m] * rate_scale) / (TIERS[m] * rate_scale)
                  * args.rate_window_seconds for m in TIERS}
        row["lower_bound_s"] = max(bounds.values())
        row["bound_method"] = max(bounds, key=bounds.get)
    elif limits:
        row["lower_bound_s"] = sum(minimum.values()) / 1.0  # calls / 1 call per second
        row["bound_method"] = "calls / 1 per s"
    return row


def report(rows):
    lines = ["| case | workspace | messages | wall s | msgs/s | CPU s | CPU µs/msg | peak RSS MB "
             "| API calls | minimum | calls/min | 429s | wall / lower bound |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| --- |"]
    for r in rows:
        ws = r["workspace"]
        calls, minimum = sum(r["calls"].values()), sum(r["minimum_calls"].values())
        bound = (f"{r['wall_s'] / r['lower_bound_s']:.2f}x ({r['lower_bound_s']:.0f} s, "
                 f"{r['bound_method']})" if r.get("lower_bound_s") else "-")
        lines.append(
            f"| {r['case']} | {ws['channels'] + ws['private_channels']} ch x {r['days']} d, "
            f"{ws['threads']} threads | {r['messages']} | {r['wall_s']:.1f} | "
            f"{r['messages'] / r['wall_s']:.0f} | {r['cpu_s']:.1f} | "
            f"{r['cpu_s'] / max(r['messages'], 1) * 1e6:.1f} | {r['rss_mb']:.0f} | {calls} | "
            f"{minimum} | {calls / minimum:.3f} | {r['rate_limited']} | {bound} |")
    for r in rows:
        lines.append("")
        lines.append(f"{r['case']} calls by method (made / minimum): " + ", ".join(
            f"{m} {r['calls'][m]}/{r['minimum_calls'][m]}" for m in TIERS))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--channels", type=int, default=100)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--throttled-channels", type=int, default=20)
    ap.add_argument("--throttled-days", type=int, default=30)
    ap.add_argument("--rate-scale", type=float, default=10,
                    help="throttled case: Slack's tier limits times this")
    ap.add_argument("--rate-window-seconds", type=float, default=60)
    ap.add_argument("--small-channels", type=int, default=3)
    ap.add_argument("--small-days", type=int, default=7)
    ap.add_argument("--start", default="2025-01-01")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--only", default="unthrottled,throttled,shared,first429")
    ap.add_argument("--binary", default=os.path.join(REPO, "build/release/src/slack-intel"))
    ap.add_argument("--work-dir", default="/tmp/cache-bench")
    ap.add_argument("--timeout", type=float, default=7200)
    ap.add_argument("--json", help="write every raw figure here")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        ap.error(f"{args.binary} is not an executable (build it; see bench/README.md)")
    os.makedirs(args.work_dir, exist_ok=True)
    run = os.path.join(args.work_dir, time.strftime("run-%H%M%S"))
    os.makedirs(run)
    rows = []
    cases = args.only.split(",")
    if "unthrottled" in cases:
        export = os.path.join(args.work_dir, f"export-{args.channels}x{args.days}-s{args.seed}")
        summary = generate(export, args.channels, args.days, args.start, args.seed)
        rows.append(run_case(args, "unthrottled", export, summary, args.days, 0, run))
    if "throttled" in cases:
        export = os.path.join(args.work_dir, f"export-{args.throttled_channels}x"
                              f"{args.throttled_days}-s{args.seed}")
        summary = generate(export, args.throttled_channels, args.throttled_days, args.start,
                           args.seed)
        rows.append(run_case(args, "throttled", export, summary, args.throttled_days,
                             args.rate_scale, run))
    shared_limits = {
        "shared": ["--rate-limit", "1/1", "--fail", "*:%5:ratelimited"],
        "first429": ["--rate-limit", "1/1", "--fail", "*:1:ratelimited"],
    }
    for name, limits in shared_limits.items():
        if name not in cases:
            continue
        export = os.path.join(args.work_dir, f"export-{args.small_channels}x"
                              f"{args.small_days}-s{args.seed}")
        summary = generate(export, args.small_channels, args.small_days, args.start, args.seed)
        rows.append(run_case(args, name, export, summary, args.small_days, 0, run, limits))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    print(report(rows))


if __name__ == "__main__":
    main()

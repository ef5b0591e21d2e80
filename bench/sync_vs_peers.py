#!/usr/bin/python3
"""`slack-intel sync` beside aws s3 sync, rclone sync, s3cmd sync and a raw parallel PUT loop,
in one run, against a local Ceph RADOS Gateway.

For each tree size (--files) and run (--runs), on a generated cache-like tree, each tool in
turn (the order rotates per run), alone on a server of its own (Server: restarted fresh, or
with --env-file the given one, the last tool's bucket removed):
  full     the tool uploads the tree into its own empty bucket
  noop     the same command again, nothing changed (--noop-repeats times; the median is reported)
  changed  1% of the files (the newest partitions) rewritten with new bytes of the same size,
           mtime now; the same command again (--changed-repeats times, each on a fresh 1%, the
           same files for every tool; the median is reported)
Every measured run starts on an idle machine.
Figures per tool and case: wall seconds, client CPU seconds (user+sys of the child, from
os.wait4), peak RSS (the child's ru_maxrss) and the requests the server logged for the run
(the beast access-log lines of $CEPH_TEST_DIR/log/rgw.a.log, counted by kind). The raw PUT loop
(bench/raw_put_loop) only takes part in `full`: it is the server's limit for an upload.

Debian's tools are used on purpose (/usr/bin/aws is awscli v2; the pyenv `aws` first on PATH is
another one). Secrets go through the environment (aws, slack-intel, raw loop: AWS_*; rclone:
RCLONE_CONFIG_BENCH_*) or a mode-600 temp file (s3cmd), never argv.

Peers cannot map cache/raw/X to PREFIX/X: they sync the whole cache directory, so their keys
carry an extra "raw/" (same objects, same bytes, same listing size). They are told to leave
out slack-intel's own state (.slack-intel/: manifests, folder index), which slack-intel never
uploads, and each run of a size starts without that state, like a first sync.

Standard library only; run with /usr/bin/python3. See bench/README.md.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench_util import run_measured

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The order of the first run; later runs rotate it.
ALL_TOOLS = ["raw-put", "slack-intel", "aws", "rclone", "rclone-checksum", "s3cmd"]
PEERS = ["aws", "rclone", "rclone-checksum", "s3cmd"]
CASES = ["full", "noop", "changed"]
CONCURRENCY = 8
STATE = ".slack-intel"  # slack-intel's state folder in the cache, never uploaded
MiB = 1 << 20


def log(msg):
    print(f"[sync-bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the tree


def parquet_like(rng, size):
    """`size` random bytes shaped like a Parquet file: PAR1, body, footer, footer length, PAR1.
    Enough for sync's check (magic at both ends, 0 < footer_len and footer_len + 12 <= size)."""
    assert size >= 64
    footer_len = min(max(16, size // 50), size - 12, 64 * 1024)
    body = rng.randbytes(size - 12)
    return b"PAR1" + body + footer_len.to_bytes(4, "little") + b"PAR1"


def tree_layout(n_files, seed):
    """[(relative path, size)] for a cache of n_files files: users.parquet, one jira file per day,
    the rest message files over day x channel partitions (not every channel every day)."""
    rng = random.Random(seed)
    channels = [f"C{rng.randrange(16**8):08X}" for _ in range(60)]
    days = max(7, round(n_files / 40))
    while days * len(channels) < n_files - 1 - days:
        days += 1
    start = datetime.date(2024, 1, 1)
    dts = [(start + datetime.timedelta(days=i)).isoformat() for i in range(days)]
    pairs = [(dt, ch) for dt in dts for ch in channels]
    n_messages = n_files - 1 - days
    assert n_messages > 0, "--files too small"
    chosen = sorted(rng.sample(pairs, n_messages))

    def small(median, sigma, lo, hi):
        return int(min(hi, max(lo, rng.lognormvariate(0, sigma) * median)))

    files = [("users.parquet", 180_000 + rng.randrange(40_000))]
    for dt in dts:
        files.append((f"raw/jira/dt={dt}/data.parquet", small(12_000, 0.8, 2_000, 400_000)))
    for dt, ch in chosen:
        files.append((f"raw/messages/dt={dt}/channel={ch}/data.parquet",
                      small(6_000, 1.1, 600, 900_000)))
    # A few busy channel-days of 1-5 MB (0.3%, at least 2), and two beyond the 8 MiB
    # multipart threshold (one needs 2 parts of 8 MiB, one 3).
    msg_idx = [i for i, (p, _) in enumerate(files) if p.startswith("raw/messages/")]
    busy = rng.sample(msg_idx, max(2, n_files * 3 // 1000) + 2)
    for i in busy[:-2]:
        files[i] = (files[i][0], rng.randrange(1_000_000, 5_000_000))
    files[busy[-2]] = (files[busy[-2]][0], 9 * MiB + rng.randrange(MiB))
    files[busy[-1]] = (files[busy[-1]][0], 17 * MiB + rng.randrange(MiB))
    return files


def generate_tree(root, n_files, seed):
    layout = tree_layout(n_files, seed)
    marker = root.rstrip("/") + ".layout.json"  # beside the tree, so no tool sees it
    want = {"files": n_files, "seed": seed, "version": 1}
    if os.path.exists(marker):
        with open(marker) as f:
            if json.load(f) == want:
                log(f"reusing {root} ({n_files} files)")
                return layout
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(seed + 1)
    for path, size in layout:
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(parquet_like(rng, size))
    with open(marker, "w") as f:
        json.dump(want, f)
    return layout


def change_files(root, layout, fraction, seed, salt):
    """Rewrites `fraction` of the files, picked (by `seed`) among the newest partitions (what a
    re-fetch of the last days rewrites), with new bytes of the same size; `salt` makes the bytes
    differ from any earlier rewrite of a reused tree. Returns (count, bytes)."""
    rng = random.Random(seed)
    content_rng = random.Random(f"{seed}-{salt}")
    n = max(1, round(len(layout) * fraction))
    by_newest = sorted((p for p, _ in layout if p.startswith("raw/")),
                       key=lambda p: re.search(r"dt=([0-9-]+)", p).group(1), reverse=True)
    pool = by_newest[: max(3 * n, n)]
    picked = rng.sample(pool, n)
    sizes = dict(layout)
    total = 0
    for path in picked:
        full = os.path.join(root, path)
        with open(full, "wb") as f:
            f.write(parquet_like(content_rng, sizes[path]))
        total += sizes[path]
    return n, total


# ------------------------------------------------------------------ the server and its log

BEAST = re.compile(r' beast: 0x[0-9a-f]+: \S+ - \S+ \[[^\]]*\] "(\w+) (\S+) HTTP/[\d.]+" (\d+) ')


def classify(method, target):
    path, _, query = target.partition("?")
    params = {q.split("=", 1)[0] for q in query.split("&") if q}
    has_key = path.strip("/").count("/") >= 1  # path-style: /bucket/key
    if method == "GET" and not has_key:
        return "list" if params & {"list-type", "prefix", "delimiter", "marker",
                                    "continuation-token"} or not params else "get"
    if method == "GET":
        return "get"
    if method == "HEAD":
        return "head"
    if method == "PUT" and "partNumber" in params:
        return "part"
    if method == "PUT" and has_key:
        return "put"
    if method == "POST" and "uploads" in params:
        return "mpu-init"
    if method == "POST" and "uploadId" in params:
        return "mpu-done"
    if method == "POST" and "delete" in params:
        return "delete"
    if method == "DELETE":
        return "delete"
    return "other"


class RgwLog:
    def __init__(self, path):
        self.path = path
        self.offset = 0

    def mark(self):
        self.settle()
        self.offset = os.path.getsize(self.path)

    def settle(self):
        """Waits until the log stops growing for 0.6 s (radosgw writes it from a thread)."""
        last, stable_since = -1, time.monotonic()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            size = os.path.getsize(self.path)
            if size != last:
                last, stable_since = size, time.monotonic()
            elif time.monotonic() - stable_since > 0.6:
                return
            time.sleep(0.1)

    def since_mark(self):
        self.settle()
        counts, statuses, done = {}, {}, 0
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            for raw in f:
                line = raw.decode("utf-8", "replace")
                if "====== req done" in line:
                    done += 1
                m = BEAST.search(line)
                if not m:
                    continue
                kind = classify(m.group(1), m.group(2))
                counts[kind] = counts.get(kind, 0) + 1
                statuses[m.group(3)] = statuses.get(m.group(3), 0) + 1
        return counts, statuses, done


def start_ceph(ceph_dir):
    env = dict(os.environ, CEPH_TEST_DIR=ceph_dir,
               BLUESTORE_BYTES=str(64 << 30), OSD_MEMORY_TARGET=str(1 << 30))
    log(f"starting Ceph RGW in {ceph_dir} (~20 s)")
    subprocess.run([os.path.join(REPO, "tools/ceph-rgw/start.sh"), "--fresh"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ceph_dir, "s3.env")


def stop_ceph(ceph_dir):
    log(f"stopping Ceph RGW in {ceph_dir}")
    subprocess.run([os.path.join(REPO, "tools/ceph-rgw/stop.sh")],
                   env=dict(os.environ, CEPH_TEST_DIR=ceph_dir), stdout=subprocess.DEVNULL)


def read_env_file(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                values[k] = v
    return values


class Server:
    """The S3 server the tools run against. Started by this script: a fresh one for each tool
    and run (stopped, wiped and started again with the same settings), since the server slows
    as it fills and stays slower after a bucket of 20,000 objects is removed; no tool meets
    what another left. Given (--env-file): the same one throughout, each tool's bucket removed
    after its cases."""

    def __init__(self, args, work, name="ceph"):
        """`name`: the folder under `work` of a server started here (two can run side by side)."""
        self.args, self.work = args, work
        self.owned = not args.env_file
        if self.owned:
            self.ceph_dir = args.ceph_dir or os.path.join(work, name)
        else:
            self.ceph_dir = args.ceph_dir or os.path.dirname(os.path.abspath(args.env_file))
        self.running = False
        self.tools = None

    def fresh(self):
        """Returns (Tools, RgwLog) for the next tool's run."""
        if self.owned:
            if self.running:
                stop_ceph(self.ceph_dir)
            env_file = start_ceph(self.ceph_dir)
            self.running = True
        else:
            env_file = self.args.env_file
        rgw_log_path = os.path.join(self.ceph_dir, "log", "rgw.a.log")
        if not os.path.exists(rgw_log_path):
            sys.exit(f"no RGW log at {rgw_log_path}: pass --ceph-dir")
        self.tools = Tools(self.args, read_env_file(env_file), self.work)
        if self.owned:
            self.tools.warm_up()
        return self.tools, RgwLog(rgw_log_path)

    def release(self, bucket):
        if not self.owned:
            log(f"removing {bucket}")
            self.tools.remove_bucket(bucket)

    def stop(self):
        if self.running:
            stop_ceph(self.ceph_dir)
            self.running = False


# ------------------------------------------------------------------ the tools


class Tools:
    def __init__(self, args, s3, work):
        self.args = args
        self.endpoint = s3["S3_ENDPOINT"]
        self.region = s3.get("S3_REGION", "us-east-1")
        host = self.endpoint.split("://", 1)[1].rstrip("/")
        home = os.path.join(work, "home")
        os.makedirs(home, exist_ok=True)
        aws_config = os.path.join(home, "aws-config")
        with open(aws_config, "w") as f:
            f.write(f"[default]\nregion = {self.region}\ns3 =\n"
                    f"  max_concurrent_requests = {CONCURRENCY}\n")
        empty = os.path.join(home, "empty")
        open(empty, "w").close()
        self.empty_file = empty
        absent = os.path.join(home, "no-such-file")
        self.s3cfg = os.path.join(home, "s3cfg")
        fd = os.open(self.s3cfg, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("[default]\n"
                    f"access_key = {s3['S3_ACCESS_KEY']}\n"
                    f"secret_key = {s3['S3_SECRET_KEY']}\n"
                    f"host_base = {host}\nhost_bucket = {host}\n"
                    f"bucket_location = {self.region}\n"
                    "use_https = False\nsignature_v2 = False\n"
                    "check_ssl_certificate = False\n")
        base = {k: v for k, v in os.environ.items()
                if not k.lower().endswith("_proxy") and not k.startswith(("AWS_", "RCLONE_"))}
        base.update({
            "HOME": home,
            "AWS_CONFIG_FILE": aws_config,
            "AWS_SHARED_CREDENTIALS_FILE": absent,
            "AWS_ACCESS_KEY_ID": s3["S3_ACCESS_KEY"],
            "AWS_SECRET_ACCESS_KEY": s3["S3_SECRET_KEY"],
            "AWS_DEFAULT_REGION": self.region,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
            "RCLONE_CONFIG": empty,
            "RCLONE_CONFIG_BENCH_TYPE": "s3",
            "RCLONE_CONFIG_BENCH_PROVIDER": "Ceph",
            "RCLONE_CONFIG_BENCH_ENV_AUTH": "false",
            "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": s3["S3_ACCESS_KEY"],
            "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": s3["S3_SECRET_KEY"],
            "RCLONE_CONFIG_BENCH_ENDPOINT": self.endpoint,
            "RCLONE_CONFIG_BENCH_REGION": self.region,
        })
        self.env = base

    def sync_help(self):
        if not hasattr(self, "_sync_help"):
            self._sync_help = subprocess.run([self.args.binary, "sync", "--help"], env=self.env,
                                             capture_output=True, text=True).stdout
        return self._sync_help

    def create_bucket(self, bucket):
        subprocess.run(["/usr/bin/aws", "s3api", "create-bucket", "--bucket", bucket,
                        "--endpoint-url", self.endpoint], env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def warm_up(self):
        """A new server creates its pools on the first bucket and object: not in a tool's run."""
        self.create_bucket("sb-warm-up")
        subprocess.run(["/usr/bin/aws", "s3api", "put-object", "--bucket", "sb-warm-up",
                        "--key", "warm-up", "--body", self.empty_file,
                        "--endpoint-url", self.endpoint], env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def remove_bucket(self, bucket):
        """Empties (one DELETE per key: ~90 s for 20,000 here) and removes `bucket`; a failure is
        logged, not fatal: the figures are already taken."""
        done = subprocess.run(["/usr/bin/aws", "s3", "rb", f"s3://{bucket}", "--force",
                               "--endpoint-url", self.endpoint], env=self.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            log(f"could not remove {bucket}: {done.stderr.strip()[-300:]}")

    def command(self, tool, tree, bucket, prefix):
        c = str(CONCURRENCY)
        if tool == "slack-intel":
            cmd = [self.args.binary, "sync", "--bucket", bucket, "--prefix", prefix,
                   "--cache-path", tree, "--endpoint-url", self.endpoint, "--region", self.region]
            sync_help = self.sync_help()
            if "--concurrency" in sync_help:  # older builds: 8, no flag
                cmd += ["--concurrency", c]
            if "--json" in sync_help:
                cmd.append("--json")
            return cmd
        if tool == "raw-put":
            return [self.args.raw_put, tree, "--bucket", bucket, "--prefix", prefix,
                    "--endpoint-url", self.endpoint, "--region", self.region,
                    "--concurrency", c]
        if tool == "aws":
            return ["/usr/bin/aws", "s3", "sync", tree, f"s3://{bucket}/{prefix}",
                    "--endpoint-url", self.endpoint, "--no-progress",
                    "--exclude", f"{STATE}/*"]
        if tool in ("rclone", "rclone-checksum"):
            cmd = ["/usr/bin/rclone", "sync", tree, f"bench:{bucket}/{prefix.rstrip('/')}",
                   "--checkers", c, "--transfers", c, "--fast-list", "--stats", "0",
                   "--exclude", f"/{STATE}/**"]
            if tool == "rclone-checksum":
                cmd.append("--checksum")
            return cmd
        if tool == "s3cmd":
            return ["/usr/bin/s3cmd", "-c", self.s3cfg, "sync", "--no-progress",
                    "--exclude", f"{STATE}/*",
                    tree.rstrip("/") + "/",
                    f"s3://{bucket}/{prefix}"]
        raise ValueError(tool)


def rotated(items, k):
    k %= len(items)
    return items[k:] + items[:k]


def uploaded_objects(counts):
    return counts.get("put", 0) + counts.get("mpu-init", 0)


def measure(t, rgw, work, tool, case, *, n, run, rep, tree, bucket, tree_bytes, changed,
            timeout):
    """Runs one sync of `tool` and returns its row: wall, CPU, RSS, the server's requests.
    `changed`: (files, bytes) of the 1% change it syncs, (0, 0) for the other cases."""
    cmd = t.command(tool, tree, bucket, "cache/")
    out = os.path.join(work, f"{tool}-{n}-{run}-{case}-{rep}.out")
    # After an upload the server flushes and compacts for a few seconds: whoever ran next
    # would pay for it (the first no-op after a full upload was the slowest of three, for
    # every tool).
    waited = wait_for_quiet_machine()
    if waited > 5:
        log(f"waited {waited:.0f} s for an idle machine")
    rgw.mark()
    code, wall, cpu, rss = run_measured(cmd, t.env, out, timeout)
    counts, statuses, done = rgw.since_mark()
    requests = sum(counts.values())
    row = {"tool": tool, "case": case, "files": n, "run": run,
           "exit": code, "ok": code == 0, "wall_s": wall, "cpu_s": cpu,
           "rss_mb": rss, "requests": requests, "req_done": done,
           "counts": counts, "statuses": statuses,
           "uploads": uploaded_objects(counts),
           "tree_mb": tree_bytes / 1e6, "changed_files": changed[0],
           "changed_mb": changed[1] / 1e6, "command": cmd}
    log(f"{n} r{run} {case:7} {tool:15} exit={code} wall={wall:.2f}s "
        f"cpu={cpu:.2f}s rss={rss:.0f}MB req={requests} "
        f"({fmt_counts(counts)}) http={statuses}"
        + ("" if done == requests else f" [req done lines: {done}]"))
    if code != 0:
        with open(out, "rb") as f:
            tail = f.read()[-600:].decode("utf-8", "replace")
        log(f"{tool} failed; end of its output:\n{tail}")
    return row


def machine_idle_fraction(seconds):
    def sample():
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, all
    idle0, all0 = sample()
    time.sleep(seconds)
    idle1, all1 = sample()
    return (idle1 - idle0) / max(1, all1 - all0)


def wait_for_quiet_machine(idle=0.9, limit_s=180):
    """Waits until the machine is idle (the server done with the last run's writes or a removed
    bucket), so a run does not pay for the one before; returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if machine_idle_fraction(2) >= idle:
            break
    return time.monotonic() - started


# ------------------------------------------------------------------ report


def fmt_counts(counts):
    order = ["list", "head", "get", "put", "mpu-init", "part", "mpu-done", "delete", "other"]
    return " ".join(f"{k}={counts[k]}" for k in order if counts.get(k))


def median_row(rows):
    out = dict(rows[0])
    for key in ("wall_s", "cpu_s", "rss_mb", "requests", "uploads"):
        out[key] = statistics.median(r[key] for r in rows)
    out["runs"] = len(rows)
    return out


def report(results, tools):
    lines, summary = [], []
    sizes = sorted({r["files"] for r in results})
    for n in sizes:
        sample = next((r for r in results if r["files"] == n and r["case"] == "changed"),
                      next(r for r in results if r["files"] == n))
        lines.append(f"\n#### {n:,} files, {sample['tree_mb']:.1f} MB "
                     f"(1% changed: {sample['changed_files']} files, "
                     f"{sample['changed_mb'] * 1000:.0f} KB)\n")
        lines.append("| case | tool | wall s | CPU s | peak RSS MB | requests | by kind | "
                     "objects written | ratio |")
        lines.append("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |")
        for case in CASES:
            med = {}
            for tool in tools:
                rows = [r for r in results if r["files"] == n and r["case"] == case
                        and r["tool"] == tool]
                if rows:
                    med[tool] = median_row(rows)
            if case == "full" and "raw-put" in med:
                ref_name, ref = "raw PUT loop", med["raw-put"]["wall_s"]
            else:
                peers = [med[t]["wall_s"] for t in PEERS if t in med and med[t]["ok"]]
                best = min(peers) if peers else None
                ref_name = ("best peer (" + next(t for t in PEERS if t in med and
                                                 med[t]["wall_s"] == best) + ")") if peers else ""
                ref = best
            for tool, r in med.items():
                ratio = f"{r['wall_s'] / ref:.2f}x {ref_name}" if ref else ""
                flag = "" if r["ok"] else " (exit %d)" % r["exit"]
                lines.append(f"| {case} | {tool}{flag} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | "
                             f"{r['rss_mb']:.0f} | {r['requests']:.0f} | {fmt_counts(r['counts'])}"
                             f" | {r['uploads']:.0f} | {ratio} |")
            if "slack-intel" in med:
                ours = med["slack-intel"]
                ok_peers = [t for t in PEERS if t in med and med[t]["ok"]]
                parts = []
                if case == "full" and "raw-put" in med:
                    parts.append(f"{ours['wall_s'] / med['raw-put']['wall_s']:.2f}x the raw PUT "
                                 "loop's wall time")
                if ok_peers:
                    best = min(ok_peers, key=lambda t: med[t]["wall_s"])
                    fewest = min(ok_peers, key=lambda t: med[t]["requests"])
                    parts.append(f"{ours['wall_s'] / med[best]['wall_s']:.2f}x the fastest peer "
                                 f"({best}) in wall time, "
                                 f"{ours['cpu_s'] / med[best]['cpu_s']:.2f}x its CPU")
                    parts.append(f"{ours['requests']:.0f} requests vs {med[fewest]['requests']:.0f}"
                                 f" for the peer sending fewest ({fewest})")
                summary.append(f"- {n:,} files, {case}: slack-intel " + "; ".join(parts))
    return "\n".join(lines) + "\n\n" + "\n".join(summary)


# ------------------------------------------------------------------ main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", default="600,20000", help="tree sizes, comma-separated")
    ap.add_argument("--runs", type=int, default=1, help="runs per size (median reported)")
    ap.add_argument("--noop-repeats", type=int, default=3,
                    help="no-op runs per tool and run, tools taking turns (median reported)")
    ap.add_argument("--changed-repeats", type=int, default=1,
                    help="1%% changes per tool and run, each on fresh files, tools taking turns "
                         "(median reported)")
    ap.add_argument("--only", default=",".join(ALL_TOOLS),
                    help="tools, comma-separated: " + ",".join(ALL_TOOLS))
    ap.add_argument("--binary", default=os.path.join(REPO, "build/release/src/slack-intel"))
    ap.add_argument("--raw-put", default=os.path.join(REPO, "build/bench/bench/raw_put_loop"))
    ap.add_argument("--work-dir", default="/tmp/sync-bench",
                    help="trees and logs (kept until the end; removed unless --keep)")
    ap.add_argument("--env-file", help="use a running server (S3_ENDPOINT, S3_ACCESS_KEY, "
                    "S3_SECRET_KEY, S3_REGION) instead of starting a fresh one per tool; with "
                    "--ceph-dir its log")
    ap.add_argument("--ceph-dir", help="CEPH_TEST_DIR of the server (default: a temp dir under "
                    "--work-dir, started and stopped by this script)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per tool run")
    ap.add_argument("--json", help="write every raw figure here")
    ap.add_argument("--keep", action="store_true", help="keep the trees and the server state")
    args = ap.parse_args()

    tools = [t.strip() for t in args.only.split(",") if t.strip()]
    for t in tools:
        if t not in ALL_TOOLS:
            ap.error(f"unknown tool {t}; known: {', '.join(ALL_TOOLS)}")
    sizes = [int(s) for s in args.files.split(",")]
    for path, needed in ((args.binary, "slack-intel"), (args.raw_put, "raw-put")):
        if needed in tools and not os.access(path, os.X_OK):
            ap.error(f"{path} is not an executable (build it; see bench/README.md)")

    os.makedirs(args.work_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="run-", dir=args.work_dir)
    server = Server(args, work)
    run_id = time.strftime("%H%M%S")
    results = []
    try:
        for n in sizes:
            tree = os.path.join(args.work_dir, f"tree-{n}")
            log(f"generating {n} files in {tree}")
            layout = generate_tree(tree, n, args.seed)
            tree_bytes = sum(s for _, s in layout)
            log(f"tree: {n} files, {tree_bytes / 1e6:.1f} MB")
            for run in range(args.runs):
                # Each tool in turn, alone on a fresh server (Server): its own empty bucket,
                # full, no-op, changed. Measured beside the other tools' objects, it would meet
                # a slower server than any user of it meets. The order rotates per run.
                for tool in rotated(tools, run):
                    t, rgw = server.fresh()
                    shutil.rmtree(os.path.join(tree, STATE), ignore_errors=True)  # a first sync
                    bucket = f"sb-{run_id}-{n}-r{run}-{tool}".lower()[:63]
                    t.create_bucket(bucket)
                    for case in CASES:
                        repeats = {"noop": args.noop_repeats,
                                   "changed": args.changed_repeats}.get(case, 1)
                        if tool == "raw-put" and case != "full":
                            continue
                        for rep in range(repeats):
                            changed = (0, 0)
                            if case == "changed":
                                # The same files for every tool (the seed), new bytes each time.
                                changed = change_files(tree, layout, 0.01,
                                                       args.seed * 1000 + run * 100 + rep,
                                                       f"{run_id}-{time.time()}")
                                log(f"changed {changed[0]} files ({changed[1] / 1e6:.1f} MB)")
                            results.append(measure(
                                t, rgw, work, tool, case, n=n, run=run, rep=rep, tree=tree,
                                bucket=bucket, tree_bytes=tree_bytes, changed=changed,
                                timeout=args.timeout))
                    server.release(bucket)
            # the changed files stay changed: a later run of this size starts from there
    finally:
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=1)
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            for n in sizes:
                shutil.rmtree(os.path.join(args.work_dir, f"tree-{n}"), ignore_errors=True)
                try:
                    os.remove(os.path.join(args.work_dir, f"tree-{n}.layout.json"))
                except FileNotFoundError:
                    pass

    print(f"Concurrency {CONCURRENCY} for every tool that has one (s3cmd uploads one file at a "
          "time). Requests: beast access-log lines of radosgw during the run.")
    print(report(results, tools))


if __name__ == "__main__":
    main()

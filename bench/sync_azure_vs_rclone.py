#!/usr/bin/python3
"""`slack-intel sync --dest az://` beside rclone's azureblob backend and a raw parallel Put Blob
loop, in one run, against Azurite (npm, tools/node_modules) on this machine.

On a generated cache-like tree (bench/sync_vs_peers.py's), each tool on an Azurite of its own,
started fresh (Azurite slows down as it fills: sharing one would make the later tools pay for
the earlier ones' blobs):
  full     the tool uploads the tree into its empty container (the raw loop too: it is the
           server's limit for an upload, bench/raw_put_loop --dest)
  noop     the same command again, nothing changed (--repeats times; the median is reported)
  changed  1% of the files rewritten with new bytes of the same size, mtime now; each tool
           syncs the same change (--repeats times, each a fresh 1%; the median is reported)
Each measured run starts on an idle machine.
Figures: wall seconds, the client's CPU seconds and peak RSS (bench_util.run_measured).

Debian's rclone (1.60) reaches Azure only as https://ACCOUNT.ENDPOINT, so Azurite serves TLS
with a throwaway certificate (trusted by every tool through SSL_CERT_FILE) under production-style
URLs, https://ACCOUNT.blob.localtest:PORT, and the script adds "127.0.0.1 ACCOUNT.blob.localtest"
to /etc/hosts (run as root; the line is left for the next run). slack-intel uses the same URL.
rclone is given the account key through RCLONE_CONFIG_* variables, slack-intel and the raw loop
through AZURE_STORAGE_CONNECTION_STRING: never argv. The key is a fake made for this bench.

rclone syncs the whole cache directory, so its keys carry an extra "raw/" (same objects, same
bytes); it is told to leave out slack-intel's state (.slack-intel/). `rclone` compares size and
modification time (its default), `rclone-checksum` size and MD5 (--checksum).

Standard library only; run with /usr/bin/python3. See bench/README.md.
"""

import argparse
import base64
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import sync_vs_peers as bench
from bench_util import run_measured

ACCOUNT = "benchacct"
KEY = base64.b64encode(b"fake-bench-account-key-for-slack-intel").decode()
HOST = f"{ACCOUNT}.blob.localtest"
TOOLS = ["slack-intel", "rclone", "rclone-checksum"]
CONCURRENCY = 8


def log(msg):
    print(f"[azure-bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ensure_hosts_entry():
    with open("/etc/hosts") as f:
        if re.search(rf"^127\.0\.0\.1\s+{re.escape(HOST)}\s*$", f.read(), re.M):
            return
    with open("/etc/hosts", "a") as f:
        f.write(f"127.0.0.1 {HOST}\n")


class Azurite:
    """Azurite's Blob service with TLS, in memory, on a port of its choosing."""

    def __init__(self, work):
        self.cert = os.path.join(work, "cert.pem")
        key = os.path.join(work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        key, "-out", self.cert, "-days", "2", "-subj", f"/CN={HOST}",
                        "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"],
                       check=True, capture_output=True)
        main = os.path.join(bench.REPO, "tools/node_modules/azurite/dist/src/blob/main.js")
        env = dict(os.environ, AZURITE_ACCOUNTS=f"{ACCOUNT}:{KEY}")
        self.proc = subprocess.Popen(
            ["node", main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence",
             "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--cert", self.cert,
             "--key", key], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        self.port = None
        while time.monotonic() < deadline and self.port is None:
            line = self.proc.stdout.readline()
            match = re.search(r"listens on https://127\.0\.0\.1:(\d+)", line)
            if match:
                self.port = int(match.group(1))
        if self.port is None:
            raise RuntimeError("Azurite did not start")
        self.endpoint = f"https://{HOST}:{self.port}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Tools:
    def __init__(self, args, azurite, work):
        self.args = args
        home = os.path.join(work, "home")
        os.makedirs(home, exist_ok=True)
        base = {k: v for k, v in os.environ.items()
                if not k.lower().endswith("_proxy") and not k.startswith(("AZURE_", "RCLONE_"))}
        base.update({"HOME": home, "SSL_CERT_FILE": azurite.cert})
        self.env = dict(base, **{
            "AZURE_STORAGE_CONNECTION_STRING":
                f"AccountName={ACCOUNT};AccountKey={KEY};BlobEndpoint={azurite.endpoint}",
            "RCLONE_CONFIG_AZ_TYPE": "azureblob",
            "RCLONE_CONFIG_AZ_ACCOUNT": ACCOUNT,
            "RCLONE_CONFIG_AZ_KEY": KEY,
            "RCLONE_CONFIG_AZ_ENDPOINT": f"blob.localtest:{azurite.port}",
        })

    def create_container(self, name):
        subprocess.run(["rclone", "mkdir", f"az:{name}"], env=self.env, check=True,
                       capture_output=True, timeout=60)

    def command(self, tool, tree, container):
        if tool == "raw-put":
            return [self.args.raw_loop, tree, "--dest", f"az://{ACCOUNT}/{container}/cache",
                    "--concurrency", str(CONCURRENCY)]
        if tool == "slack-intel":
            return [self.args.binary, "sync", "--dest", f"az://{ACCOUNT}/{container}/cache",
                    "--cache-path", tree, "--concurrency", str(CONCURRENCY), "--no-progress"]
        cmd = ["rclone", "sync", tree, f"az:{container}/cache", "--exclude", f"/{bench.STATE}/**",
               "--transfers", str(CONCURRENCY), "--checkers", str(CONCURRENCY)]
        return cmd + (["--checksum"] if tool == "rclone-checksum" else [])


def measure(tools, work, tool, case, tree, container, rep, timeout):
    if bench.wait_for_quiet_machine() > 5:
        log("waited for an idle machine")
    out = os.path.join(work, f"{tool}-{case}-{rep}.out")
    code, wall, cpu, rss = run_measured(tools.command(tool, tree, container), tools.env, out,
                                        timeout)
    log(f"{case:7} {tool:15} exit={code} wall={wall:.2f}s cpu={cpu:.2f}s rss={rss:.0f}MB")
    if code != 0:
        with open(out, "rb") as f:
            log(f"{tool} failed:\n{f.read()[-600:].decode('utf-8', 'replace')}")
    return {"tool": tool, "case": case, "ok": code == 0, "wall_s": wall, "cpu_s": cpu,
            "rss_mb": rss}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--binary", default=os.path.join(bench.REPO, "build/release/src/slack-intel"))
    ap.add_argument("--raw-loop",
                    default=os.path.join(bench.REPO, "build/release/bench/raw_put_loop"))
    ap.add_argument("--work-dir", default="/tmp/sync-bench")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()

    ensure_hosts_entry()
    os.makedirs(args.work_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="azure-", dir=args.work_dir)
    tree = os.path.join(args.work_dir, f"tree-{args.files}")
    layout = bench.generate_tree(tree, args.files, args.seed)
    shutil.rmtree(os.path.join(tree, bench.STATE), ignore_errors=True)
    rows = []
    for tool in ["raw-put"] + TOOLS:
        azurite = Azurite(work)
        try:
            tools = Tools(args, azurite, work)
            tools.create_container("bench")
            rows.append(measure(tools, work, tool, "full", tree, "bench", 0, args.timeout))
            if tool == "raw-put":
                continue
            for rep in range(args.repeats):
                rows.append(measure(tools, work, tool, "noop", tree, "bench", rep, args.timeout))
            for rep in range(args.repeats):
                n, size = bench.change_files(tree, layout, 0.01, args.seed * 1000 + rep,
                                             f"azure-{time.time()}")
                log(f"changed {n} files ({size / 1e6:.1f} MB)")
                rows.append(measure(tools, work, tool, "changed", tree, "bench", rep,
                                    args.timeout))
        finally:
            azurite.stop()
        shutil.rmtree(os.path.join(tree, bench.STATE), ignore_errors=True)

    def median(tool, case, field="wall_s"):
        values = [r[field] for r in rows if r["tool"] == tool and r["case"] == case and r["ok"]]
        return statistics.median(values) if values else float("nan")

    print(f"\n{args.files} files ({sum(s for _, s in layout) / 1e6:.0f} MB), Azurite 3.35 over "
          f"TLS, {CONCURRENCY} transfers, medians of {args.repeats}\n")
    print("| case | tool | wall s | CPU s | peak RSS MB | wall vs slack-intel |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for case in ["full", "noop", "changed"]:
        base = median("slack-intel", case)
        for tool in (["raw-put"] if case == "full" else []) + TOOLS:
            wall = median(tool, case)
            print(f"| {case} | {tool} | {wall:.2f} | {median(tool, case, 'cpu_s'):.2f} | "
                  f"{median(tool, case, 'rss_mb'):.0f} | {wall / base:.2f}x |")
    failed = [r for r in rows if not r["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

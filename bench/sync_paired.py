#!/usr/bin/python3
"""Paired rounds of a 1% change: slack-intel and rclone --checksum, each on a fresh Ceph RGW of
its own (both running), every round's change synced by both, seconds apart, the order
alternating. It takes the day's drift out of the ratio (docs/BENCHMARKS.md, "Peers got slower
during the day"). Standard library only; run with /usr/bin/python3."""

import argparse
import os
import shutil
import statistics
import tempfile
import time

import sync_vs_peers as bench

TOOLS = ["slack-intel", "rclone-checksum"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--binary", default=os.path.join(bench.REPO, "build/release/src/slack-intel"))
    ap.add_argument("--work-dir", default="/tmp/sync-bench")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args()
    args.env_file = args.ceph_dir = None  # fresh servers, started here

    os.makedirs(args.work_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="paired-", dir=args.work_dir)
    tree = os.path.join(args.work_dir, f"tree-{args.files}")
    layout = bench.generate_tree(tree, args.files, args.seed)
    tree_bytes = sum(size for _, size in layout)
    servers, handles, walls = {}, {}, {tool: [] for tool in TOOLS}
    try:
        for tool in TOOLS:
            servers[tool] = bench.Server(args, work, name="ceph-" + tool)
            handles[tool] = servers[tool].fresh()
        shutil.rmtree(os.path.join(tree, bench.STATE), ignore_errors=True)
        for tool in TOOLS:
            tools, rgw = handles[tool]
            tools.create_bucket("paired")
            bench.measure(tools, rgw, work, tool, "full", n=args.files, run=0, rep=0, tree=tree,
                          bucket="paired", tree_bytes=tree_bytes, changed=(0, 0),
                          timeout=args.timeout)
        for r in range(args.rounds):
            changed = bench.change_files(tree, layout, 0.01, args.seed * 1000 + r,
                                         f"paired-{time.time()}")
            for tool in TOOLS if r % 2 == 0 else TOOLS[::-1]:
                tools, rgw = handles[tool]
                row = bench.measure(tools, rgw, work, tool, "changed", n=args.files, run=0, rep=r,
                                    tree=tree, bucket="paired", tree_bytes=tree_bytes,
                                    changed=changed, timeout=args.timeout)
                walls[tool].append(row["wall_s"])
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    ours, peer = walls["slack-intel"], walls["rclone-checksum"]
    ratios = [p / o for o, p in zip(ours, peer)]
    print("slack-intel     s: " + " ".join(f"{w:.2f}" for w in ours))
    print("rclone-checksum s: " + " ".join(f"{w:.2f}" for w in peer))
    print("ratio per round:   " + " ".join(f"{x:.1f}" for x in ratios))
    print(f"medians {statistics.median(ours):.2f} s and {statistics.median(peer):.2f} s "
          f"({statistics.median(peer) / statistics.median(ours):.2f}x); ratio per round: median "
          f"{statistics.median(ratios):.2f}x, lowest {min(ratios):.2f}x")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Paired rounds of a 1% change: slack-intel and rclone --checksum, each on a fresh Ceph RGW of
its own (both running), every round's change synced by both, seconds apart, the order
alternating. It takes the day's drift out of the ratio (docs/BENCHMARKS.md, "Peers got slower
during the day"). With --against PATH the peer is another slack-intel build instead (an A/B of
two builds). Standard library only; run with /usr/bin/python3."""

import argparse
import copy
import os
import shutil
import statistics
import tempfile
import time

import sync_vs_peers as bench



def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--binary", default=os.path.join(bench.REPO, "build/release/src/slack-intel"))
    ap.add_argument("--against", help="another slack-intel binary to pair with, not rclone")
    ap.add_argument("--work-dir", default="/tmp/sync-bench")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args()
    args.env_file = args.ceph_dir = None  # fresh servers, started here
    # label -> (tool, args): the tool's name picks its command line, args its binary.
    peer_args = copy.copy(args)
    if args.against:
        peer_args.binary = args.against
    tools_of = {"slack-intel": ("slack-intel", args),
                "peer " + (args.against or "rclone-checksum"):
                    ("slack-intel" if args.against else "rclone-checksum", peer_args)}
    labels = list(tools_of)

    os.makedirs(args.work_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="paired-", dir=args.work_dir)
    tree = os.path.join(args.work_dir, f"tree-{args.files}")
    layout = bench.generate_tree(tree, args.files, args.seed)
    tree_bytes = sum(size for _, size in layout)
    servers, handles, walls = {}, {}, {label: [] for label in labels}
    try:
        for i, label in enumerate(labels):
            servers[label] = bench.Server(tools_of[label][1], work, name=f"ceph-{i}")
            handles[label] = servers[label].fresh()
        shutil.rmtree(os.path.join(tree, bench.STATE), ignore_errors=True)
        for label in labels:
            tool = tools_of[label][0]
            tools, rgw = handles[label]
            tools.create_bucket("paired")
            bench.measure(tools, rgw, work, tool, "full", n=args.files, run=0, rep=0, tree=tree,
                          bucket="paired", tree_bytes=tree_bytes, changed=(0, 0),
                          timeout=args.timeout)
        for r in range(args.rounds):
            changed = bench.change_files(tree, layout, 0.01, args.seed * 1000 + r,
                                         f"paired-{time.time()}")
            for label in labels if r % 2 == 0 else labels[::-1]:
                tool = tools_of[label][0]
                tools, rgw = handles[label]
                row = bench.measure(tools, rgw, work, tool, "changed", n=args.files, run=0, rep=r,
                                    tree=tree, bucket="paired", tree_bytes=tree_bytes,
                                    changed=changed, timeout=args.timeout)
                walls[label].append(row["wall_s"])
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    ours, peer = walls[labels[0]], walls[labels[1]]
    ratios = [p / o for o, p in zip(ours, peer)]
    print(f"{labels[0]} s: " + " ".join(f"{w:.2f}" for w in ours))
    print(f"{labels[1]} s: " + " ".join(f"{w:.2f}" for w in peer))
    print("ratio per round:   " + " ".join(f"{x:.1f}" for x in ratios))
    print(f"medians {statistics.median(ours):.2f} s and {statistics.median(peer):.2f} s "
          f"({statistics.median(peer) / statistics.median(ours):.2f}x); ratio per round: median "
          f"{statistics.median(ratios):.2f}x, lowest {min(ratios):.2f}x")


if __name__ == "__main__":
    main()

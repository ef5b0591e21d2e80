"""What the benchmarks in bench/ share. Standard library only."""

import os
import signal
import subprocess
import time


def run_measured(cmd, env, out_path, timeout_s):
    """Runs cmd; returns (exit code, wall s, cpu s, peak RSS MB).

    The tool runs under /usr/bin/time, which forks it from a ~2 MB process: a child forked
    straight from this Python would start with Python's RSS as its ru_maxrss (Linux carries
    the pre-exec high-water mark across exec). CPU is the user+sys of the whole subtree from
    os.wait4 (time's own share is ~1 ms); peak RSS is the tool's, as time reports it."""
    rss_path = out_path + ".rusage"
    with open(out_path, "wb") as out:
        started = time.monotonic()
        proc = subprocess.Popen(["/usr/bin/time", "-o", rss_path, "-f", "%M"] + cmd, env=env,
                                stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = started + timeout_s
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.01)
        wall = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = float("nan")
    with open(rss_path) as f:
        for line in f:  # "Command exited with non-zero status N" may come first
            if line.strip().isdigit():
                rss_mb = int(line) / 1024
    return (proc.returncode, wall, rusage.ru_utime + rusage.ru_stime, rss_mb)

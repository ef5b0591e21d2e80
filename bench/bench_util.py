"""What the benchmarks in bench/ share. Standard library only."""

import os
import signal
import subprocess
import threading
import time


PEAK_RSS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "build/bench/bench/peak_rss")


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:  # it ended meanwhile
        pass


def run_measured(cmd, env, out_path, timeout_s):
    """Runs cmd; returns (exit code, wall s, cpu s, peak RSS MB).

    The tool runs under bench/peak_rss (built in build/bench; /usr/bin/time -f %M if it is
    not), which starts it from a ~1 MB process: a child forked straight from this Python would
    start with Python's RSS as its ru_maxrss (Linux carries the pre-exec high-water mark across
    exec). peak_rss adds ~3 ms to the wall time, /usr/bin/time ~6. CPU is the user+sys of the
    whole subtree from os.wait4 (the wrapper's share is under 1 ms)."""
    rss_path = out_path + ".rusage"
    wrapper = [PEAK_RSS, rss_path] if os.access(PEAK_RSS, os.X_OK) else \
        ["/usr/bin/time", "-o", rss_path, "-f", "%M"]
    with open(out_path, "wb") as out:
        started = time.monotonic()
        proc = subprocess.Popen(wrapper + cmd, env=env,
                                stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        # A blocking wait: polling would add up to its interval to every wall time, which is
        # most of the error on a 60 ms run.
        killer = threading.Timer(timeout_s, _kill_group, (proc.pid,))
        killer.start()
        try:
            _, status, rusage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = float("nan")
    with open(rss_path) as f:
        for line in f:  # "Command exited with non-zero status N" may come first
            if line.strip().isdigit():
                rss_mb = int(line) / 1024
    return (proc.returncode, wall, rusage.ru_utime + rusage.ru_stime, rss_mb)

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
    exec). peak_rss also reports the tool's own CPU (user+sys of its whole subtree) and wall
    time, which leave out the wrapper's start and exit (~3 ms of each). Under /usr/bin/time,
    they are taken around the wrapper: os.wait4's CPU and the wall time seen from here."""
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
    cpu = rusage.ru_utime + rusage.ru_stime
    with open(rss_path) as f:
        for line in f:  # "Command exited with non-zero status N" may come first
            fields = line.split()
            if line.strip().isdigit():
                rss_mb = int(line) / 1024
            elif len(fields) == 4 and fields[0] == "cpu" and fields[2] == "wall":
                cpu, wall = float(fields[1]), float(fields[3])
    return (proc.returncode, wall, cpu, rss_mb)

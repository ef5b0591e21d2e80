// peak_rss FILE COMMAND [ARGS...]: runs COMMAND and writes to FILE its peak RSS in KiB, then
// a line "cpu S wall S": its own user+sys CPU and wall time, without this wrapper's start and
// exit (~3 ms of CPU and wall here, most of the error on a 50 ms run). Exits as COMMAND did
// (128 + N for a signal). What /usr/bin/time -f %M does, but static and with vfork.
//
// A child forked straight from Python would start with Python's RSS as its ru_maxrss (Linux
// carries the high-water mark across exec); started from here it starts from ~1 MB.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_rss FILE COMMAND [ARGS...]\n");
    return 2;
  }
  timespec started{}, ended{};
  clock_gettime(CLOCK_MONOTONIC, &started);
  const pid_t pid = vfork();  // the child only execs
  if (pid < 0) return 127;
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    _exit(127);  // after vfork, nothing else: the parent reports it
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return 127;
  clock_gettime(CLOCK_MONOTONIC, &ended);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    std::fprintf(stderr, "peak_rss: cannot run %s\n", argv[2]);
  if (FILE* out = std::fopen(argv[1], "w")) {
    const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    std::fprintf(out, "%ld\ncpu %.6f wall %.6f\n", usage.ru_maxrss,
                 seconds(usage.ru_utime) + seconds(usage.ru_stime),
                 (ended.tv_sec - started.tv_sec) + (ended.tv_nsec - started.tv_nsec) / 1e9);
    std::fclose(out);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

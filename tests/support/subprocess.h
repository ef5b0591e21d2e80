#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace slack_intel::testing {

struct ProcessResult {
  int exit_code = -1;  // the process's exit status; 128 + N when killed by signal N
  std::string stdout_text;
  std::string stderr_text;
};

// Runs argv[0] (searched on PATH) with argv, the current environment plus `extra_env`, and
// `stdin_text` on its standard input; waits for it and returns what it printed.
// REQUIRES: !argv.empty(). Throws std::runtime_error when the program cannot be started.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env = {},
                         std::string_view stdin_text = {});

// Starts argv like RunProcess (stdout discarded, stderr the test's), and kills it (SIGKILL) once
// `ready()` holds, asked every 5 ms for up to `limit`: a process stopped in the middle of its work.
// Returns its exit code like RunProcess (128 + SIGKILL when it was killed, not done first).
// Throws std::runtime_error when the program cannot be started.
int KillProcessWhen(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& extra_env,
                    const std::function<bool()>& ready,
                    std::chrono::milliseconds limit = std::chrono::seconds(30));

// Runs argv `runs` times, each killed (SIGKILL) at a moment drawn from a generator seeded with
// `seed`, uniform in [0, within): crashes at random but repeatable moments. `after_each(run)` is
// called after each (to check what the killed run left). Returns how many were killed before
// they ended on their own.
int KillAtSeededMoments(const std::vector<std::string>& argv,
                        const std::map<std::string, std::string>& extra_env,
                        std::chrono::nanoseconds within, int runs, uint32_t seed,
                        const std::function<void(int run)>& after_each);

// The environment of this process with `extra` laid over it, as "KEY=VALUE" strings.
std::vector<std::string> EnvironmentWith(const std::map<std::string, std::string>& extra);

// Lines of `text` split on '\n', without a trailing empty line.
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace slack_intel::testing

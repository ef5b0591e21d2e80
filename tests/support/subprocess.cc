#include "support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <random>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace slack_intel::testing {
namespace {

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// posix_spawnp of argv (searched on PATH) with the environment plus `extra_env`; its error.
int Spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env,
          const posix_spawn_file_actions_t& actions, pid_t& pid) {
  std::vector<std::string> args = argv;
  std::vector<std::string> env = EnvironmentWith(extra_env);
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_env = CStrings(env);
  return posix_spawnp(&pid, c_args[0], &actions, nullptr, c_args.data(), c_env.data());
}

}  // namespace

std::vector<std::string> EnvironmentWith(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view kv(*entry);
    std::string key(kv.substr(0, kv.find('=')));
    if (!extra.contains(key)) merged.emplace_back(kv);
  }
  for (const auto& [key, value] : extra) merged.push_back(key + "=" + value);
  return merged;
}

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env,
                         std::string_view stdin_text) {
  std::signal(SIGPIPE, SIG_IGN);  // a child that exits early must not kill the test with EPIPE
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
    posix_spawn_file_actions_addclose(&actions, fd);
  }
  pid_t pid = 0;
  int spawn_error = Spawn(argv, extra_env, actions, pid);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(spawn_error));
  }
  // Feed stdin and drain both outputs together, so neither side blocks on a full pipe.
  ProcessResult result;
  size_t stdin_written = 0;
  int stdin_fd = in_pipe[1];
  if (stdin_text.empty()) {
    close(stdin_fd);
    stdin_fd = -1;
  }
  std::string* sinks[2] = {&result.stdout_text, &result.stderr_text};
  int open_outputs[2] = {out_pipe[0], err_pipe[0]};
  while (open_outputs[0] >= 0 || open_outputs[1] >= 0) {
    pollfd fds[3] = {
        {open_outputs[0], POLLIN, 0}, {open_outputs[1], POLLIN, 0}, {stdin_fd, POLLOUT, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[65536];
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        open_outputs[i] = -1;
      }
    }
    if (stdin_fd >= 0 && fds[2].revents != 0) {
      ssize_t n =
          write(stdin_fd, stdin_text.data() + stdin_written, stdin_text.size() - stdin_written);
      if (n > 0) stdin_written += static_cast<size_t>(n);
      if (n < 0 || stdin_written == stdin_text.size()) {
        close(stdin_fd);
        stdin_fd = -1;
      }
    }
  }
  if (stdin_fd >= 0) close(stdin_fd);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code =
      WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  return result;
}

int KillProcessWhen(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& extra_env,
                    const std::function<bool()>& ready, std::chrono::milliseconds limit) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int spawn_error = Spawn(argv, extra_env, actions, pid);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(spawn_error));
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!ready() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

int KillAtSeededMoments(const std::vector<std::string>& argv,
                        const std::map<std::string, std::string>& extra_env,
                        std::chrono::nanoseconds within, int runs, uint32_t seed,
                        const std::function<void(int run)>& after_each) {
  std::mt19937 random(seed);
  int killed = 0;
  for (int run = 0; run < runs; ++run) {
    const auto at = within * static_cast<int64_t>(random() % 1000) / 1000;
    const auto start = std::chrono::steady_clock::now();
    killed += KillProcessWhen(argv, extra_env, [&] {
                return std::chrono::steady_clock::now() - start >= at;
              }) == 128 + SIGKILL;
    after_each(run);
  }
  return killed;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace slack_intel::testing

#include "support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "support/subprocess.h"

namespace slack_intel::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Reads whatever is available on `fd` within `wait_ms` into `out`; false at end of file.
bool ReadSome(int fd, std::string& out, int wait_ms) {
  pollfd pfd{fd, POLLIN, 0};
  if (poll(&pfd, 1, wait_ms) <= 0) return true;
  char buffer[4096];
  ssize_t n = read(fd, buffer, sizeof buffer);
  if (n <= 0) return n < 0 && errno == EINTR;
  out.append(buffer, static_cast<size_t>(n));
  return true;
}

// The port of a complete "listening on http://127.0.0.1:PORT\n" line in `out` (Azurite says
// "listens on"), else 0.
int AnnouncedPort(std::string_view out) {
  size_t at = std::string_view::npos;
  size_t skip = 0;
  for (std::string_view announcement :
       {"listening on http://127.0.0.1:", "listens on http://127.0.0.1:",
        "listens on https://127.0.0.1:"}) {
    if (at = out.find(announcement); at != std::string_view::npos) {
      skip = announcement.size();
      break;
    }
  }
  if (at == std::string_view::npos) return 0;
  int port = 0;
  for (size_t i = at + skip; i < out.size(); ++i) {
    if (out[i] == '\n') return port > 0 && port < 65536 ? port : 0;
    if (out[i] < '0' || out[i] > '9' || port > 65535) return 0;
    port = port * 10 + (out[i] - '0');
  }
  return 0;  // the line is not complete yet
}

void KillAndReap(pid_t pid) {
  if (kill(pid, SIGTERM) != 0) return;
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

}  // namespace

bool AcceptsConnections(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

std::unique_ptr<ServerProcess> ServerProcess::Start(
    const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env,
    std::chrono::milliseconds timeout) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<std::string> args = argv;
  std::vector<std::string> env = EnvironmentWith(extra_env);
  std::vector<char*> c_args, c_env;
  for (auto& a : args) c_args.push_back(a.data());
  c_args.push_back(nullptr);
  for (auto& e : env) c_env.push_back(e.data());
  c_env.push_back(nullptr);
  pid_t pid = 0;
  int spawn_error = posix_spawnp(&pid, c_args[0], &actions, nullptr, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(spawn_error));
  }
  // Own the child from here on, so every failure below still stops it.
  std::unique_ptr<ServerProcess> server(new ServerProcess(pid, 0, out_pipe[0], err_pipe[0]));

  std::string out, err;
  const auto deadline = Clock::now() + timeout;
  while ((server->port_ = AnnouncedPort(out)) == 0) {
    bool open = ReadSome(server->stdout_fd_, out, 50);
    ReadSome(server->stderr_fd_, err, 0);
    if (!open || Clock::now() > deadline) {
      throw std::runtime_error("server " + argv[0] + " did not announce its port; stdout: " + out +
                               " stderr: " + err);
    }
  }
  while (!AcceptsConnections(server->port_)) {
    if (Clock::now() > deadline) {
      throw std::runtime_error("server " + argv[0] + " does not accept connections on port " +
                               std::to_string(server->port_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return server;
}

ServerProcess::~ServerProcess() { Stop(); }

void ServerProcess::Stop() {
  if (pid_ > 0) KillAndReap(pid_);
  pid_ = -1;
  for (int* fd : {&stdout_fd_, &stderr_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

std::string ServerProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

}  // namespace slack_intel::testing

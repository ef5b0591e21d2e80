#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace slack_intel::testing {

// A local HTTP stand-in (Slack, Jira, STS, SSO, IMDS, ...) run as a child process for the
// length of a test. The server must bind 127.0.0.1 on a port of its choosing and print
// "listening on http://127.0.0.1:PORT" (Azurite: "listens on") on stdout (tools/standins/listen.mjs
// does this). Start() waits until that port accepts connections. The destructor stops the
// server by its pid: SIGTERM, then SIGKILL after a grace period. After the announcement the
// server should write little (errors only): nobody drains its pipes while the test runs.
class ServerProcess {
 public:
  // Starts argv (argv[0] is searched on PATH) with the current environment plus `extra_env`.
  // Throws std::runtime_error when the server does not start and answer within `timeout`;
  // the message carries what it printed on stderr.
  static std::unique_ptr<ServerProcess> Start(
      const std::vector<std::string>& argv,
      const std::map<std::string, std::string>& extra_env = {},
      std::chrono::milliseconds timeout = std::chrono::seconds(20));

  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  // "http://127.0.0.1:PORT", without a trailing slash.
  std::string base_url() const;

  // Stops the server now (what the destructor does); idempotent.
  void Stop();

 private:
  ServerProcess(pid_t pid, int port, int stdout_fd, int stderr_fd)
      : pid_(pid), port_(port), stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}

  pid_t pid_;
  int port_;
  int stdout_fd_;
  int stderr_fd_;
};

// Whether a TCP connection to 127.0.0.1:`port` succeeds right now.
bool AcceptsConnections(int port);

}  // namespace slack_intel::testing

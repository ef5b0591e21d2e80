#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace slack_intel::testing {

// A TCP server on 127.0.0.1 that plays a misbehaving peer: each connection is handed to
// `serve` on a thread of its own, which reads and writes the raw socket as it pleases (broken
// framing, a byte every few seconds, a body without end). `stop` turns true when the server
// goes away; the destructor also shuts every connection down, so a blocked write returns.
class ScriptedServer {
 public:
  using Serve = std::function<void(int fd, const std::atomic<bool>& stop)>;
  explicit ScriptedServer(Serve serve);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + path.
  std::string Url(std::string_view path = "/") const;

 private:
  void Accept();

  Serve serve_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;  // guards connections_
  std::vector<int> connections_;
  std::vector<std::thread> threads_;  // touched by the accept thread, then the destructor
  std::thread acceptor_;
};

// Reads a request head (through the blank line) from `fd`; "" if the peer went away first.
std::string ReadRequestHead(int fd);
// Writes all of `bytes`; false when the peer is gone.
bool SendAll(int fd, std::string_view bytes);
// Sleeps `ms` milliseconds unless `stop` turns true first (checked every 10 ms); false then.
bool SleepUnlessStopped(int ms, const std::atomic<bool>& stop);

}  // namespace slack_intel::testing

#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

// OpenSSL's SSL_CTX and SSL (openssl/types.h), kept out of this header.
struct ssl_ctx_st;
struct ssl_st;

namespace slack_intel::http {

// What a TLS connection trusts: the system's CA store or a bundle, and whether to check at all.
// Shared by every connection made with the same settings (loading a CA store is dear).
class TlsContext {
 public:
  // Errors: kInvalidArgument when the CA certificates cannot be loaded.
  static Result<std::shared_ptr<TlsContext>> Get(const std::string& ca_bundle, bool verify);
  ~TlsContext();
  ssl_ctx_st* ctx() const { return ctx_; }
  bool verify() const { return verify_; }

 private:
  TlsContext(ssl_ctx_st* ctx, bool verify) : ctx_(ctx), verify_(verify) {}
  ssl_ctx_st* ctx_;
  bool verify_;
};

// A resolved address of a host.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

// Connects a TCP socket to the first of `addresses` that answers, trying them in order as RFC
// 8305 ("Happy Eyeballs Version 2") does: each next attempt starts 250 ms after the last,
// while the earlier ones go on, and the first to connect wins. So an address that never
// answers (IPv6 without a route) costs 250 ms, not the whole timeout. Returns a non-blocking
// descriptor the caller owns. Errors: kUnavailable (every address refused, or `timeout`).
Result<int> ConnectToAny(const std::vector<SocketAddress>& addresses,
                         std::chrono::milliseconds timeout);

// One TCP connection, optionally wrapped in TLS, with every wait bounded: connecting by its
// own timeout, each read or write by the stall timeout (no progress for that long is a dead
// peer), and, once an exchange has begun (BeginExchange), by its deadline and a floor on the
// bytes moved in every stall-timeout window (a peer that trickles a byte every few seconds is
// as dead as a silent one). Errors carry a short reason; the caller says where.
class Connection {
 public:
  // Errors: kUnavailable (refused, unreachable, timed out, no such host).
  static Result<std::unique_ptr<Connection>> Open(const std::string& host, int port,
                                                  std::chrono::milliseconds connect_timeout,
                                                  std::chrono::milliseconds stall_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs the TLS handshake on this connection, for `host` (SNI and the certificate's name).
  // Errors: kInvalidArgument when the certificate does not verify (the reason says why);
  // kUnavailable when the handshake fails otherwise.
  Status StartTls(const TlsContext& tls, const std::string& host);

  // Some bytes into `buffer`; 0 when the peer closed. Errors: kUnavailable.
  Result<size_t> ReadSome(char* buffer, size_t size);
  // Errors: kUnavailable.
  Status WriteAll(std::string_view bytes);

  // False when the peer has closed or sent something unasked: not to be reused.
  bool LooksReusable() const;

  // Bounds the reads and writes from now on: all of them end by `deadline`, and fewer than
  // `min_bytes_per_window` moved (either way) in any stall-timeout window is an error.
  void BeginExchange(std::chrono::steady_clock::time_point deadline, uint64_t min_bytes_per_window);

 private:
  Connection(int fd, std::chrono::milliseconds stall_timeout) : fd_(fd), stall_(stall_timeout) {}
  // Waits until the socket is readable (or writable); false on timeout or error.
  bool Wait(bool for_write) const;
  // Counts `bytes` moved; an error when the exchange is past its deadline or too slow.
  Status Moved(size_t bytes);
  // Why a wait or the exchange ended without progress.
  Status Stalled(std::string_view doing) const;

  int fd_;
  ssl_st* ssl_ = nullptr;
  std::chrono::milliseconds stall_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point window_start_{};
  uint64_t window_bytes_ = 0;
  uint64_t min_window_bytes_ = 0;
};

}  // namespace slack_intel::http

#pragma once

#include <openssl/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace slack_intel::http {

// What a TLS connection trusts: the system's CA store or a bundle, and whether to check at all.
// Shared by every connection made with the same settings (loading a CA store is dear).
class TlsContext {
 public:
  // Errors: kInvalidArgument when the CA certificates cannot be loaded.
  static Result<std::shared_ptr<TlsContext>> Get(const std::string& ca_bundle, bool verify);
  ~TlsContext();
  SSL_CTX* ctx() const { return ctx_; }
  bool verify() const { return verify_; }

 private:
  TlsContext(SSL_CTX* ctx, bool verify) : ctx_(ctx), verify_(verify) {}
  SSL_CTX* ctx_;
  bool verify_;
};

// One TCP connection, optionally wrapped in TLS, with every wait bounded: connecting by its
// own timeout, each read or write by the stall timeout (no progress for that long is a dead
// peer). Errors carry a short reason; the caller says where.
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

 private:
  Connection(int fd, std::chrono::milliseconds stall_timeout) : fd_(fd), stall_(stall_timeout) {}
  // Waits until the socket is readable (or writable); false on timeout or error.
  bool Wait(bool for_write) const;

  int fd_;
  SSL* ssl_ = nullptr;
  std::chrono::milliseconds stall_;
};

}  // namespace slack_intel::http

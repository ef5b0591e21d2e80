#include "util/http/connection.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

namespace slack_intel::http {
namespace {

using Clock = std::chrono::steady_clock;

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<int64_t>(left.count(), 0));
}

bool IsIpLiteral(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), address) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address) == 1;
}

// Connects one non-blocking socket: its descriptor, or -errno.
int ConnectOne(const addrinfo& address, Clock::time_point deadline) {
  const int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          address.ai_protocol);
  if (fd < 0) return -errno;
  int error = 0;
  if (::connect(fd, address.ai_addr, address.ai_addrlen) != 0) error = errno;
  if (error == EINPROGRESS) {
    pollfd waiting{fd, POLLOUT, 0};
    int ready;
    do {
      ready = ::poll(&waiting, 1, MillisLeft(deadline));
    } while (ready < 0 && errno == EINTR);
    socklen_t length = sizeof(error);
    if (ready == 0) {
      error = ETIMEDOUT;
    } else if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
      error = errno;
    }
  }
  if (error != 0) {
    ::close(fd);
    return -error;
  }
  const int one = 1;  // a request's head and body can be separate writes
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::Get(const std::string& ca_bundle, bool verify) {
  static std::mutex mutex;
  // Never destroyed: OpenSSL may register its own clean-up at exit after this map exists, and
  // would then run first; an SSL_CTX freed after it is a crash at exit.
  static auto* contexts = new std::map<std::pair<std::string, bool>, std::shared_ptr<TlsContext>>;
  std::lock_guard lock(mutex);
  auto& context = (*contexts)[{ca_bundle, verify}];
  if (context != nullptr) return context;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return Status::Internal("TLS: cannot create an OpenSSL context");
  std::shared_ptr<TlsContext> made(new TlsContext(ctx, verify));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // A peer that closes without close_notify ends the stream; a short body is still caught by
  // the response's own framing.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  if (verify) {
    const bool loaded = ca_bundle.empty()
                            ? SSL_CTX_set_default_verify_paths(ctx) == 1
                            : SSL_CTX_load_verify_locations(ctx, ca_bundle.c_str(), nullptr) == 1;
    ERR_clear_error();
    if (!loaded) {
      return Status::InvalidArgument(fmt::format("TLS: cannot load the CA certificates{}",
                                                 ca_bundle.empty() ? "" : " from " + ca_bundle));
    }
  }
  context = made;
  return made;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& host, int port,
                                                     std::chrono::milliseconds connect_timeout,
                                                     std::chrono::milliseconds stall_timeout) {
  const Clock::time_point deadline = Clock::now() + connect_timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int resolved = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (resolved != 0) {
    return Status::Unavailable(fmt::format("cannot resolve {}: {}", host, gai_strerror(resolved)));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
  int error = EADDRNOTAVAIL;
  for (const addrinfo* a = found; a != nullptr && error != ETIMEDOUT; a = a->ai_next) {
    const int fd = ConnectOne(*a, deadline);
    if (fd >= 0) return std::unique_ptr<Connection>(new Connection(fd, stall_timeout));
    error = -fd;
  }
  if (error == ETIMEDOUT)
    return Status::Unavailable(fmt::format("timed out after {} ms", connect_timeout.count()));
  return Status::Unavailable(std::strerror(error));
}

Connection::~Connection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ::close(fd_);
}

bool Connection::Wait(bool for_write) const {
  pollfd waiting{fd_, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  const Clock::time_point deadline = Clock::now() + stall_;
  for (;;) {
    const int ready = ::poll(&waiting, 1, MillisLeft(deadline));
    if (ready > 0) return true;
    if (ready == 0 || errno != EINTR) return false;
  }
}

Status Connection::StartTls(const TlsContext& tls, const std::string& host) {
  ssl_ = SSL_new(tls.ctx());
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) return Status::Unavailable("TLS setup failed");
  const bool ip = IsIpLiteral(host);
  if (!ip) SSL_set_tlsext_host_name(ssl_, host.c_str());
  if (tls.verify()) {
    SSL_set_verify(ssl_, SSL_VERIFY_PEER, nullptr);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    if (ip) {
      X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    } else {
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    }
  } else {
    SSL_set_verify(ssl_, SSL_VERIFY_NONE, nullptr);
  }
  for (;;) {
    ERR_clear_error();
    const int done = SSL_connect(ssl_);
    if (done == 1) return Status::OK();
    const int error = SSL_get_error(ssl_, done);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      if (Wait(error == SSL_ERROR_WANT_WRITE)) continue;
      return Status::Unavailable(
          fmt::format("the TLS handshake stalled for {} ms", stall_.count()));
    }
    const long verified = SSL_get_verify_result(ssl_);
    ERR_clear_error();
    if (tls.verify() && verified != X509_V_OK)
      return Status::InvalidArgument(X509_verify_cert_error_string(verified));
    return Status::Unavailable("the TLS handshake failed");
  }
}

Result<size_t> Connection::ReadSome(char* buffer, size_t size) {
  for (;;) {
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, buffer, static_cast<int>(std::min<size_t>(size, 1 << 30)));
      if (n > 0) return static_cast<size_t>(n);
      const int error = SSL_get_error(ssl_, n);
      if (error == SSL_ERROR_ZERO_RETURN) return 0;
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        if (Wait(error == SSL_ERROR_WANT_WRITE)) continue;
      } else {
        ERR_clear_error();
        return Status::Unavailable("TLS read failed");
      }
    } else {
      const ssize_t n = ::recv(fd_, buffer, size, 0);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return Status::Unavailable(std::strerror(errno));
      if (Wait(false)) continue;
    }
    return Status::Unavailable(fmt::format("nothing arrived for {} ms", stall_.count()));
  }
}

Status Connection::WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t written = 0;
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n =
          SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<size_t>(bytes.size(), 1 << 30)));
      if (n > 0) {
        written = static_cast<size_t>(n);
      } else {
        const int error = SSL_get_error(ssl_, n);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
          ERR_clear_error();
          return Status::Unavailable("TLS write failed");
        }
        if (!Wait(error == SSL_ERROR_WANT_WRITE))
          return Status::Unavailable(fmt::format("no progress for {} ms", stall_.count()));
        continue;
      }
    } else {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) return Status::Unavailable(std::strerror(errno));
        if (!Wait(true))
          return Status::Unavailable(fmt::format("no progress for {} ms", stall_.count()));
        continue;
      }
      written = static_cast<size_t>(n);
    }
    bytes.remove_prefix(written);
  }
  return Status::OK();
}

bool Connection::LooksReusable() const {
  pollfd waiting{fd_, POLLIN, 0};
  if (::poll(&waiting, 1, 0) == 0) return ssl_ == nullptr || SSL_pending(ssl_) == 0;
  if (ssl_ == nullptr) return false;  // closed, or bytes nobody asked for
  // TLS 1.3 servers may send session tickets late: records that are not data.
  char byte;
  ERR_clear_error();
  const int n = SSL_peek(ssl_, &byte, 1);
  const bool only_handshake = n <= 0 && SSL_get_error(ssl_, n) == SSL_ERROR_WANT_READ;
  ERR_clear_error();
  return only_handshake;
}

}  // namespace slack_intel::http

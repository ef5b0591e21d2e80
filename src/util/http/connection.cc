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

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace slack_intel::http {
namespace {

using Clock = std::chrono::steady_clock;

// Rounded up: a poll that wakes before its deadline would be taken for one that reached it.
int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, INT32_MAX));
}

bool IsIpLiteral(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), address) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address) == 1;
}

// RFC 8305 ("Happy Eyeballs Version 2"), section 5: connection attempts start this far apart.
constexpr auto kConnectionAttemptDelay = std::chrono::milliseconds(250);

void SetNoDelay(int fd) {
  const int one = 1;  // a request's head and body can be separate writes
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
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

Result<int> ConnectToAny(const std::vector<SocketAddress>& addresses,
                         std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  struct Attempt {
    int fd;
    size_t index;
  };
  std::vector<Attempt> pending;
  auto close_all = [&](int keep) {
    for (const Attempt& a : pending)
      if (a.fd != keep) ::close(a.fd);
  };
  int error = EADDRNOTAVAIL;
  size_t next = 0;
  Clock::time_point next_start = Clock::now();
  for (;;) {
    // Start the next address when its turn comes, or at once when nothing is pending.
    while (next < addresses.size() && (pending.empty() || Clock::now() >= next_start)) {
      const SocketAddress& address = addresses[next++];
      const int fd =
          ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        error = errno;
        continue;
      }
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) == 0) {
        close_all(-1);
        SetNoDelay(fd);
        return fd;
      }
      if (errno != EINPROGRESS) {
        error = errno;
        ::close(fd);
        continue;
      }
      pending.push_back({fd, next - 1});
      next_start = Clock::now() + kConnectionAttemptDelay;
    }
    if (pending.empty()) return Status::Unavailable(std::strerror(error));
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      close_all(-1);
      return Status::Unavailable(fmt::format("timed out after {} ms", timeout.count()));
    }
    Clock::time_point wake = deadline;
    if (next < addresses.size()) wake = std::min(wake, next_start);
    std::vector<pollfd> waiting;
    for (const Attempt& a : pending) waiting.push_back({a.fd, POLLOUT, 0});
    const int ready = ::poll(waiting.data(), waiting.size(), std::max(1, MillisLeft(wake)));
    if (ready < 0 && errno != EINTR) {
      close_all(-1);
      return Status::Unavailable(std::strerror(errno));
    }
    for (size_t i = 0; ready > 0 && i < waiting.size(); ++i) {
      if (waiting[i].revents == 0) continue;
      int result = 0;
      socklen_t length = sizeof(result);
      if (::getsockopt(waiting[i].fd, SOL_SOCKET, SO_ERROR, &result, &length) != 0) result = errno;
      if (result == 0) {
        close_all(waiting[i].fd);
        SetNoDelay(waiting[i].fd);
        return waiting[i].fd;
      }
      error = result;
      ::close(waiting[i].fd);
      pending.erase(std::find_if(pending.begin(), pending.end(),
                                 [&](const Attempt& a) { return a.fd == waiting[i].fd; }));
    }
  }
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& host, int port,
                                                     std::chrono::milliseconds connect_timeout,
                                                     std::chrono::milliseconds stall_timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int resolved = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (resolved != 0) {
    return Status::Unavailable(fmt::format("cannot resolve {}: {}", host, gai_strerror(resolved)));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, ::freeaddrinfo);
  std::vector<SocketAddress> addresses;  // in the resolver's order (RFC 6724's)
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_addrlen > sizeof(sockaddr_storage)) continue;
    SocketAddress address;
    std::memcpy(&address.storage, a->ai_addr, a->ai_addrlen);
    address.length = a->ai_addrlen;
    addresses.push_back(address);
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(const int fd, ConnectToAny(addresses, connect_timeout));
  return std::unique_ptr<Connection>(new Connection(fd, stall_timeout));
}

Connection::~Connection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ::close(fd_);
}

void Connection::BeginExchange(Clock::time_point deadline, uint64_t min_bytes_per_window) {
  deadline_ = deadline;
  window_start_ = Clock::now();
  window_bytes_ = 0;
  min_window_bytes_ = min_bytes_per_window;
}

Status Connection::Moved(size_t bytes) {
  window_bytes_ += bytes;
  const Clock::time_point now = Clock::now();
  if (now >= deadline_) return Stalled("");
  if (now - window_start_ >= stall_) {
    if (window_bytes_ < min_window_bytes_) {
      return Status::Unavailable(
          fmt::format("only {} bytes moved in {} ms: too slow", window_bytes_, stall_.count()));
    }
    window_start_ = now;
    window_bytes_ = 0;
  }
  return Status::OK();
}

Status Connection::Stalled(std::string_view doing) const {
  if (Clock::now() >= deadline_) return Status::Unavailable("the request ran past its deadline");
  return Status::Unavailable(fmt::format("{} for {} ms", doing, stall_.count()));
}

bool Connection::Wait(bool for_write) const {
  pollfd waiting{fd_, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  const Clock::time_point deadline = std::min(Clock::now() + stall_, deadline_);
  for (;;) {
    const int ready = ::poll(&waiting, 1, MillisLeft(deadline));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return false;
    if (ready == 0 && Clock::now() >= deadline) return false;
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
      return Stalled("the TLS handshake stalled");
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
      if (n > 0) {
        SLACK_INTEL_RETURN_IF_ERROR(Moved(static_cast<size_t>(n)));
        return static_cast<size_t>(n);
      }
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
      if (n > 0) SLACK_INTEL_RETURN_IF_ERROR(Moved(static_cast<size_t>(n)));
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return Status::Unavailable(std::strerror(errno));
      if (Wait(false)) continue;
    }
    return Stalled("nothing arrived");
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
        if (!Wait(error == SSL_ERROR_WANT_WRITE)) return Stalled("no progress");
        continue;
      }
    } else {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) return Status::Unavailable(std::strerror(errno));
        if (!Wait(true)) return Stalled("no progress");
        continue;
      }
      written = static_cast<size_t>(n);
    }
    bytes.remove_prefix(written);
    SLACK_INTEL_RETURN_IF_ERROR(Moved(written));
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

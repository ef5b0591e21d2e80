#include "util/http/socket_http_client.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "util/http/basic_auth.h"
#include "util/http/connection.h"
#include "util/http/response_parser.h"
#include "util/text.h"

namespace slack_intel::http {
namespace {

constexpr size_t kBodyReserveBytes = 1 << 20;
constexpr size_t kUploadChunkBytes = 256 << 10;
constexpr size_t kReadChunkBytes = 64 << 10;
constexpr size_t kCoalesceBytes = 64 << 10;  // bodies up to this go in the head's write

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

bool HasHeader(const Request& request, std::string_view lowercase_name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const Header& h) { return h.name == lowercase_name; });
}

// Where the response body goes: a file for 2xx when asked, memory otherwise, each within its
// limit (the memory cap, or the size the caller expects a download to have).
struct BodySink {
  Response* response = nullptr;
  const Request* request = nullptr;
  uint64_t max_memory_bytes = 0;
  std::FILE* file = nullptr;  // opened at the first byte of a 2xx body
  uint64_t written = 0;
  bool file_error = false;
  int file_errno = 0;  // why, for the message (ENOSPC: the disk is full)
  Status refused;      // why a body over its limit was refused

  bool to_file() const { return request->response_file && response->status / 100 == 2; }

  // The head's Content-Length, checked before any of the body is taken.
  bool CheckAnnounced(const std::vector<Header>& headers) {
    for (const Header& h : headers) {
      if (h.name != "content-length") continue;
      const uint64_t announced = std::strtoull(h.value.c_str(), nullptr, 10);
      if (to_file() && request->expected_body_bytes && announced != *request->expected_body_bytes)
        return Refuse(fmt::format("the reply announces {} bytes where {} were expected", announced,
                                  *request->expected_body_bytes));
      if (!to_file() && announced > max_memory_bytes)
        return Refuse(fmt::format("the reply announces {} bytes, over the {} MiB limit", announced,
                                  max_memory_bytes >> 20));
    }
    return true;
  }

  bool Write(const char* data, size_t n, const std::vector<Header>& headers) {
    if (written == 0 && !CheckAnnounced(headers)) return false;
    written += n;
    if (to_file()) {
      if (request->expected_body_bytes && written > *request->expected_body_bytes)
        return Refuse(fmt::format("the reply sends more than the {} bytes expected",
                                  *request->expected_body_bytes));
      if (file == nullptr) file = std::fopen(request->response_file->c_str(), "wb");
      if (file == nullptr || std::fwrite(data, 1, n, file) != n) {
        file_error = true;
        file_errno = errno;
        return false;
      }
      return true;
    }
    if (written > max_memory_bytes)
      return Refuse(fmt::format("the reply is over the {} MiB limit", max_memory_bytes >> 20));
    // One allocation up front: a growing string copies itself into fresh pages at every
    // doubling, and a listing page is ~300 KB. Untouched capacity costs nothing.
    if (response->body.empty()) response->body.reserve(std::max(n, kBodyReserveBytes));
    response->body.append(data, n);
    return true;
  }
  bool Refuse(std::string why) {
    refused = Status::Corruption(std::move(why));
    return false;
  }
  // A 2xx with an empty body still leaves an (empty) file behind, as a download should.
  bool Finish() {
    if (to_file() && file == nullptr && !file_error) {
      file = std::fopen(request->response_file->c_str(), "wb");
      if (file == nullptr) {
        file_error = true;
        file_errno = errno;
      }
    }
    if (file != nullptr && std::fclose(file) != 0 && !file_error) {
      file_error = true;
      file_errno = errno;
    }
    file = nullptr;
    return !file_error;
  }
  // A whole body shorter than expected (the framing said it ended).
  Status CheckComplete() const {
    if (to_file() && request->expected_body_bytes && written != *request->expected_body_bytes) {
      return Status::Corruption(fmt::format("the reply sent {} bytes where {} were expected",
                                            written, *request->expected_body_bytes));
    }
    return Status::OK();
  }
};

// host:port, with an IPv6 literal in brackets: what CONNECT names.
std::string HostPort(const Url& url) {
  return url.host.find(':') != std::string::npos ? fmt::format("[{}]:{}", url.host, url.port)
                                                 : fmt::format("{}:{}", url.host, url.port);
}

class SocketHttpClient final : public HttpClient {
 public:
  explicit SocketHttpClient(HttpOptions options) : options_(std::move(options)) {
    if (!options_.proxies) options_.proxies = ProxyEnvironment::FromProcess();
    IgnoreSigpipeOnce();
  }

  Result<Response> Send(const Request& request) override {
    auto url = ParseUrl(request.url);
    if (!url.ok()) return url.status();
    auto proxy = ProxyFor(*options_.proxies, *url);
    if (!proxy.ok()) return proxy.status();
    std::string where = fmt::format("{}:{}", url->host, url->port);
    if (*proxy) where += fmt::format(" through the proxy {}:{}", (*proxy)->host, (*proxy)->port);
    for (const Header& h : request.headers) {
      if (h.name.find_first_of("\r\n:") != std::string::npos ||
          h.value.find_first_of("\r\n") != std::string::npos)
        return Status::InvalidArgument(fmt::format("HTTP header '{}' holds a line break", h.name));
    }
    // A kept-alive connection the server closed while it sat idle fails before any answer;
    // then the request goes once more, on a new connection.
    const uint64_t known_bytes =
        (request.body_file ? request.body_file->length : request.body.size()) +
        request.expected_body_bytes.value_or(0);
    const auto deadline =
        std::chrono::steady_clock::now() + options_.request_timeout +
        std::chrono::seconds(known_bytes /
                             std::max<uint64_t>(1, options_.min_mean_bytes_per_second));
    for (;;) {
      SLACK_INTEL_RETURN_IF_ERROR(Connect(*url, *proxy, where));
      connection_->BeginExchange(deadline, options_.min_bytes_per_stall);
      const bool reused = reused_;
      bool answered = false;
      auto response = Exchange(request, *url, *proxy, where, &answered);
      if (!reused || answered || response.status().code() != StatusCode::kUnavailable)
        return response;
    }
  }

 private:
  // Makes connection_ the connection to the URL's origin (by way of `proxy`); reused_ tells
  // whether it carried an earlier request.
  Status Connect(const Url& url, const std::optional<Proxy>& proxy, const std::string& where) {
    std::string key = fmt::format("{}://{}:{}", url.scheme, url.host, url.port);
    if (proxy) key += fmt::format(" via {}:{}", proxy->host, proxy->port);
    if (connection_ != nullptr && key == connection_key_ && connection_->LooksReusable()) {
      reused_ = true;
      return Status::OK();
    }
    Drop();
    reused_ = false;
    const std::string& host = proxy ? proxy->host : url.host;
    const int port = proxy ? proxy->port : url.port;
    auto connection =
        Connection::Open(host, port, options_.connect_timeout, options_.stall_timeout);
    if (!connection.ok()) return CannotConnect(where, connection.status());
    if (url.scheme == "https") {
      SLACK_INTEL_ASSIGN_OR_RETURN(std::shared_ptr<TlsContext> tls,
                                   TlsContext::Get(options_.ca_bundle, options_.verify_tls));
      if (proxy) {
        Status tunnel = OpenTunnel(**connection, url, *proxy);
        if (!tunnel.ok()) return CannotConnect(where, tunnel);
      }
      Status secured = (*connection)->StartTls(*tls, url.host);
      if (secured.code() == StatusCode::kInvalidArgument) {
        return Status::InvalidArgument(fmt::format(
            "TLS: the certificate of {} does not verify: {} (set AWS_CA_BUNDLE for a private CA)",
            where, secured.message()));
      }
      if (!secured.ok()) {
        return Status::Unavailable(
            fmt::format("TLS handshake with {} failed: {}", where, secured.message()));
      }
    }
    connection_ = std::move(*connection);
    connection_key_ = std::move(key);
    return Status::OK();
  }

  // CONNECT host:port through the proxy; TLS then runs inside the tunnel.
  Status OpenTunnel(Connection& connection, const Url& url, const Proxy& proxy) {
    const std::string target = HostPort(url);
    std::string head = fmt::format("CONNECT {0} HTTP/1.1\r\nHost: {0}\r\n", target);
    if (!proxy.user.empty())
      head += "Proxy-Authorization: " + BasicAuthorization(proxy.user, proxy.password) + "\r\n";
    head += "\r\n";
    Status sent = connection.WriteAll(head);
    if (!sent.ok()) return Status(sent.code(), "CONNECT: " + sent.message());
    ResponseParser parser(/*expects_no_body=*/true, [](const char*, size_t) { return true; });
    char buffer[4096];
    while (!parser.done()) {
      SLACK_INTEL_ASSIGN_OR_RETURN(size_t got, connection.ReadSome(buffer, sizeof(buffer)));
      if (got == 0) return Status::Unavailable("the proxy closed the connection after CONNECT");
      SLACK_INTEL_ASSIGN_OR_RETURN(size_t used, parser.Feed({buffer, got}));
      if (used < got) return Status::Corruption("the proxy sent bytes after its CONNECT answer");
    }
    if (parser.status() / 100 == 2) return Status::OK();
    const std::string why =
        fmt::format("the proxy answered CONNECT {} with HTTP {}", target, parser.status());
    if (parser.status() == 407)
      return Status::InvalidArgument(why + " (check the user and password in the proxy URL)");
    return Status::Unavailable(why);
  }

  // Sends the request on connection_ and reads the response. `answered`: some of the response
  // arrived (a failure after that is not a stale connection's).
  Result<Response> Exchange(const Request& request, const Url& url,
                            const std::optional<Proxy>& proxy, const std::string& where,
                            bool* answered) {
    // Through a proxy, plain http goes in absolute form ("GET http://host/path"); https
    // went through a CONNECT tunnel and looks direct.
    const bool absolute = proxy && url.scheme == "http";
    std::string out = fmt::format("{} {}{} HTTP/1.1\r\n", request.method,
                                  absolute ? "http://" + url.authority : "", url.target);
    for (const Header& h : request.headers) out += fmt::format("{}: {}\r\n", h.name, h.value);
    if (!HasHeader(request, "host")) out += fmt::format("Host: {}\r\n", url.authority);
    if (!HasHeader(request, "accept-encoding")) out += "Accept-Encoding: identity\r\n";
    if (!HasHeader(request, "user-agent")) out += "User-Agent: slack-intel\r\n";
    if (absolute && !proxy->user.empty())
      out += "Proxy-Authorization: " + BasicAuthorization(proxy->user, proxy->password) + "\r\n";
    const bool has_body = request.body_file || !request.body.empty() || request.method == "PUT" ||
                          request.method == "POST";
    const uint64_t body_length =
        request.body_file ? request.body_file->length : request.body.size();
    if (has_body && !HasHeader(request, "content-length"))
      out += fmt::format("Content-Length: {}\r\n", body_length);
    out += "\r\n";

    Status sent = SendBody(request, out);
    if (sent.code() == StatusCode::kIOError) {
      Drop();
      return sent;
    }
    if (!sent.ok()) {
      Drop();
      return Status::Unavailable(fmt::format(
          "the connection to {} failed while sending the request: {}", where, sent.message()));
    }

    Response response;
    BodySink sink;
    sink.response = &response;
    sink.request = &request;
    sink.max_memory_bytes = options_.max_memory_body_bytes;
    ResponseParser* reading = nullptr;
    ResponseParser parser(request.method == "HEAD", [&](const char* data, size_t size) {
      response.status = reading->status();  // the sink's choice depends on it
      return sink.Write(data, size, reading->headers());
    });
    reading = &parser;
    if (read_buffer_.empty()) read_buffer_.resize(kReadChunkBytes);
    bool leftover = false;
    Status received;
    while (!parser.done()) {
      auto got = connection_->ReadSome(read_buffer_.data(), read_buffer_.size());
      if (!got.ok()) {
        received = got.status();
        break;
      }
      if (*got == 0) {
        received = parser.FinishAtClose();
        break;
      }
      *answered = true;
      auto used = parser.Feed({read_buffer_.data(), *got});
      if (!used.ok()) {
        received = used.status();
        break;
      }
      leftover = *used < *got;
    }
    const bool file_ok = sink.Finish();
    if (!sink.refused.ok()) {
      Drop();  // the rest of the body is never read
      return Status::Corruption(fmt::format("{}: {}", where, sink.refused.message()));
    }
    if (!file_ok) {
      Drop();
      return Status::IOError(fmt::format("cannot write {}: {}", request.response_file->string(),
                                         std::strerror(sink.file_errno)));
    }
    if (!received.ok()) {
      Drop();  // never reuse a connection in an unknown state
      if (received.code() == StatusCode::kCorruption)
        return Status::Corruption(fmt::format("{}: {}", where, received.message()));
      return Status::Unavailable(fmt::format(
          "the connection to {} failed while reading the response: {}", where, received.message()));
    }
    if (!parser.keep_alive() || leftover) Drop();
    response.status = parser.status();
    response.headers = std::move(parser.headers());
    if (Status complete = sink.CheckComplete(); !complete.ok()) {
      return Status::Corruption(fmt::format("{}: {}", where, complete.message()));
    }
    return response;
  }

  // Writes the head in `out` and the body. A small body travels in the head's write.
  Status SendBody(const Request& request, std::string& out) {
    if (!request.body_file) {
      if (request.body.size() <= kCoalesceBytes) {
        out += request.body;
        return connection_->WriteAll(out);
      }
      SLACK_INTEL_RETURN_IF_ERROR(connection_->WriteAll(out));
      return connection_->WriteAll(request.body);
    }
    const FileRange& range = *request.body_file;
    const int fd = ::open(range.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IOError(fmt::format("cannot read {}", range.path.string()));
    const auto short_body = [&] {
      return Status::IOError(
          fmt::format("upload body: {} changed while it was sent", range.path.string()));
    };
    Status status;
    uint64_t offset = 0;
    if (range.length <= kCoalesceBytes) {
      const size_t head = out.size();
      out.resize(head + range.length);
      const ssize_t got = range.length == 0 ? 0
                                            : ::pread(fd, out.data() + head, range.length,
                                                      static_cast<off_t>(range.offset));
      status =
          got == static_cast<ssize_t>(range.length) ? connection_->WriteAll(out) : short_body();
      offset = range.length;
    } else {
      status = connection_->WriteAll(out);
      // Made once per client, at the first body that needs it.
      if (upload_buffer_.size() < kUploadChunkBytes) upload_buffer_.resize(kUploadChunkBytes);
    }
    while (status.ok() && offset < range.length) {
      const size_t want =
          static_cast<size_t>(std::min<uint64_t>(range.length - offset, upload_buffer_.size()));
      const ssize_t got =
          ::pread(fd, upload_buffer_.data(), want, static_cast<off_t>(range.offset + offset));
      if (got <= 0) {  // the file shrank under us, or a read error
        status = short_body();
        break;
      }
      status = connection_->WriteAll({upload_buffer_.data(), static_cast<size_t>(got)});
      offset += static_cast<uint64_t>(got);
    }
    ::close(fd);
    return status;
  }

  static Status CannotConnect(const std::string& where, const Status& why) {
    return Status(why.code(), fmt::format("could not connect to {}: {}", where, why.message()));
  }

  void Drop() {
    connection_.reset();
    connection_key_.clear();
  }

  HttpOptions options_;
  std::unique_ptr<Connection> connection_;
  std::string connection_key_;
  bool reused_ = false;
  std::vector<char> read_buffer_;
  std::vector<char> upload_buffer_;  // file bodies are read through it, a chunk at a time
};

}  // namespace

std::unique_ptr<HttpClient> MakeHttpClient(const HttpOptions& options) {
  return std::make_unique<SocketHttpClient>(options);
}

}  // namespace slack_intel::http

#include "util/http/httplib_http_client.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <vector>

#include "util/text.h"

namespace slack_intel::http {
namespace {

constexpr size_t kBodyReserveBytes = 1 << 20;
constexpr size_t kUploadChunkBytes = 256 << 10;

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

bool HasHeader(const Request& request, std::string_view lowercase_name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const Header& h) { return h.name == lowercase_name; });
}

// Where the response body goes: a file for 2xx when asked, memory otherwise.
struct BodySink {
  Response* response = nullptr;
  const std::filesystem::path* file_path = nullptr;
  std::FILE* file = nullptr;  // opened at the first byte of a 2xx body
  bool file_error = false;

  bool Write(const char* data, size_t n) {
    if (file_path != nullptr && response->status / 100 == 2) {
      if (file == nullptr) file = std::fopen(file_path->c_str(), "wb");
      if (file == nullptr || std::fwrite(data, 1, n, file) != n) {
        file_error = true;
        return false;
      }
      return true;
    }
    // One allocation up front: a growing string copies itself into fresh pages at every
    // doubling, and a listing page is ~300 KB. Untouched capacity costs nothing.
    if (response->body.empty()) response->body.reserve(std::max(n, kBodyReserveBytes));
    response->body.append(data, n);
    return true;
  }
  // A 2xx with an empty body still leaves an (empty) file behind, as a download should.
  bool Finish() {
    if (file_path != nullptr && response->status / 100 == 2 && file == nullptr && !file_error) {
      file = std::fopen(file_path->c_str(), "wb");
      if (file == nullptr) file_error = true;
    }
    if (file != nullptr && std::fclose(file) != 0) file_error = true;
    file = nullptr;
    return !file_error;
  }
};

class HttplibHttpClient final : public HttpClient {
 public:
  explicit HttplibHttpClient(HttpOptions options) : options_(std::move(options)) {
    if (!options_.proxies) options_.proxies = ProxyEnvironment::FromProcess();
    IgnoreSigpipeOnce();
  }

  Result<Response> Send(const Request& request) override {
    auto url = ParseUrl(request.url);
    if (!url.ok()) return url.status();
    auto proxy = ProxyFor(*options_.proxies, *url);
    if (!proxy.ok()) return proxy.status();
    httplib::ClientImpl& connection = ConnectionTo(*url, *proxy);

    httplib::Request out;
    out.method = request.method;
    // Through a proxy, httplib itself puts plain http in absolute form
    // ("GET http://host/path"); https goes through a CONNECT tunnel.
    out.path = url->target;
    for (const Header& h : request.headers) out.headers.emplace(h.name, h.value);
    if (!HasHeader(request, "host")) out.headers.emplace("Host", url->authority);
    if (!HasHeader(request, "accept-encoding")) out.headers.emplace("Accept-Encoding", "identity");
    if (!HasHeader(request, "user-agent")) out.headers.emplace("User-Agent", "slack-intel");

    // Bodies go through a content provider, memory ones too: for a plain `body` httplib
    // would add a Content-Type, which S3 would store on the object.
    int body_fd = -1;
    bool body_short = false;
    if (request.body_file) {
      body_fd = ::open(request.body_file->path.c_str(), O_RDONLY | O_CLOEXEC);
      if (body_fd < 0) {
        return Status::IOError(fmt::format("cannot read {}", request.body_file->path.string()));
      }
      out.content_length_ = request.body_file->length;
      // Sized by the body: untouched pages cost nothing, zero-filled ones a fault each.
      const size_t buffer_bytes = static_cast<size_t>(
          std::clamp<uint64_t>(request.body_file->length, 1, kUploadChunkBytes));
      if (upload_buffer_.size() < buffer_bytes) upload_buffer_.resize(buffer_bytes);
      out.content_provider_ = [&, base = request.body_file->offset](size_t offset, size_t length,
                                                                    httplib::DataSink& sink) {
        const ssize_t got =
            ::pread(body_fd, upload_buffer_.data(), std::min(length, upload_buffer_.size()),
                    static_cast<off_t>(base + offset));
        if (got <= 0) {  // the file shrank under us, or a read error
          body_short = true;
          return false;
        }
        return sink.write(upload_buffer_.data(), static_cast<size_t>(got));
      };
    } else if (!request.body.empty() || request.method == "PUT" || request.method == "POST") {
      out.content_length_ = request.body.size();
      out.content_provider_ = [&](size_t offset, size_t length, httplib::DataSink& sink) {
        return sink.write(request.body.data() + offset, length);
      };
    }

    Response response;
    BodySink sink{&response, request.response_file ? &*request.response_file : nullptr};
    // The status is needed before the body arrives, to decide where the body goes.
    out.response_handler = [&](const httplib::Response& r) {
      response.status = r.status;
      return true;
    };
    out.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      return sink.Write(data, n);
    };

    httplib::Response in;
    httplib::Error error = httplib::Error::Success;
    const bool sent = connection.send(out, in, error);
    if (body_fd >= 0) ::close(body_fd);
    const bool file_ok = sink.Finish();
    if (!file_ok) {
      Drop();
      return Status::IOError(fmt::format("cannot write {}", request.response_file->string()));
    }
    if (body_short) {
      Drop();
      return Status::IOError(fmt::format("upload body: {} changed while it was sent",
                                         request.body_file->path.string()));
    }
    if (!sent) {
      const long verify_result = VerifyResult();
      Drop();  // never reuse a connection in an unknown state
      return Classify(error, *url, *proxy, verify_result);
    }
    response.status = in.status;
    response.headers.reserve(in.headers.size());
    for (const auto& [name, value] : in.headers)
      response.headers.push_back({AsciiLower(name), value});
    return response;
  }

 private:
  // The cached connection when it goes to the same origin the same way; a new one otherwise.
  httplib::ClientImpl& ConnectionTo(const Url& url, const std::optional<Proxy>& proxy) {
    std::string key = fmt::format("{}://{}:{}", url.scheme, url.host, url.port);
    if (proxy) key += fmt::format(" via {}:{}", proxy->host, proxy->port);
    if (connection_ != nullptr && key == connection_key_) return *connection_;
    Drop();
    if (url.scheme == "https") {
      auto tls = std::make_unique<httplib::SSLClient>(url.host, url.port);
      tls->enable_server_certificate_verification(options_.verify_tls);
      if (!options_.ca_bundle.empty()) tls->set_ca_cert_path(options_.ca_bundle);
      tls_ = tls.get();
      connection_ = std::move(tls);
    } else {
      connection_ = std::make_unique<httplib::ClientImpl>(url.host, url.port);
    }
    connection_->set_connection_timeout(options_.connect_timeout);
    connection_->set_read_timeout(options_.stall_timeout);
    connection_->set_write_timeout(options_.stall_timeout);
    connection_->set_keep_alive(true);
    connection_->set_tcp_nodelay(true);  // a request's head and body are separate writes
    connection_->set_url_encode(false);  // URLs come percent-encoded (and signed that way)
    connection_->set_decompress(false);  // bytes as the server sent them
    connection_->set_follow_location(false);
    if (proxy) {
      connection_->set_proxy(proxy->host, proxy->port);
      if (!proxy->user.empty()) connection_->set_proxy_basic_auth(proxy->user, proxy->password);
    }
    connection_key_ = std::move(key);
    return *connection_;
  }

  void Drop() {
    connection_.reset();
    tls_ = nullptr;
    connection_key_.clear();
  }

  long VerifyResult() const { return tls_ != nullptr ? tls_->get_openssl_verify_result() : 0; }

  Status Classify(httplib::Error error, const Url& url, const std::optional<Proxy>& proxy,
                  long verify_result) const {
    std::string where = fmt::format("{}:{}", url.host, url.port);
    if (proxy) where += fmt::format(" through the proxy {}:{}", proxy->host, proxy->port);
    switch (error) {
      case httplib::Error::SSLServerVerification: {
        const std::string why = verify_result != X509_V_OK
                                    ? X509_verify_cert_error_string(verify_result)
                                    : "the certificate is not for this host name";
        return Status::InvalidArgument(fmt::format(
            "TLS: the certificate of {} does not verify: {} (set AWS_CA_BUNDLE for a private CA)",
            where, why));
      }
      case httplib::Error::SSLLoadingCerts:
        return Status::InvalidArgument(
            fmt::format("TLS: cannot load the CA certificates{}",
                        options_.ca_bundle.empty() ? "" : " from " + options_.ca_bundle));
      case httplib::Error::Connection:
        return Status::Unavailable(fmt::format("could not connect to {}", where));
      case httplib::Error::ConnectionTimeout:
        return Status::Unavailable(fmt::format("connecting to {} timed out after {} ms", where,
                                               options_.connect_timeout.count()));
      case httplib::Error::Read:
        return Status::Unavailable(
            fmt::format("the connection to {} failed while reading the response", where));
      case httplib::Error::Write:
        return Status::Unavailable(
            fmt::format("the connection to {} failed while sending the request", where));
      case httplib::Error::SSLConnection:
        return Status::Unavailable(fmt::format("TLS handshake with {} failed", where));
      default:
        return Status::Unavailable(
            fmt::format("request to {} failed: {}", where, httplib::to_string(error)));
    }
  }

  HttpOptions options_;
  std::unique_ptr<httplib::ClientImpl> connection_;
  httplib::SSLClient* tls_ = nullptr;  // connection_ when it is TLS
  std::string connection_key_;
  std::vector<char> upload_buffer_;  // file bodies are read through it, a chunk at a time
};

}  // namespace

std::unique_ptr<HttpClient> MakeHttpClient(const HttpOptions& options) {
  return std::make_unique<HttplibHttpClient>(options);
}

}  // namespace slack_intel::http

#include "util/http/curl_http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace slack_intel::http {
namespace {

constexpr size_t kBodyReserveBytes = 1 << 20;

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  Response* response = nullptr;
  std::FILE* response_file = nullptr;  // opened lazily, only for 2xx
  const std::filesystem::path* response_path = nullptr;
  bool file_error = false;
  std::FILE* body_file = nullptr;
  uint64_t body_left = 0;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new response (after 100-continue or a redirect). Its status is needed before the
    // body arrives, to decide whether the body goes to the response file.
    t->response->headers.clear();
    const size_t space = line.find(' ');
    t->response->status = space == std::string_view::npos
                              ? 0
                              : std::atol(std::string(line.substr(space + 1, 3)).c_str());
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    t->response->headers.push_back({std::move(name), std::string(value)});
  }
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  // Stream only successful bodies to the file; error bodies (XML) stay in memory.
  if (t->response_path != nullptr && t->response->status / 100 == 2) {
    if (t->response_file == nullptr) {
      t->response_file = std::fopen(t->response_path->c_str(), "wb");
      if (t->response_file == nullptr) {
        t->file_error = true;
        return 0;
      }
    }
    if (std::fwrite(data, 1, n, t->response_file) != n) {
      t->file_error = true;
      return 0;
    }
    return n;
  }
  // One allocation up front: a growing string copies itself into fresh pages at every
  // doubling, and a listing page is ~300 KB. Untouched capacity costs nothing.
  if (t->response->body.empty()) t->response->body.reserve(std::max(n, kBodyReserveBytes));
  t->response->body.append(data, n);
  return n;
}

size_t OnRead(char* buffer, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t want = static_cast<size_t>(std::min<uint64_t>(size * count, t->body_left));
  const size_t got = std::fread(buffer, 1, want, t->body_file);
  t->body_left -= got;
  if (got < want) return CURL_READFUNC_ABORT;  // the file shrank under us
  return got;
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(const CurlOptions& options) : options_(options) {
    GlobalInitOnce();
    curl_ = curl_easy_init();
  }
  ~CurlHttpClient() override {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
  }

  Result<Response> Send(const Request& request) override {
    if (curl_ == nullptr) return Status::Internal("curl_easy_init failed");
    CURL* c = curl_;
    curl_easy_reset(c);  // keeps the connection cache: keep-alive across requests
    Response response;
    Transfer transfer;
    transfer.response = &response;
    if (request.response_file) transfer.response_path = &*request.response_file;

    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(
        c, CURLOPT_LOW_SPEED_TIME,
        static_cast<long>(std::max<int64_t>(1, options_.stall_timeout.count() / 1000)));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    if (!options_.ca_bundle.empty())
      curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);

    curl_slist* headers = nullptr;
    for (const Header& h : request.headers) {
      headers = curl_slist_append(headers, fmt::format("{}: {}", h.name, h.value).c_str());
    }
    // libcurl adds "Expect: 100-continue" to large uploads; S3 handles it, but it costs a round
    // trip per part, and some S3-compatible servers mishandle it.
    headers = curl_slist_append(headers, "Expect:");
    // Never let libcurl add a Content-Type we did not sign.
    bool has_content_type = false;
    for (const Header& h : request.headers) has_content_type |= h.name == "content-type";
    if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    std::FILE* body_file = nullptr;
    if (request.method == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (request.body_file) {
      body_file = std::fopen(request.body_file->path.c_str(), "rb");
      if (body_file == nullptr ||
          fseeko(body_file, static_cast<off_t>(request.body_file->offset), SEEK_SET) != 0) {
        if (body_file) std::fclose(body_file);
        curl_slist_free_all(headers);
        return Status::IOError(fmt::format("cannot read {}", request.body_file->path.string()));
      }
      transfer.body_file = body_file;
      transfer.body_left = request.body_file->length;
      curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(c, CURLOPT_READFUNCTION, OnRead);
      curl_easy_setopt(c, CURLOPT_READDATA, &transfer);
      curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
                       static_cast<curl_off_t>(request.body_file->length));
    } else if (request.method == "PUT" || request.method == "POST" || !request.body.empty()) {
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());

    const CURLcode code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    curl_slist_free_all(headers);
    if (body_file != nullptr) std::fclose(body_file);
    if (transfer.response_file != nullptr && std::fclose(transfer.response_file) != 0) {
      transfer.file_error = true;
    }
    if (transfer.file_error) {
      return Status::IOError(fmt::format("cannot write {}", transfer.response_path->string()));
    }
    if (code != CURLE_OK) return Classify(code);
    return response;
  }

 private:
  static Status Classify(CURLcode code) {
    const std::string what = curl_easy_strerror(code);
    switch (code) {
      case CURLE_URL_MALFORMAT:
      case CURLE_UNSUPPORTED_PROTOCOL:
        return Status::InvalidArgument(fmt::format("bad URL: {}", what));
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
        return Status::InvalidArgument(
            fmt::format("TLS: {} (set AWS_CA_BUNDLE for a private CA)", what));
      case CURLE_ABORTED_BY_CALLBACK:
      case CURLE_READ_ERROR:
        return Status::IOError(fmt::format("upload body: {}", what));
      default:
        // Resolve and connect failures, resets, timeouts, partial transfers: transient.
        return Status::Unavailable(what);
    }
  }

  CurlOptions options_;
  CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<HttpClient> MakeCurlHttpClient(const CurlOptions& options) {
  return std::make_unique<CurlHttpClient>(options);
}

}  // namespace slack_intel::http

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "util/http/http_client.h"
#include "util/http/proxy.h"

namespace slack_intel::http {

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  // A read or write that makes no progress for this long is abandoned (a dead peer, not a
  // slow one), and so is an exchange that moves fewer than `min_bytes_per_stall` bytes in
  // any such window (a peer that trickles a byte every few seconds).
  std::chrono::milliseconds stall_timeout{60'000};
  uint64_t min_bytes_per_stall = 256;
  // Every request ends within this, plus its known body sizes (sent, or expected back) at
  // `min_mean_bytes_per_second`: a body that never ends cannot hold a run.
  std::chrono::milliseconds request_timeout{15 * 60'000};
  uint64_t min_mean_bytes_per_second = 64 << 10;
  // Response bodies kept in memory (listings, JSON, XML, errors) above this are refused
  // (kCorruption); bodies streamed to Request::response_file are bounded by its
  // expected_body_bytes instead.
  uint64_t max_memory_body_bytes = 64 << 20;
  std::string ca_bundle;  // "" = system store; AWS_CA_BUNDLE goes here
  bool verify_tls = true;
  std::optional<ProxyEnvironment> proxies;  // default: ProxyEnvironment::FromProcess()
};

// HttpClient over a plain socket (connection.h) and our HTTP/1.1 response parser
// (response_parser.h): one keep-alive connection per origin at a time, TLS through OpenSSL
// with certificate and host name checks, proxies as curl takes them from the
// environment (http_proxy, HTTPS_PROXY, NO_PROXY: proxy.h). Bodies are never re-encoded:
// "Accept-Encoding: identity" unless the caller asks otherwise, and no added Content-Type.
// Ignores SIGPIPE process-wide (a peer closing mid-write must be an error, not a kill).
// Not thread-safe.
std::unique_ptr<HttpClient> MakeHttpClient(const HttpOptions& options = {});

}  // namespace slack_intel::http

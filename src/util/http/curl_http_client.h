#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "util/http/http_client.h"

namespace slack_intel::http {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer slower than 1 byte/s for this long is abandoned (a dead peer, not a slow one).
  std::chrono::milliseconds stall_timeout{60'000};
  std::string ca_bundle;  // "" = system store; AWS_CA_BUNDLE goes here
  bool verify_tls = true;
};

// HttpClient over one libcurl easy handle: keep-alive, TLS verification on, proxies from the
// environment (http_proxy, HTTPS_PROXY, NO_PROXY: libcurl reads them). Not thread-safe.
std::unique_ptr<HttpClient> MakeCurlHttpClient(const CurlOptions& options = {});

}  // namespace slack_intel::http

#pragma once

// What the credential providers and STS calls share: how they reach a service over HTTP, with
// a few short retries (a credential lookup should not hold a run long).

#include <chrono>
#include <functional>
#include <memory>

#include "aws/environment.h"
#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/result.h"

namespace slack_intel::aws {

struct RemoteProviderContext {
  Environment env;
  const Clock* clock = &SystemClock();
  std::function<std::unique_ptr<http::HttpClient>()>
      make_http_client;  // default: http::MakeHttpClient()
};

// The context's client, or one that gives up connecting after `connect_timeout`.
std::unique_ptr<http::HttpClient> NewHttpClient(const RemoteProviderContext& context,
                                                std::chrono::milliseconds connect_timeout);

// Sends with up to 3 attempts on transport failures, 5xx, 429 and STS's Throttling (the
// shared retry policy with shorter waits). The last reply is returned whatever its status.
Result<http::Response> SendWithRetries(http::HttpClient& client, const http::Request& request,
                                       const Clock& clock);

}  // namespace slack_intel::aws

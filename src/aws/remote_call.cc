#include "aws/remote_call.h"

#include "aws/sts.h"
#include "util/http/retry.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::aws {

constexpr int kAttempts = 3;

std::unique_ptr<http::HttpClient> NewHttpClient(const RemoteProviderContext& context,
                                                std::chrono::milliseconds connect_timeout) {
  if (context.make_http_client) return context.make_http_client();
  http::HttpOptions options;
  options.connect_timeout = connect_timeout;
  options.stall_timeout = std::chrono::seconds(10);
  return http::MakeHttpClient(options);
}

Result<http::Response> SendWithRetries(http::HttpClient& client, const http::Request& request,
                                       const Clock& clock) {
  http::Backoff backoff({kAttempts, std::chrono::milliseconds(200), std::chrono::seconds(5)});
  http::Retrier retrier(backoff, clock, nullptr, request.url);
  for (;;) {
    SLACK_INTEL_RETURN_IF_ERROR(retrier.BeforeAttempt());
    auto response = client.Send(request);
    if (!response.ok()) {
      Status final = retrier.AfterFailure(response.status());
      if (final.ok()) continue;
      return final;
    }
    retrier.Answered();
    const bool transient = response->status >= 500 || response->status == 429 ||
                           StsErrorCode(response->body) == "Throttling";
    if (!transient || !retrier.AfterTransientReply(http::RetryAfter(*response))) return response;
  }
}

}  // namespace slack_intel::aws

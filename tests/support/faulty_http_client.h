#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "util/http/http_client.h"

namespace slack_intel::testing {

// Wraps a real HttpClient and fails chosen calls before they reach the network: the injected
// result replaces the call when `fail(call_index, request)` returns one. Counts every call.
class FaultyHttpClient final : public http::HttpClient {
 public:
  using Injector = std::function<std::optional<Result<http::Response>>(int, const http::Request&)>;

  FaultyHttpClient(std::unique_ptr<http::HttpClient> real, Injector fail,
                   std::shared_ptr<std::atomic<int>> calls)
      : real_(std::move(real)), fail_(std::move(fail)), calls_(std::move(calls)) {}

  Result<http::Response> Send(const http::Request& request) override {
    const int index = (*calls_)++;
    if (auto injected = fail_(index, request)) return *injected;
    return real_->Send(request);
  }

 private:
  std::unique_ptr<http::HttpClient> real_;
  Injector fail_;
  std::shared_ptr<std::atomic<int>> calls_;
};

// An injector that answers every request with `status` and `body` instead of sending it.
inline FaultyHttpClient::Injector AlwaysAnswer(long status, std::string body) {
  return [status, body](int, const http::Request&) -> std::optional<Result<http::Response>> {
    http::Response response;
    response.status = status;
    response.body = body;
    return Result<http::Response>(response);
  };
}

}  // namespace slack_intel::testing

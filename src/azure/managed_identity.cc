#include "azure/managed_identity.h"

#include <fmt/format.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "aws/sigv4.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::azure {
namespace {

constexpr const char* kResource = "https://storage.azure.com/";
constexpr const char* kImdsHost = "http://169.254.169.254";
constexpr auto kRefreshBefore = std::chrono::minutes(5);

class ManagedIdentity final : public TokenSource {
 public:
  explicit ManagedIdentity(ManagedIdentityOptions options) : options_(std::move(options)) {}

  Result<std::string> Token() override {
    std::lock_guard lock(mutex_);
    if (!token_.empty() && options_.clock->Now() + kRefreshBefore < expires_) return token_;
    SLACK_INTEL_RETURN_IF_ERROR(Fetch());
    return token_;
  }

 private:
  // One request: an identity endpoint answers at once or is not there.
  Status Fetch() {
    const aws::Environment& env = options_.env;
    const std::string client_id = aws::EnvValue(env, "AZURE_CLIENT_ID");
    std::vector<aws::QueryParam> query = {{"resource", kResource}};
    http::Request request;
    std::string where;
    if (std::string endpoint = aws::EnvValue(env, "IDENTITY_ENDPOINT");
        !endpoint.empty() && !aws::EnvValue(env, "IDENTITY_HEADER").empty()) {
      query.push_back({"api-version", "2019-08-01"});
      request.headers = {{"x-identity-header", aws::EnvValue(env, "IDENTITY_HEADER")}};
      where = endpoint;
    } else {
      std::string host = aws::EnvValue(env, "AZURE_POD_IDENTITY_AUTHORITY_HOST");
      if (host.empty()) host = kImdsHost;
      while (host.ends_with("/")) host.pop_back();
      query.push_back({"api-version", "2018-02-01"});
      request.headers = {{"metadata", "true"}};
      where = host + "/metadata/identity/oauth2/token";
    }
    if (!client_id.empty()) query.push_back({"client_id", client_id});
    request.url = where + "?" + aws::CanonicalQueryString(query);
    std::unique_ptr<http::HttpClient> http;
    if (options_.make_http_client) {
      http = options_.make_http_client();
    } else {
      http::HttpOptions transport;
      transport.connect_timeout = std::chrono::seconds(2);
      transport.stall_timeout = std::chrono::seconds(10);
      http = http::MakeHttpClient(transport);
    }
    auto response = http->Send(request);
    if (!response.ok()) {
      return Status::Unauthenticated(fmt::format(
          "no managed identity answered at {} ({}): outside Azure, set "
          "AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or "
          "AZURE_STORAGE_SAS_TOKEN",
          where, response.status().message()));
    }
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (response->status != 200) {
      std::string said = json.is_object() && json.contains("error_description") &&
                                 json["error_description"].is_string()
                             ? json["error_description"].get<std::string>()
                             : "";
      return Status::Unauthenticated(fmt::format(
          "the managed identity endpoint {} refused a token for Azure Storage (HTTP {}){}{}", where,
          response->status, said.empty() ? "" : ": ", said.substr(0, 300)));
    }
    auto text = [&](const char* key) -> std::string {
      if (!json.is_object() || !json.contains(key)) return "";
      if (json[key].is_string()) return json[key].get<std::string>();
      if (json[key].is_number_integer()) return std::to_string(json[key].get<int64_t>());
      return "";
    };
    const std::string token = text("access_token");
    const std::string expires_on = text("expires_on");
    char* end = nullptr;
    const long long expires = std::strtoll(expires_on.c_str(), &end, 10);
    if (token.empty() || expires_on.empty() || *end != '\0') {
      return Status::Unauthenticated(fmt::format(
          "the managed identity endpoint {} answered without access_token and expires_on", where));
    }
    token_ = token;
    expires_ = std::chrono::system_clock::time_point(std::chrono::seconds(expires));
    return Status::OK();
  }

  const ManagedIdentityOptions options_;
  std::mutex mutex_;  // guards token_ and expires_
  std::string token_;
  std::chrono::system_clock::time_point expires_;
};

}  // namespace

std::shared_ptr<TokenSource> MakeManagedIdentityTokenSource(ManagedIdentityOptions options) {
  return std::make_shared<ManagedIdentity>(std::move(options));
}

}  // namespace slack_intel::azure

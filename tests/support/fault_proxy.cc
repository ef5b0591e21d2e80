#include "support/fault_proxy.h"

#include "util/http/socket_http_client.h"

namespace slack_intel::testing {

std::unique_ptr<ServerProcess> StartFaultProxy(const std::string& target_url,
                                               std::vector<std::string> flags) {
  std::string target = target_url.substr(target_url.find("://") + 3);
  target = target.substr(0, target.find('/'));
  std::vector<std::string> argv = {
      "node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tests/support/fault_proxy.mjs", "--target",
      target};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return ServerProcess::Start(argv);
}

nlohmann::json FaultCounts(const ServerProcess& proxy) {
  http::Request request;
  request.url = proxy.base_url() + "/_faults";
  request.headers = {{"x-fault-proxy", "stats"}};
  auto reply = http::MakeHttpClient()->Send(request);
  return reply.ok() ? nlohmann::json::parse(reply->body, nullptr, false) : nlohmann::json();
}

}  // namespace slack_intel::testing

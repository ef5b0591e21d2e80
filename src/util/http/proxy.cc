#include "util/http/proxy.h"

#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

#include "util/http/url.h"
#include "util/text.h"

namespace slack_intel::http {
namespace {

bool Bypassed(std::string_view no_proxy, const std::string& host) {
  const std::string lower_host = AsciiLower(host);
  size_t start = 0;
  while (start <= no_proxy.size()) {
    size_t end = no_proxy.find(',', start);
    if (end == std::string_view::npos) end = no_proxy.size();
    std::string entry = AsciiLower(TrimWhitespace(no_proxy.substr(start, end - start)));
    start = end + 1;
    if (entry == "*") return true;
    if (entry.starts_with('[') && entry.ends_with(']')) entry = entry.substr(1, entry.size() - 2);
    if (entry.starts_with('.')) entry.erase(0, 1);
    if (entry.empty()) continue;
    if (lower_host == entry) return true;
    if (lower_host.size() > entry.size() && lower_host.ends_with(entry) &&
        lower_host[lower_host.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

Result<Proxy> ParseProxy(std::string_view text) {
  std::string_view rest = text;
  if (const size_t sep = rest.find("://"); sep != std::string_view::npos) {
    const std::string scheme = AsciiLower(rest.substr(0, sep));
    if (scheme != "http") {
      return Status::InvalidArgument(fmt::format(
          "proxy scheme {}:// is not supported (only http:// proxies, with CONNECT for https)",
          scheme));
    }
    rest = rest.substr(sep + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  Proxy proxy;
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view user_info = rest.substr(0, at);
    const size_t colon = user_info.find(':');
    proxy.user = PercentDecode(user_info.substr(0, colon));
    if (colon != std::string_view::npos)
      proxy.password = PercentDecode(user_info.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  // Parse host[:port] as a URL authority; a proxy's port defaults to 1080, not 80.
  const bool has_port = rest.starts_with('[') ? rest.find("]:") != std::string_view::npos
                                              : rest.find(':') != std::string_view::npos;
  auto url = ParseUrl(fmt::format("http://{}", rest));
  if (!url.ok())
    return Status::InvalidArgument("proxy address does not parse (no host or a bad port)");
  proxy.host = url->host;
  if (has_port) proxy.port = url->port;
  return proxy;
}

}  // namespace

ProxyEnvironment ProxyEnvironment::FromProcess() {
  auto first = [](std::initializer_list<const char*> names) {
    for (const char* name : names) {
      if (const char* value = std::getenv(name); value != nullptr && *value != '\0')
        return std::string(value);
    }
    return std::string();
  };
  return {first({"http_proxy"}), first({"https_proxy", "HTTPS_PROXY"}),
          first({"all_proxy", "ALL_PROXY"}), first({"no_proxy", "NO_PROXY"})};
}

Result<std::optional<Proxy>> ProxyFor(const ProxyEnvironment& env, const Url& target) {
  std::string_view chosen = target.scheme == "https" ? env.https_proxy : env.http_proxy;
  if (chosen.empty()) chosen = env.all_proxy;
  if (chosen.empty() || Bypassed(env.no_proxy, target.host)) return std::optional<Proxy>();
  auto proxy = ParseProxy(chosen);
  if (!proxy.ok()) return proxy.status();
  return std::optional<Proxy>(std::move(*proxy));
}

}  // namespace slack_intel::http

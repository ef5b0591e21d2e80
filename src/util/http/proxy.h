#pragma once

#include <optional>
#include <string>

#include "util/http/url.h"
#include "util/result.h"

namespace slack_intel::http {

// The proxy variables, read as curl reads them: plain-http URLs use `http_proxy` (lowercase
// only: HTTP_PROXY can be set by a CGI request's "Proxy:" header), https URLs `https_proxy` or
// HTTPS_PROXY; both fall back to all_proxy/ALL_PROXY. no_proxy/NO_PROXY lists the hosts that
// go direct.
struct ProxyEnvironment {
  std::string http_proxy;
  std::string https_proxy;
  std::string all_proxy;
  std::string no_proxy;

  static ProxyEnvironment FromProcess();
};

struct Proxy {
  std::string host;
  int port = 1080;   // curl's default proxy port
  std::string user;  // percent-decoded; empty: no proxy authentication
  std::string password;
};

// The proxy to reach `target` through, or nullopt to go direct. no_proxy entries are "*"
// (everything), a host name that matches itself and its subdomains (".example.com" or
// "example.com"), or an IP address that matches itself.
// Errors: kInvalidArgument for a proxy URL that is not http:// (socks and TLS-to-the-proxy are
// not supported) or does not parse.
Result<std::optional<Proxy>> ProxyFor(const ProxyEnvironment& env, const Url& target);

}  // namespace slack_intel::http

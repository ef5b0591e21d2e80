#include "util/http/proxy.h"

#include <gtest/gtest.h>

namespace slack_intel::http {
namespace {

Url Parsed(const char* text) { return *ParseUrl(text); }

ProxyEnvironment Env(std::string http, std::string https, std::string all = "",
                     std::string no = "") {
  return {std::move(http), std::move(https), std::move(all), std::move(no)};
}

std::optional<Proxy> For(const ProxyEnvironment& env, const char* url) {
  auto proxy = ProxyFor(env, Parsed(url));
  EXPECT_TRUE(proxy.ok()) << proxy.status().ToString();
  return proxy.ok() ? *proxy : std::nullopt;
}

TEST(ProxyFor, EachSchemeUsesItsOwnVariableThenAllProxy) {
  ProxyEnvironment env = Env("http://plain:3128", "tls.corp:8080");
  EXPECT_EQ(For(env, "http://example.com/")->host, "plain");
  EXPECT_EQ(For(env, "http://example.com/")->port, 3128);
  EXPECT_EQ(For(env, "https://example.com/")->host, "tls.corp");
  EXPECT_EQ(For(env, "https://example.com/")->port, 8080);

  ProxyEnvironment fallback = Env("", "", "http://everything");
  auto proxy = For(fallback, "https://s3.amazonaws.com/");
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->host, "everything");
  EXPECT_EQ(proxy->port, 1080);  // curl's default proxy port

  EXPECT_FALSE(For(ProxyEnvironment{}, "https://s3.amazonaws.com/"));
  EXPECT_FALSE(For(Env("http://plain", ""), "https://example.com/"));
}

TEST(ProxyFor, NoProxyMatchesHostsTheirSubdomainsAndAddressesOnly) {
  ProxyEnvironment env =
      Env("", "http://proxy:3128", "", " .internal.corp, amazonaws.com,10.0.0.7,[::1]");
  EXPECT_FALSE(For(env, "https://s3.amazonaws.com/"));
  EXPECT_FALSE(For(env, "https://AMAZONAWS.COM/"));
  EXPECT_FALSE(For(env, "https://git.internal.corp/"));
  EXPECT_FALSE(For(env, "https://internal.corp/"));
  EXPECT_FALSE(For(env, "https://10.0.0.7:9000/"));
  EXPECT_FALSE(For(env, "https://[::1]:9000/"));
  EXPECT_TRUE(For(env, "https://notamazonaws.com/"));  // a suffix, but not a subdomain
  EXPECT_TRUE(For(env, "https://10.0.0.70/"));
  EXPECT_FALSE(For(Env("", "http://proxy", "", "*"), "https://anything.example/"));
}

TEST(ProxyFor, CredentialsArePercentDecoded) {
  auto proxy = For(Env("", "http://me%40corp:p%3Ass@proxy:3128/"), "https://example.com/");
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->user, "me@corp");
  EXPECT_EQ(proxy->password, "p:ss");
  EXPECT_EQ(proxy->host, "proxy");
}

TEST(ProxyFor, UnsupportedProxiesAreAClearError) {
  for (const char* bad : {"socks5://proxy:1080", "https://proxy:443", "http://:3128"}) {
    auto proxy = ProxyFor(Env("", bad), Parsed("https://example.com/"));
    ASSERT_FALSE(proxy.ok()) << bad;
    EXPECT_EQ(proxy.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(proxy.status().message().find("proxy"), std::string::npos);
  }
}

}  // namespace
}  // namespace slack_intel::http

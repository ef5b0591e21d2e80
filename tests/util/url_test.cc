#include "util/http/url.h"

#include <gtest/gtest.h>

namespace slack_intel::http {
namespace {

TEST(ParseUrl, SplitsWhatAConnectionNeedsAndKeepsTheTargetAsGiven) {
  auto url = ParseUrl("HTTPS://s3.eu-west-1.amazonaws.com/bucket/a%20b?list-type=2&prefix=x%2F");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->authority, "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(url->target, "/bucket/a%20b?list-type=2&prefix=x%2F");
}

TEST(ParseUrl, PortsIpv6LiteralsAndEmptyPaths) {
  auto local = ParseUrl("http://127.0.0.1:7480");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->port, 7480);
  EXPECT_EQ(local->authority, "127.0.0.1:7480");
  EXPECT_EQ(local->target, "/");

  auto v6 = ParseUrl("http://[::1]:8080?x=1#fragment");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8080);
  EXPECT_EQ(v6->authority, "[::1]:8080");
  EXPECT_EQ(v6->target, "/?x=1");

  auto plain = ParseUrl("http://example.com/path");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 80);
}

TEST(ParseUrl, RefusesWhatItCannotConnectTo) {
  for (const char* bad :
       {"s3.amazonaws.com/bucket", "ftp://host/file", "http:///path", "http://host:0/",
        "http://host:65536/", "http://host:8x/", "http://user:secret@host/", "http://[::1/"}) {
    auto url = ParseUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    if (!url.ok()) {
      EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
}

// S3 lists keys in its "url" encoding ('+' for a space) and proxy passwords come escaped:
// either way the bytes must come back exactly, and a stray '%' is kept, not dropped.
TEST(PercentDecode, GivesBackTheBytesAndKeepsStrayPercentSigns) {
  EXPECT_EQ(PercentDecode("channel%3Ddev+ops%2Fdata.parquet", true),
            "channel=dev ops/data.parquet");
  EXPECT_EQ(PercentDecode("p%40ss+word"), "p@ss+word");
  EXPECT_EQ(PercentDecode("100%25%C3%A9"), "100%\xC3\xA9");
  EXPECT_EQ(PercentDecode("50% off %4"), "50% off %4");
  EXPECT_EQ(PercentDecode("%zz%+1"), "%zz%+1");
}

}  // namespace
}  // namespace slack_intel::http

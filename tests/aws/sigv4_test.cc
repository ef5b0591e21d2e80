// Known answers from the S3 API reference's worked examples ("Examples: Signature
// Calculations in AWS Signature Version 4", header-based auth, single chunk).

#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include "util/digest.h"

namespace slack_intel::aws {
namespace {

// AWS's own published example key pair from the worked examples: not a real credential.
Credentials ExampleCredentials() {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", {}, ""};
}

std::chrono::system_clock::time_point May24_2013() {
  return std::chrono::system_clock::from_time_t(1369353600);  // 2013-05-24T00:00:00Z
}

TEST(SigV4, GetObjectWithRange) {
  std::vector<http::Header> headers = {{"host", "examplebucket.s3.amazonaws.com"},
                                       {"range", "bytes=0-9"}};
  Signature s =
      SignRequest({"GET", "/test.txt", "", kEmptyPayloadSha256, "us-east-1", "s3", May24_2013()},
                  ExampleCredentials(), headers);
  EXPECT_EQ(s.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, PutObjectWithAKeyThatNeedsEncoding) {
  const std::string payload = "Welcome to Amazon S3.";
  const std::string hash = HexEncode(Sha256(payload));
  EXPECT_EQ(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  std::vector<http::Header> headers = {{"host", "examplebucket.s3.amazonaws.com"},
                                       {"date", "Fri, 24 May 2013 00:00:00 GMT"},
                                       {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  const std::string uri = "/" + UriEncode("test$file.text", false);
  EXPECT_EQ(uri, "/test%24file.text");
  Signature s = SignRequest({"PUT", uri, "", hash, "us-east-1", "s3", May24_2013()},
                            ExampleCredentials(), headers);
  EXPECT_EQ(s.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4, GetBucketLifecycleWithAnEmptyQueryValue) {
  std::vector<http::Header> headers = {{"host", "examplebucket.s3.amazonaws.com"}};
  const std::string query = CanonicalQueryString({{"lifecycle", ""}});
  EXPECT_EQ(query, "lifecycle=");
  Signature s =
      SignRequest({"GET", "/", query, kEmptyPayloadSha256, "us-east-1", "s3", May24_2013()},
                  ExampleCredentials(), headers);
  EXPECT_EQ(s.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, ListObjectsWithSortedQuery) {
  std::vector<http::Header> headers = {{"host", "examplebucket.s3.amazonaws.com"}};
  const std::string query = CanonicalQueryString({{"prefix", "J"}, {"max-keys", "2"}});
  EXPECT_EQ(query, "max-keys=2&prefix=J");
  Signature s =
      SignRequest({"GET", "/", query, kEmptyPayloadSha256, "us-east-1", "s3", May24_2013()},
                  ExampleCredentials(), headers);
  EXPECT_EQ(s.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, SessionTokenIsSignedAndSent) {
  Credentials credentials = ExampleCredentials();
  credentials.session_token = "token/with+chars=";
  std::vector<http::Header> headers = {{"host", "h"}};
  Signature s = SignRequest({"GET", "/", "", kEmptyPayloadSha256, "us-east-1", "s3", May24_2013()},
                            credentials, headers);
  EXPECT_NE(s.canonical_request.find("x-amz-security-token:token/with+chars=\n"),
            std::string::npos);
  EXPECT_NE(s.authorization.find("x-amz-security-token"), std::string::npos);
}

TEST(UriEncode, EncodesEverythingButUnreservedAndOptionallySlash) {
  EXPECT_EQ(UriEncode("dt=2024-05-01/channel=dev ops/α+b,c~_.", false),
            "dt%3D2024-05-01/channel%3Ddev%20ops/%CE%B1%2Bb%2Cc~_.");
  EXPECT_EQ(UriEncode("a/b", true), "a%2Fb");
}

TEST(Credentials, RedactedShowsNeitherSecretNorWholeKey) {
  Credentials c = ExampleCredentials();
  c.session_token = "SESSIONTOKEN";
  c.provider = "environment";
  const std::string text = c.Redacted();
  EXPECT_EQ(text, "AKIA…MPLE from environment");
  EXPECT_EQ(text.find(c.secret_access_key), std::string::npos);
  EXPECT_EQ(text.find("SESSIONTOKEN"), std::string::npos);
}

}  // namespace
}  // namespace slack_intel::aws

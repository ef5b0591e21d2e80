#include "util/redact.h"

#include <gtest/gtest.h>

namespace slack_intel {
namespace {

TEST(RedactSecrets, HidesSignaturesTokensAndKeysButKeepsTheRest) {
  struct Case {
    std::string input;
    std::string secret;  // must be gone
    std::string kept;    // must remain
  };
  const std::vector<Case> cases = {
      {"authorization: AWS4-HMAC-SHA256 Credential=AKIA/20240501/us-east-1/s3/aws4_request, "
       "SignedHeaders=host, Signature=abcdef0123456789\nhost: b.s3.amazonaws.com",
       "abcdef0123456789", "host: b.s3.amazonaws.com"},
      {"x-amz-security-token: IQoJb3JpZ2luX2VjEJr//////////wEaCXVz\n", "IQoJb3JpZ2luX2Vj",
       "x-amz-security-token"},
      {"[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\nregion = eu-west-1",
       "wJalrXUtnFEMI", "region = eu-west-1"},
      {R"({"AccessKeyId": "ASIA1", "SecretAccessKey": "s3cr3t", "SessionToken": "tok", "Expiration": "x"})",
       "s3cr3t", "\"AccessKeyId\": \"ASIA1\""},
      {R"({"Code" : "Success", "Token" : "imds-token-value"})", "imds-token-value", "Success"},
      {R"({"accessToken": "sso-token", "expiresAt": "2099"})", "sso-token", "expiresAt"},
      {"Authorization: Bearer xoxb-1234-5678-abcdef", "xoxb-1234", ""},
      {"token xoxp-11-22-33abc in text", "xoxp-11", "in text"},
      {"Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJhbGciOi&Version=2011", "eyJhbGciOi",
       "&Version=2011"},
      {"authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz", ""},
  };
  for (const Case& c : cases) {
    const std::string out = RedactSecrets(c.input);
    EXPECT_EQ(out.find(c.secret), std::string::npos) << c.input << " -> " << out;
    EXPECT_NE(out.find("<redacted>"), std::string::npos) << out;
    EXPECT_NE(out.find(c.kept), std::string::npos) << c.input << " -> " << out;
  }
}

TEST(RedactSecrets, LeavesOrdinaryTextAlone) {
  for (std::string_view text :
       {"sync: upload dt=2024-05-01/data.parquet: s3 PUT: 503 SlowDown (5 attempts)",
        "tokenizer settings", "the authorization header was missing", "",
        "no Slack token: export SLACK_TOKEN=xoxb-... or set slack.token",
        "a user token (xoxp-) lacks scopes", "xapp-<app-level token>"}) {
    EXPECT_EQ(RedactSecrets(text), text);
  }
}

}  // namespace
}  // namespace slack_intel

// Our SigV4 signer against an independent one (npm `aws4`) over hundreds of generated
// requests: awkward keys, query strings, headers, session tokens, regions and dates.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "aws/sigv4.h"
#include "support/subprocess.h"

namespace slack_intel::aws {
namespace {

std::string RandomText(std::mt19937& random, size_t max_length) {
  static const std::vector<std::string> kPieces = {"a",
                                                   "Z",
                                                   "0",
                                                   "-",
                                                   "_",
                                                   ".",
                                                   "~",
                                                   " ",
                                                   "+",
                                                   "=",
                                                   ",",
                                                   ";",
                                                   ":",
                                                   "@",
                                                   "$",
                                                   "&",
                                                   "!",
                                                   "'",
                                                   "(",
                                                   ")",
                                                   "*",
                                                   "%",
                                                   "#",
                                                   "[",
                                                   "]",
                                                   "é",
                                                   "日本",
                                                   "🌍",
                                                   "dt=2024-05-01",
                                                   "channel=dev ops",
                                                   "/"};
  std::string out;
  const size_t length = 1 + random() % max_length;
  while (out.size() < length) out += kPieces[random() % kPieces.size()];
  return out;
}

TEST(SigV4CrossCheck, MatchesTheAws4PackageOnGeneratedRequests) {
  std::mt19937 random(2024);
  const std::vector<std::string> methods = {"GET", "PUT", "POST", "DELETE", "HEAD"};
  const std::vector<std::string> regions = {"us-east-1", "eu-west-1", "ap-southeast-2",
                                            "us-gov-west-1"};
  std::string input;
  std::vector<std::string> ours;
  constexpr int kRequests = 400;
  for (int i = 0; i < kRequests; ++i) {
    const std::string bucket = "bucket-" + std::to_string(random() % 100);
    std::string key = RandomText(random, 40);
    while (key.find("//") != std::string::npos) key.replace(key.find("//"), 2, "/x/");
    if (key.front() == '/') key = "k" + key;
    const std::string path = "/" + bucket + "/" + UriEncode(key, false);
    std::vector<QueryParam> params;
    for (int q = static_cast<int>(random() % 4); q > 0; --q) {
      params.push_back({"p" + std::to_string(q) + RandomText(random, 5), RandomText(random, 12)});
    }
    const std::string query = CanonicalQueryString(params);
    std::vector<http::Header> headers = {{"host", bucket + ".s3.amazonaws.com"}};
    if (random() % 2) headers.push_back({"content-type", "application/vnd.apache.parquet"});
    if (random() % 2) headers.push_back({"x-amz-meta-sha256", "  spaced   value  "});
    if (random() % 3 == 0) headers.push_back({"content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="});
    Credentials credentials{"AKIA" + std::to_string(100000 + random() % 900000) + "EXAMPLE",
                            "secret/" + std::to_string(random()) + "+key",
                            "",
                            {},
                            ""};
    if (random() % 2)
      credentials.session_token = "session/" + std::to_string(random()) + "+token==";
    const auto now = std::chrono::system_clock::from_time_t(
        1500000000 + static_cast<time_t>(random() % 400000000));
    const std::string payload =
        random() % 3 == 0 ? "UNSIGNED-PAYLOAD" : std::string(kEmptyPayloadSha256);
    const std::string region = regions[random() % regions.size()];
    const std::string method = methods[random() % methods.size()];
    Signature s =
        SignRequest({method, path, query, payload, region, "s3", now}, credentials, headers);
    ours.push_back(s.authorization);
    nlohmann::json request = {{"method", method},
                              {"host", headers[0].value},
                              {"path", path},
                              {"query", query},
                              {"region", region},
                              {"service", "s3"},
                              {"access_key_id", credentials.access_key_id},
                              {"secret_access_key", credentials.secret_access_key}};
    for (const http::Header& h : headers) {
      if (h.name != "authorization") request["headers"][h.name] = h.value;
    }
    input += request.dump() + "\n";
  }
  testing::ProcessResult run = testing::RunProcess(
      {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/sigv4-crosscheck/sign-with-aws4.mjs"},
      {}, input);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  std::vector<std::string> lines = testing::SplitLines(run.stdout_text);
  ASSERT_EQ(lines.size(), ours.size());
  int mismatches = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    std::string theirs = nlohmann::json::parse(lines[i])["authorization"];
    // aws4 separates the parts with ", ", we with ","; S3 accepts both.
    for (size_t at; (at = theirs.find(", ")) != std::string::npos;) theirs.erase(at + 1, 1);
    if (theirs != ours[i] && ++mismatches <= 3) {
      ADD_FAILURE() << "request " << i << "\n ours:   " << ours[i] << "\n theirs: " << theirs;
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << ours.size();
}

}  // namespace
}  // namespace slack_intel::aws

// `slack-intel doctor` against the real parts: Ceph RGW for the bucket, the Slack and Jira
// stand-ins for the tokens. All checks pass on a good setup; each broken part is named with
// its fix, and the exit code is 0 only when every check that ran passed.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/fault_proxy.h"
#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"
#include "support/server_process.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;

class DoctorE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = LoadS3TestServer();
    bucket_ = UniqueBucketName(::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(ReferenceS3Request(server_, "PUT", "/" + bucket_).status, 200);
    fs::create_directories(dir_.path() / "cache");
    StartSlack({});
    jira_ = ServerProcess::Start(
        {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/jira.mjs", "--synthesize"});
  }

  void StartSlack(std::vector<std::string> flags) {
    std::vector<std::string> argv = {
        "node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/slack.mjs", "--export",
        std::string(SLACK_INTEL_SOURCE_DIR) + "/tests/testdata/slack-export-viewer-testarchive"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    slack_.reset();
    slack_ = ServerProcess::Start(argv);
  }

  // Runs doctor --json with a working setup, changed by `env` and `extra` flags.
  nlohmann::json Doctor(std::vector<std::string> extra = {},
                        std::map<std::string, std::string> env = {}, int* exit_code = nullptr) {
    std::map<std::string, std::string> all = {{"SLACK_TOKEN", "standin-slack-token"},
                                              {"SLACK_API_URL", slack_->base_url() + "/api"},
                                              {"JIRA_URL", jira_->base_url()},
                                              {"JIRA_EMAIL", "standin@example.invalid"},
                                              {"JIRA_API_TOKEN", "jira-standin-token"},
                                              {"AWS_ACCESS_KEY_ID", server_.access_key},
                                              {"AWS_SECRET_ACCESS_KEY", server_.secret_key},
                                              {"AWS_EC2_METADATA_DISABLED", "true"},
                                              {"HOME", dir_.path().string()}};
    for (auto& [name, value] : env) all[name] = value;
    std::vector<std::string> args = {SLACK_INTEL_BIN_PATH, "doctor", "--json"};
    const std::vector<std::pair<std::string, std::string>> defaults = {
        {"--cache-path", (dir_.path() / "cache").string()},
        {"--bucket", bucket_},
        {"--prefix", "prod/"},
        {"--endpoint-url", server_.endpoint}};
    for (const auto& [flag, value] : defaults) {
      if (std::find(extra.begin(), extra.end(), flag) == extra.end()) {
        args.insert(args.end(), {flag, value});
      }
    }
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessResult run = RunProcess(args, all);
    if (exit_code) *exit_code = run.exit_code;
    last_stderr_ = run.stderr_text;
    return nlohmann::json::parse(run.stdout_text);
  }

  // check -> {ok, detail, fix}
  static std::map<std::string, nlohmann::json> ByCheck(const nlohmann::json& doc) {
    std::map<std::string, nlohmann::json> out;
    for (const auto& c : doc["checks"]) out[c["check"]] = c;
    return out;
  }

  S3TestServer server_;
  std::string bucket_;
  TempDir dir_;
  std::unique_ptr<ServerProcess> slack_, jira_;
  std::string last_stderr_;
};

TEST_F(DoctorE2E, AGoodSetupPassesEveryCheckAndLeavesNothingBehind) {
  int code = -1;
  const nlohmann::json doc = Doctor({}, {}, &code);
  EXPECT_EQ(code, 0) << doc.dump(2) << last_stderr_;
  EXPECT_TRUE(doc["ok"]);
  const auto checks = ByCheck(doc);
  for (const char* name :
       {"config", "cache", "slack", "jira", "aws credentials", "aws clock", "aws bucket"}) {
    ASSERT_TRUE(checks.count(name)) << name << doc.dump(2);
    EXPECT_TRUE(checks.at(name)["ok"]) << checks.at(name).dump();
  }
  EXPECT_NE(checks.at("slack")["detail"].get<std::string>().find("Stand-in Workspace"),
            std::string::npos);
  EXPECT_NE(checks.at("jira")["detail"].get<std::string>().find("Stand-in Analyst"),
            std::string::npos);
  // The probe object is gone.
  const auto listing = ReferenceS3Request(server_, "GET", "/" + bucket_ + "?list-type=2");
  EXPECT_EQ(listing.body.find("<Key>"), std::string::npos) << listing.body;
  // No secret in what it printed.
  EXPECT_EQ(doc.dump().find("standin-slack-token"), std::string::npos);
  EXPECT_EQ(doc.dump().find(server_.secret_key), std::string::npos);
}

TEST_F(DoctorE2E, EachBrokenPartIsNamedWithItsFix) {
  struct Case {
    std::string check;
    std::vector<std::string> flags;
    std::map<std::string, std::string> env;
    std::string detail, fix;
  };
  const std::vector<Case> cases = {
      {"slack",
       {"--only", "slack"},
       {{"SLACK_TOKEN", ""}},
       "no Slack token",
       "SLACK_TOKEN=xoxb-..."},
      {"slack",
       {"--only", "slack"},
       {{"SLACK_TOKEN", "xoxb-1-2-wrong"}},
       "invalid_auth",
       "OAuth & Permissions"},
      {"jira", {"--only", "jira"}, {{"JIRA_API_TOKEN", "wrong"}}, "HTTP 401", "API token"},
      {"jira", {"--only", "jira"}, {{"JIRA_EMAIL", ""}}, "are not all set", "or none"},
      {"cache",
       {"--only", "cache", "--cache-path", "/nonexistent/cache"},
       {},
       "Local path does not exist",
       "slack-intel cache --days 7"},
      {"aws bucket",
       {"--only", "aws", "--bucket", "no-such-bucket-for-doctor"},
       {},
       "Cannot access S3 bucket",
       "aws s3 mb"},
      {"aws bucket",
       {"--only", "aws"},
       {{"AWS_SECRET_ACCESS_KEY", "not-the-secret-000000000"}},
       "Cannot access S3 bucket",
       "credentials were refused"},
  };
  for (const Case& c : cases) {
    int code = -1;
    const auto checks = ByCheck(Doctor(c.flags, c.env, &code));
    EXPECT_EQ(code, 1) << c.detail;
    ASSERT_TRUE(checks.count(c.check)) << c.check;
    const nlohmann::json& r = checks.at(c.check);
    EXPECT_FALSE(r["ok"]) << r.dump();
    EXPECT_NE(r["detail"].get<std::string>().find(c.detail), std::string::npos) << r.dump();
    EXPECT_NE(r["fix"].get<std::string>().find(c.fix), std::string::npos) << r.dump();
    EXPECT_NE(last_stderr_.find("checks failed"), std::string::npos) << last_stderr_;
  }
}

// Slack caps a distributed app outside the Marketplace at 15 messages a history call and
// 1 call a minute; doctor tells it from an internal app by one page of a channel.
TEST_F(DoctorE2E, TheSlackLineSaysWhetherHistoryIsCapped) {
  auto checks = ByCheck(Doctor({"--only", "slack"}));
  EXPECT_NE(checks.at("slack")["detail"].get<std::string>().find("up to 999 messages a call"),
            std::string::npos)
      << checks.at("slack").dump();
  StartSlack({"--non-marketplace"});
  int code = -1;
  checks = ByCheck(Doctor({"--only", "slack"}, {}, &code));
  EXPECT_EQ(code, 0) << "slow, not broken";
  EXPECT_NE(
      checks.at("slack")["detail"].get<std::string>().find("15 messages a call, 1 call a minute"),
      std::string::npos)
      << checks.at("slack").dump();
  StartSlack({"--not-member", "enrique", "--not-member", "traveling-sailor"});
  checks = ByCheck(Doctor({"--only", "slack"}, {}, &code));
  EXPECT_EQ(code, 1);
  EXPECT_NE(checks.at("slack")["fix"].get<std::string>().find("/invite"), std::string::npos)
      << checks.at("slack").dump();
}

// The credentials line names who the keys are, as STS's GetCallerIdentity says (the stand-in
// knows Ceph's keys as an IAM user); keys STS refuses fail there, before the bucket is tried.
TEST_F(DoctorE2E, TheCredentialsLineNamesTheIdentityStsSees) {
  auto sts = ServerProcess::Start(
      {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/aws-sts.mjs",
       "--access-key-id", server_.access_key, "--source-arn",
       "arn:aws:iam::111122223333:user/nightly-sync"},
      {{"STANDIN_SOURCE_SECRET_ACCESS_KEY", server_.secret_key}});
  int code = -1;
  auto checks =
      ByCheck(Doctor({"--only", "aws"}, {{"AWS_ENDPOINT_URL_STS", sts->base_url()}}, &code));
  EXPECT_EQ(code, 0) << last_stderr_;
  const std::string detail = checks.at("aws credentials")["detail"];
  EXPECT_NE(detail.find("arn:aws:iam::111122223333:user/nightly-sync (account 111122223333)"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("from environment"), std::string::npos) << detail;
  EXPECT_TRUE(checks.at("aws bucket")["ok"]);

  checks = ByCheck(Doctor({"--only", "aws"},
                          {{"AWS_ENDPOINT_URL_STS", sts->base_url()},
                           {"AWS_ACCESS_KEY_ID", "doctor-test-unknown-key-id"}},
                          &code));
  EXPECT_EQ(code, 1);
  const nlohmann::json& refused = checks.at("aws credentials");
  EXPECT_FALSE(refused["ok"]);
  EXPECT_NE(refused["detail"].get<std::string>().find("InvalidClientTokenId"), std::string::npos)
      << refused.dump();
  EXPECT_NE(refused["fix"].get<std::string>().find("not valid or have expired"), std::string::npos);
  EXPECT_EQ(checks.count("aws bucket"), 0u) << "the bucket is not tried with refused keys";
  EXPECT_EQ(nlohmann::json(checks).dump().find(server_.secret_key), std::string::npos);

  // Without AWS_ENDPOINT_URL_STS an S3-compatible endpoint has no STS to ask.
  checks = ByCheck(Doctor({"--only", "aws"}));
  EXPECT_NE(checks.at("aws credentials")["detail"].get<std::string>().find("identity not asked"),
            std::string::npos);
}

// S3 refuses requests signed 15 minutes off; doctor reads the server's Date and warns at 5.
TEST_F(DoctorE2E, AClockOffTheServersIsCaught) {
  auto skewed = StartFaultProxy(server_.endpoint, {"--date-offset-seconds=-1200"});
  int code = -1;
  auto checks = ByCheck(Doctor({"--only", "aws", "--endpoint-url", skewed->base_url()}, {}, &code));
  EXPECT_EQ(code, 1);
  const nlohmann::json& clock = checks.at("aws clock");
  EXPECT_FALSE(clock["ok"]) << clock.dump();
  const std::string detail = clock["detail"];
  EXPECT_TRUE(detail.find("this clock is 1199 s") != std::string::npos ||
              detail.find("this clock is 1200 s") != std::string::npos ||
              detail.find("this clock is 1201 s") != std::string::npos)
      << detail;
  EXPECT_NE(clock["fix"].get<std::string>().find("timedatectl"), std::string::npos);

  auto close = StartFaultProxy(server_.endpoint, {"--date-offset-seconds", "90"});
  checks = ByCheck(Doctor({"--only", "aws", "--endpoint-url", close->base_url()}, {}, &code));
  EXPECT_EQ(code, 0) << "90 s is within what S3 accepts";
  EXPECT_TRUE(checks.at("aws clock")["ok"]) << checks.at("aws clock").dump();
}

TEST_F(DoctorE2E, MissingScopesAndAReadableTokenFileAreCaught) {
  StartSlack({"--scopes", "channels:read,channels:history,users:read"});
  int code = -1;
  auto checks = ByCheck(Doctor({"--only", "slack"}, {}, &code));
  EXPECT_EQ(code, 1);
  EXPECT_NE(checks.at("slack")["detail"].get<std::string>().find(
                "missing scopes groups:history, groups:read"),
            std::string::npos)
      << checks.at("slack").dump();

  const fs::path config = dir_.path() / "team.yaml";
  std::ofstream(config) << "slack:\n  token: xoxb-1-2-abc\n";
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  checks = ByCheck(Doctor({"--config", config.string(), "--only", "config"}, {}, &code));
  EXPECT_EQ(code, 1);
  EXPECT_NE(checks.at("config")["fix"].get<std::string>().find("chmod 600 " + config.string()),
            std::string::npos)
      << checks.at("config").dump();
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write);
  checks = ByCheck(Doctor({"--config", config.string(), "--only", "config"}, {}, &code));
  EXPECT_EQ(code, 0) << checks.at("config").dump();
  EXPECT_EQ(checks.size(), 1u) << "--only runs only what it names";
}

}  // namespace
}  // namespace slack_intel::testing

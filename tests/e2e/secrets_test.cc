// Secrets never leave the process: every command run with known secret values (Slack and Jira
// tokens, the AWS secret key and a session token), in every output mode, on success and on
// failure; then no secret may appear in what was printed or in any file under the test's folder
// (the cache, its sync state, HOME).

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/files.h"
#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"
#include "support/server_process.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;

// Shaped like a bot token, so that the redaction of real ones is what is tested; assembled, so
// that no secret scanner takes this file for a leak.
const std::string kSlackToken = std::string("xox") + "b-1111111111-SECRET-slack-token-value";
const std::string kJiraToken = "SECRET-jira-api-token-ATATT3xFfGF0";
const std::string kSessionToken = "SECRET-IQoJb3JpZ2luX2VjEJr-aws-session-token";
const fs::path kFixture =
    fs::path(SLACK_INTEL_SOURCE_DIR) / "tests/testdata/slack-export-viewer-testarchive";

class SecretsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = LoadS3TestServer();
    bucket_ = UniqueBucketName("secrets");
    ASSERT_EQ(ReferenceS3Request(server_, "PUT", "/" + bucket_).status, 200);
    const std::string standins = std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/";
    slack_ = ServerProcess::Start({"node", standins + "slack.mjs", "--export", kFixture.string(),
                                   "--token", kSlackToken, "--verbose"});
    jira_ = ServerProcess::Start(
        {"node", standins + "jira.mjs", "--synthesize", "--token", kJiraToken, "--verbose"});
  }

  // Runs the binary with every secret in its environment; keeps what it printed.
  ProcessResult Run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), SLACK_INTEL_BIN_PATH);
    std::map<std::string, std::string> all = {{"SLACK_TOKEN", kSlackToken},
                                              {"SLACK_API_URL", slack_->base_url() + "/api"},
                                              {"JIRA_URL", jira_->base_url()},
                                              {"JIRA_EMAIL", "standin@example.invalid"},
                                              {"JIRA_API_TOKEN", kJiraToken},
                                              {"AWS_ACCESS_KEY_ID", server_.access_key},
                                              {"AWS_SECRET_ACCESS_KEY", server_.secret_key},
                                              {"AWS_EC2_METADATA_DISABLED", "true"},
                                              {"HOME", dir_.path().string()}};
    for (auto& [name, value] : env) all[name] = value;
    ProcessResult result = RunProcess(args, all);
    printed_ += result.stdout_text + result.stderr_text;
    return result;
  }
  std::vector<std::string> Sync(std::vector<std::string> extra) {
    std::vector<std::string> args = {"sync",           "--bucket",       bucket_,
                                     "--endpoint-url", server_.endpoint, "--cache-path",
                                     cache_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  S3TestServer server_;
  std::string bucket_;
  TempDir dir_;
  fs::path cache_ = dir_.path() / "cache";
  std::unique_ptr<ServerProcess> slack_, jira_;
  std::string printed_;
};

TEST_F(SecretsE2E, NoSecretIsPrintedOrWrittenByAnyCommandInAnyMode) {
  const std::vector<std::string> window = {"--since", "2016-01-01", "--until", "2016-04-30"};
  for (const std::vector<std::string>& mode :
       std::vector<std::vector<std::string>>{{"--json"}, {"-vv"}, {"--quiet"}}) {
    std::vector<std::string> args = {"cache", "--cache-path", cache_.string()};
    args.insert(args.end(), window.begin(), window.end());
    args.insert(args.end(), mode.begin(), mode.end());
    EXPECT_EQ(Run(args).exit_code, 0) << printed_;
  }
  EXPECT_EQ(Run({"import", kFixture.string(), "--cache-path", cache_.string(), "-vv"}).exit_code,
            0);
  EXPECT_EQ(Run(Sync({"-vv"})).exit_code, 0) << printed_;
  EXPECT_EQ(Run(Sync({"--json", "--dry-run", "--delete"})).exit_code, 0);
  EXPECT_EQ(Run(Sync({"--pull", "-vv"})).exit_code, 0);

  // Failures quote requests and replies: the secrets must not come with them.
  EXPECT_EQ(Run({"cache", "--cache-path", cache_.string(), "--days", "1", "-vv"},
                {{"SLACK_TOKEN", kSlackToken + "x"}})
                .exit_code,
            1);
  EXPECT_EQ(Run(Sync({"-vv"}), {{"AWS_SECRET_ACCESS_KEY", server_.secret_key + "x"}}).exit_code, 1);
  Run(Sync({"-vv", "--json"}), {{"AWS_SESSION_TOKEN", kSessionToken}});
  Run({"cache", "--cache-path", cache_.string(), "--days", "1", "-vv"},
      {{"JIRA_API_TOKEN", kJiraToken + "x"}});

  const std::vector<std::string> secrets = {kSlackToken, kJiraToken, kSessionToken,
                                            server_.secret_key};
  for (const std::string& secret : secrets) {
    EXPECT_EQ(printed_.find(secret), std::string::npos) << "printed: " << secret;
  }
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string bytes = ReadFileBytes(entry.path());
    for (const std::string& secret : secrets)
      EXPECT_EQ(bytes.find(secret), std::string::npos) << entry.path() << " holds " << secret;
  }
  EXPECT_GT(files, 10) << "the runs wrote the cache and its state";
}

}  // namespace
}  // namespace slack_intel::testing

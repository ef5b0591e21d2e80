// Runs the built slack-intel binary the way a user does and checks exit codes and output.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace slack_intel::testing {
namespace {

ProcessResult RunSlackIntel(std::vector<std::string> args) {
  const char* binary = std::getenv("SLACK_INTEL_BIN");
  if (binary == nullptr) throw std::runtime_error("SLACK_INTEL_BIN is not set: run under ctest");
  args.insert(args.begin(), binary);
  return RunProcess(args);
}

// Errors are exactly one line on stderr, prefixed with the program name.
void ExpectOneErrorLine(const ProcessResult& result) {
  std::vector<std::string> lines = SplitLines(result.stderr_text);
  ASSERT_EQ(lines.size(), 1u) << result.stderr_text;
  EXPECT_EQ(lines[0].rfind("slack-intel: ", 0), 0u) << lines[0];
}

TEST(Cli, VersionPrintsNameAndVersion) {
  ProcessResult result = RunSlackIntel({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_text.rfind("slack-intel 0.", 0), 0u) << result.stdout_text;
}

TEST(Cli, HelpListsTheCommands) {
  ProcessResult result = RunSlackIntel({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* word : {"cache", "import", "sync", "--verbose", "--quiet", "--version"}) {
    EXPECT_NE(result.stdout_text.find(word), std::string::npos) << word;
  }
  EXPECT_EQ(result.stderr_text, "");
}

TEST(Cli, SyncHelpShowsTheDocumentsFlags) {
  ProcessResult result = RunSlackIntel({"sync", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* flag :
       {"--bucket", "--prefix", "--dry-run", "--delete", "--cache-path", "--region", "--profile"}) {
    EXPECT_NE(result.stdout_text.find(flag), std::string::npos) << flag;
  }
}

TEST(Cli, UsageErrorsExitTwoWithOneLine) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{},
                                             {"bogus"},
                                             {"sync"},
                                             {"sync", "--bucket"},
                                             {"--no-such-flag", "cache"},
                                             {"cache", "--days", "many"},
                                             {"config"},
                                             {"config", "show", "--bogus"}}) {
    ProcessResult result = RunSlackIntel(args);
    EXPECT_EQ(result.exit_code, 2) << result.stderr_text;
    ExpectOneErrorLine(result);
    EXPECT_EQ(result.stdout_text, "");
  }
}

TEST(Cli, MissingCachePathFailsWithTheDocumentsMessage) {
  TempDir dir;
  const std::string missing = (dir.path() / "no-cache-here").string();
  ProcessResult result =
      RunSlackIntel({"sync", "--bucket", "my-slack-data", "--cache-path", missing});
  EXPECT_EQ(result.exit_code, 1);
  ExpectOneErrorLine(result);
  EXPECT_NE(result.stderr_text.find("Local path does not exist: " + missing), std::string::npos)
      << result.stderr_text;
}

TEST(Cli, BadBucketNameFailsBeforeTouchingTheNetwork) {
  ProcessResult result = RunSlackIntel({"sync", "--bucket", "s3://my-slack-data"});
  EXPECT_EQ(result.exit_code, 1);
  ExpectOneErrorLine(result);
  EXPECT_NE(result.stderr_text.find("--prefix"), std::string::npos) << result.stderr_text;
}

// `config show` names the file it read and where each setting came from, with tokens hidden,
// in text and in JSON.
TEST(Cli, ConfigShowSaysWhereEachSettingCameFromAndHidesTokens) {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "team.yaml";
  std::ofstream(file)
      << "slack:\n  token: xoxb-fake-test-token-000000\ns3:\n  bucket: team-bucket\n";
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const char* binary = std::getenv("SLACK_INTEL_BIN");
  ASSERT_NE(binary, nullptr);
  const std::map<std::string, std::string> env = {{"SLACK_TOKEN", ""},
                                                  {"SLACK_BOT_TOKEN", ""},
                                                  {"AWS_REGION", "eu-north-1"},
                                                  {"HOME", dir.path().string()}};
  ProcessResult text =
      RunProcess({binary, "--config", file.string(), "config", "show", "--prefix", "dev/"}, env);
  ASSERT_EQ(text.exit_code, 0) << text.stderr_text;
  EXPECT_NE(text.stdout_text.find("config file: " + file.string() + " (found by --config)"),
            std::string::npos)
      << text.stdout_text;
  EXPECT_EQ(text.stdout_text.find("fake-test-token"), std::string::npos) << text.stdout_text;
  EXPECT_NE(text.stdout_text.find("xoxb-… (27 characters, hidden)"), std::string::npos);

  ProcessResult json = RunProcess(
      {binary, "--config", file.string(), "config", "show", "--prefix", "dev/", "--json"}, env);
  ASSERT_EQ(json.exit_code, 0) << json.stderr_text;
  EXPECT_EQ(json.stdout_text.find("fake-test-token"), std::string::npos);
  const auto doc = nlohmann::json::parse(json.stdout_text);
  EXPECT_EQ(doc["config_file"], file.string());
  const auto& settings = doc["settings"];
  EXPECT_EQ(settings["s3.bucket"]["value"], "team-bucket");
  EXPECT_EQ(settings["s3.bucket"]["source"], "file " + file.string());
  EXPECT_EQ(settings["s3.prefix"]["value"], "dev/");
  EXPECT_EQ(settings["s3.prefix"]["source"], "flag");
  EXPECT_EQ(settings["slack.token"]["source"], "file " + file.string());
  EXPECT_EQ(settings["aws.region"]["value"], "eu-north-1");
  EXPECT_EQ(settings["aws.region"]["source"], "environment AWS_REGION");
}

}  // namespace
}  // namespace slack_intel::testing

#include "config/config_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "support/temp_dir.h"

namespace slack_intel::config {
namespace {

TEST(ConfigFile, ReadsEverySectionTheDocsName) {
  auto config = ParseConfigFile(R"(
slack:
  token: standin-slack-token
  api_url: http://127.0.0.1:8080/api
jira:
  url: https://example.atlassian.net
  email: analyst@example.com
  api_token: standin-jira-token
cache:
  path: /data/slack-cache
  timezone: Europe/Berlin
  codec: gzip
  compression_level: 9
s3:
  bucket: my-slack-data
  prefix: prod/slack-cache/
  region: eu-west-1
  profile: production
  endpoint_url: http://127.0.0.1:9000
sync:
  auto: true
)",
                                "team.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->slack_token, "standin-slack-token");
  EXPECT_EQ(config->slack_api_url, "http://127.0.0.1:8080/api");
  EXPECT_EQ(config->jira_email, "analyst@example.com");
  EXPECT_EQ(config->jira_api_token, "standin-jira-token");
  EXPECT_EQ(config->cache_path, "/data/slack-cache");
  EXPECT_EQ(config->timezone, "Europe/Berlin");
  EXPECT_EQ(config->bucket, "my-slack-data");
  EXPECT_EQ(config->prefix, "prod/slack-cache/");
  EXPECT_EQ(config->region, "eu-west-1");
  EXPECT_EQ(config->profile, "production");
  EXPECT_EQ(config->endpoint_url, "http://127.0.0.1:9000");
  EXPECT_EQ(config->codec, "gzip");
  EXPECT_EQ(config->compression_level, "9");
  EXPECT_EQ(config->sync_auto, "true");
  EXPECT_FALSE(ParseConfigFile("", "empty.yaml")->bucket.has_value());
  EXPECT_FALSE(ParseConfigFile("s3:\n  bucket:\n", "null.yaml")->bucket.has_value());
}

TEST(ConfigFile, TyposAndBadYamlNameTheFileLineAndKey) {
  auto typo = ParseConfigFile("s3:\n  region: us-east-1\n  bukcet: data\n", "team.yaml");
  EXPECT_EQ(typo.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(typo.status().message().find("team.yaml:3: unknown key 's3.bukcet'"), 0u)
      << typo.status().message();
  EXPECT_NE(typo.status().message().find("bucket"), std::string::npos);  // the known keys

  auto section = ParseConfigFile("aws:\n  region: x\n", "team.yaml");
  EXPECT_NE(section.status().message().find("unknown section 'aws'"), std::string::npos);
  auto list = ParseConfigFile("s3:\n  bucket: [a, b]\n", "team.yaml");
  EXPECT_NE(list.status().message().find("'s3.bucket' must be a single value"), std::string::npos);
  auto broken = ParseConfigFile("s3:\n  bucket: [unclosed\n", "team.yaml");
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(broken.status().message().find("team.yaml:"), std::string::npos);
  EXPECT_NE(broken.status().message().find("not valid YAML"), std::string::npos);
}

// Found by config_file_fuzzer: a key that is itself a map made yaml-cpp throw past us (the
// program aborted). Every shape of YAML is an error naming the file, never a crash.
TEST(ConfigFile, CodecLevelAndAutoSyncValuesAreChecked) {
  for (const auto& [yaml, says] : std::vector<std::pair<std::string, std::string>>{
           {"cache:\n  codec: lz4\n", "cache.codec must be zstd, snappy, gzip or none, not 'lz4'"},
           {"cache:\n  compression_level: high\n", "cache.compression_level must be a number"},
           {"cache:\n  compression_level: -1\n", "cache.compression_level must be a number"},
           {"sync:\n  auto: yes please\n", "sync.auto must be true or false"}}) {
    auto config = ParseConfigFile(yaml, "team.yaml");
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << yaml;
    EXPECT_NE(config.status().message().find(says), std::string::npos) << config.status().message();
  }
}

TEST(ConfigFile, KeysThatAreNotWordsAreErrorsNotCrashes) {
  for (const char* yaml : {"slack:\n  token: x\n? {token: y}\n  : z\n", "? [a, b]\n: c\n",
                           "slack:\n  ? [token]\n  : x\n"}) {
    auto parsed = ParseConfigFile(yaml, "team.yaml");
    ASSERT_FALSE(parsed.ok()) << yaml;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message().find("team.yaml:"), 0u) << parsed.status().message();
  }
}

TEST(ConfigFile, ATokenInAFileOthersCanReadIsWarnedAbout) {
  testing::TempDir dir;
  const auto path = dir.path() / "config.yaml";
  std::ofstream(path) << "slack:\n  token: standin-slack-token\n";
  ::chmod(path.c_str(), 0644);
  auto open = LoadConfigFile(path);
  ASSERT_TRUE(open.ok()) << open.status().message();
  ASSERT_EQ(open->warnings.size(), 1u);
  EXPECT_NE(open->warnings[0].find("chmod 600"), std::string::npos);
  EXPECT_EQ(open->warnings[0].find("standin-slack-token"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  EXPECT_TRUE(LoadConfigFile(path)->warnings.empty());
  EXPECT_EQ(LoadConfigFile(dir.path() / "missing.yaml").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ConfigFile, TheConfigFlagIsFoundBeforeParsing) {
  const char* spaced[] = {"slack-intel", "sync", "--config", "a.yaml", "--bucket", "b"};
  EXPECT_EQ(ConfigPathFromArgs(6, spaced), std::filesystem::path("a.yaml"));
  const char* joined[] = {"slack-intel", "--config=b.yaml", "cache"};
  EXPECT_EQ(ConfigPathFromArgs(3, joined), std::filesystem::path("b.yaml"));
  const char* none[] = {"slack-intel", "sync", "--bucket", "b"};
  EXPECT_FALSE(ConfigPathFromArgs(4, none).has_value());
}

}  // namespace
}  // namespace slack_intel::config

// `config show`'s table: each setting's value and source in every order of precedence the
// commands use, and secrets that never show.

#include "cli/config_command.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>

#include "support/temp_dir.h"

namespace slack_intel::cli {
namespace {

using Table = std::map<std::string, std::pair<std::string, std::string>>;  // name -> value, source

class ConfigShow : public ::testing::Test {
 protected:
  Table Settings(const ConfigShowOptions& options) {
    Table table;
    for (const EffectiveSetting& s : EffectiveSettings(options, env_)) {
      EXPECT_TRUE(table.emplace(s.name, std::make_pair(s.value, s.source)).second) << s.name;
    }
    return table;
  }

  testing::TempDir dir_;
  aws::Environment env_ = {{"HOME", dir_.path().string()}};  // no ~/.aws files
};

TEST_F(ConfigShow, NothingSetGivesTheDefaultsAndSaysSo) {
  const Table t = Settings({});
  EXPECT_EQ(t.at("slack.token"), std::make_pair(std::string(), std::string("not set")));
  EXPECT_EQ(t.at("slack.api_url").first, "https://slack.com/api");
  EXPECT_EQ(t.at("slack.api_url").second, "default");
  EXPECT_EQ(t.at("cache.path"), std::make_pair(std::string("cache"), std::string("default")));
  EXPECT_EQ(t.at("cache.timezone").first, "UTC");
  EXPECT_EQ(t.at("s3.bucket").second, "not set");
  EXPECT_EQ(t.at("s3.prefix").first, "(the bucket's root)");
  EXPECT_EQ(t.at("aws.profile"), std::make_pair(std::string("default"), std::string("default")));
  EXPECT_EQ(t.at("aws.region"), std::make_pair(std::string("us-east-1"), std::string("default")));
  EXPECT_EQ(t.at("aws.endpoint_url").first, "(AWS, by region)");
  EXPECT_EQ(t.at("sync.auto"), std::make_pair(std::string("false"), std::string("default")));
  EXPECT_EQ(t.at("cache.codec"), std::make_pair(std::string("zstd"), std::string("default")));
  EXPECT_EQ(t.at("sync.dest").first, "(s3://s3.bucket/s3.prefix)");
  EXPECT_EQ(t.size(), 16u);
}

TEST_F(ConfigShow, FlagsBeatTheEnvironmentWhichBeatsTheFile) {
  ConfigShowOptions options;
  options.config.path = "/etc/team/.slack-intel.yaml";
  options.config.slack_token = "xoxb-fake-file-token";
  options.config.jira_url = "https://file.atlassian.net";
  options.config.bucket = "file-bucket";
  options.config.prefix = "prod/";
  options.config.region = "eu-west-1";
  options.config.cache_path = "/data/cache";
  options.bucket = "flag-bucket";
  env_["SLACK_BOT_TOKEN"] = "xoxb-fake-test-token-000000";
  env_["JIRA_URL"] = "https://env.atlassian.net";
  env_["AWS_REGION"] = "ap-south-1";  // the file's s3.region stands for --region: it wins
  const Table t = Settings(options);
  EXPECT_EQ(t.at("s3.bucket"), std::make_pair(std::string("flag-bucket"), std::string("flag")));
  EXPECT_EQ(t.at("s3.prefix").second, "file /etc/team/.slack-intel.yaml");
  EXPECT_EQ(t.at("cache.path").first, "/data/cache");
  EXPECT_EQ(t.at("jira.url"), std::make_pair(std::string("https://env.atlassian.net"),
                                             std::string("environment JIRA_URL")));
  EXPECT_EQ(t.at("slack.token").second, "environment SLACK_BOT_TOKEN");
  EXPECT_EQ(t.at("aws.region"), std::make_pair(std::string("eu-west-1"),
                                               std::string("file /etc/team/.slack-intel.yaml")));
}

TEST_F(ConfigShow, SecretsShowTheirKindAndLengthOnly) {
  ConfigShowOptions options;
  options.config.path = "/home/u/.slack-intel.yaml";
  options.config.jira_api_token = "fake-jira-api-token-0000";
  env_["SLACK_TOKEN"] = "xoxp-fake-test-token-000000";
  const Table t = Settings(options);
  EXPECT_EQ(t.at("slack.token").first, "xoxp-… (27 characters, hidden)");
  EXPECT_EQ(t.at("jira.api_token").first, "… (24 characters, hidden)");
  for (const auto& [name, row] : t) {
    EXPECT_EQ(row.first.find("fake-test-token"), std::string::npos) << name;
    EXPECT_EQ(row.first.find("fake-jira"), std::string::npos) << name;
  }
}

TEST_F(ConfigShow, AwsSettingsFollowTheAwsCliOrderAndNameTheProfile) {
  const std::filesystem::path aws_config = dir_.path() / "aws-config";
  std::ofstream(aws_config) << "[profile prod]\nregion = eu-central-1\n"
                               "endpoint_url = http://127.0.0.1:9000\n";
  env_["AWS_CONFIG_FILE"] = aws_config.string();
  env_["AWS_PROFILE"] = "prod";
  Table t = Settings({});
  EXPECT_EQ(t.at("aws.profile"),
            std::make_pair(std::string("prod"), std::string("environment AWS_PROFILE")));
  const std::string in_file = "profile prod in " + aws_config.string();
  EXPECT_EQ(t.at("aws.region"), std::make_pair(std::string("eu-central-1"), in_file));
  EXPECT_EQ(t.at("aws.endpoint_url"),
            std::make_pair(std::string("http://127.0.0.1:9000"), in_file));

  env_["AWS_DEFAULT_REGION"] = "us-west-2";
  t = Settings({});
  EXPECT_EQ(t.at("aws.region").second, "environment AWS_DEFAULT_REGION");

  ConfigShowOptions flags;
  flags.region = "sa-east-1";
  flags.profile = "default";
  t = Settings(flags);
  EXPECT_EQ(t.at("aws.region"), std::make_pair(std::string("sa-east-1"), std::string("flag")));
  EXPECT_EQ(t.at("aws.profile"), std::make_pair(std::string("default"), std::string("flag")));
  EXPECT_EQ(t.at("aws.endpoint_url").second, "default") << "profile default has no endpoint";

  std::ofstream(aws_config) << "[profile broken\n";
  t = Settings({});
  EXPECT_NE(t.at("aws.region").second.find("cannot read the AWS config"), std::string::npos)
      << t.at("aws.region").second;
}

}  // namespace
}  // namespace slack_intel::cli

// The credential chain against local stand-ins of STS, the SSO portal, ECS and IMDSv2
// (tools/standins/aws-*.mjs), reached through the official endpoint variables.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "util/digest.h"
#include "aws/default_chain.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace slack_intel::testing {
namespace {

const std::string kStandins = std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/";
constexpr char kBaseKey[] = "TESTBASEEXAMPLE00001";
constexpr char kBaseSecret[] = "base/secret/key/for/tests/0000000000000000";

class CredentialChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_["HOME"] = home_.path().string();
    env_["AWS_EC2_METADATA_DISABLED"] = "true";  // never reach for 169.254.169.254 in tests
    std::filesystem::create_directories(home_.path() / ".aws");
  }

  void WriteFile(const std::string& relative, const std::string& text) {
    const auto path = home_.path() / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }

  Result<aws::Credentials> Resolve(const std::string& profile_flag = "") {
    aws::ChainOptions options;
    options.profile_flag = profile_flag;
    options.context.env = env_;
    auto chain = aws::MakeDefaultCredentialChain(options);
    if (!chain.ok()) return chain.status();
    chain_ = *chain;
    return chain_->Get();
  }

  std::unique_ptr<ServerProcess> StartSts(std::vector<std::string> flags = {}) {
    std::vector<std::string> argv = {"node", kStandins + "aws-sts.mjs", "--access-key-id",
                                     kBaseKey};
    argv.insert(argv.end(), flags.begin(), flags.end());
    auto server = ServerProcess::Start(argv, {{"STANDIN_SOURCE_SECRET_ACCESS_KEY", kBaseSecret}});
    env_["AWS_ENDPOINT_URL_STS"] = server->base_url();
    return server;
  }

  TempDir home_;
  aws::Environment env_;
  std::shared_ptr<aws::CredentialProvider> chain_;
};

TEST_F(CredentialChainTest, EnvironmentComesFirst) {
  env_["AWS_ACCESS_KEY_ID"] = "TESTENVEXAMPLE000001";
  env_["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  WriteFile(".aws/credentials",
            "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n");
  auto c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "TESTENVEXAMPLE000001");
}

TEST_F(CredentialChainTest, ExplicitProfileBeatsTheEnvironment) {
  env_["AWS_ACCESS_KEY_ID"] = "TESTENVEXAMPLE000001";
  env_["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  WriteFile(".aws/credentials",
            "[production]\naws_access_key_id = TESTPRODEXAMPLE00001\naws_secret_access_key = s\n");
  auto c = Resolve("production");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "TESTPRODEXAMPLE00001");
}

TEST_F(CredentialChainTest, ProfileFromAwsProfileAndFilesFromTheirVariables) {
  const auto config = home_.path() / "custom-config";
  std::ofstream(config)
      << "# comment\n[profile prod]\nregion = us-west-2\naws_access_key_id = TESTCONFIG0000000001\n"
         "aws_secret_access_key = from-config\n";
  env_["AWS_CONFIG_FILE"] = config.string();
  env_["AWS_PROFILE"] = "prod";
  auto c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "TESTCONFIG0000000001");
}

TEST_F(CredentialChainTest, UnknownProfileSaysWhereItLooked) {
  auto c = Resolve("nope");
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("AWS profile 'nope' not found in"), std::string::npos)
      << c.status().message();
}

TEST_F(CredentialChainTest, NothingFoundListsEveryPlaceOnOneLine) {
  auto c = Resolve();
  EXPECT_EQ(c.status().code(), StatusCode::kUnauthenticated);
  const std::string message = c.status().message();
  for (const char* place : {"environment variables", "profile default in", "container credentials",
                            "EC2 instance metadata"}) {
    EXPECT_NE(message.find(place), std::string::npos) << place << " missing from: " << message;
  }
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST_F(CredentialChainTest, CredentialProcessIsRunAndItsFailureStaysQuiet) {
  WriteFile(".aws/config",
            "[profile proc]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": "
            "\"TESTPROC000000000001\", "
            "\"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", \"Expiration\": "
            "\"2099-01-01T00:00:00Z\"}'\n"
            "[profile broken]\ncredential_process = sh -c 'echo SECRET-IN-OUTPUT; exit 3'\n");
  auto c = Resolve("proc");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "TESTPROC000000000001");
  EXPECT_EQ(c->session_token, "t");
  auto broken = Resolve("broken");
  EXPECT_EQ(broken.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(broken.status().message().find("exit status 3"), std::string::npos)
      << broken.status().message();
  EXPECT_EQ(broken.status().message().find("SECRET-IN-OUTPUT"), std::string::npos);
}

TEST_F(CredentialChainTest, MfaProfilesAreRefusedWithAReason) {
  WriteFile(".aws/config",
            "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n"
            "mfa_serial = arn:aws:iam::123456789012:mfa/me\n");
  auto c = Resolve("mfa");
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("mfa_serial"), std::string::npos);
}

TEST_F(CredentialChainTest, AssumeRoleSignsWithTheSourceProfile) {
  auto sts = StartSts();
  WriteFile(".aws/credentials",
            fmt::format("[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n", kBaseKey,
                        kBaseSecret));
  WriteFile(".aws/config",
            "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = "
            "base\n");
  auto c = Resolve("deploy");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->access_key_id.starts_with("ASIASTSTEST")) << c->access_key_id;
  EXPECT_FALSE(c->session_token.empty());
  ASSERT_TRUE(c->expiration.has_value());
}

TEST_F(CredentialChainTest, AssumeRoleWithAWrongSourceSecretIsUnauthenticated) {
  auto sts = StartSts();
  WriteFile(
      ".aws/credentials",
      fmt::format("[base]\naws_access_key_id = {}\naws_secret_access_key = wrong\n", kBaseKey));
  WriteFile(".aws/config",
            "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = "
            "base\n");
  auto c = Resolve("deploy");
  EXPECT_EQ(c.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(c.status().message().find("SignatureDoesNotMatch"), std::string::npos)
      << c.status().message();
}

TEST_F(CredentialChainTest, TemporaryCredentialsAreRefreshedBeforeTheyExpire) {
  // Credentials valid for 2 minutes are inside the 5-minute refresh window: each Get renews.
  auto short_lived = StartSts({"--expires-in-seconds", "120"});
  WriteFile(".aws/credentials",
            fmt::format("[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n", kBaseKey,
                        kBaseSecret));
  WriteFile(".aws/config",
            "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = "
            "base\n");
  auto first = Resolve("deploy");
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = chain_->Get();
  ASSERT_TRUE(second.ok());
  EXPECT_NE(first->access_key_id, second->access_key_id);
  // An hour-long set is reused.
  auto long_lived = StartSts({"--expires-in-seconds", "3600"});
  auto a = Resolve("deploy");
  auto b = chain_->Get();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->access_key_id, b->access_key_id);
}

TEST_F(CredentialChainTest, WebIdentityFromTheEksVariables) {
  auto sts = StartSts({"--expected-token", "eks-token-123"});
  WriteFile("token", "eks-token-123\n");
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = (home_.path() / "token").string();
  env_["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/eks-pod";
  auto c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->access_key_id.starts_with("ASIASTSTEST")) << c->access_key_id;
  WriteFile("token", "some-other-token");
  auto rejected = Resolve();
  EXPECT_EQ(rejected.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(CredentialChainTest, SsoUsesTheCachedLoginAndSaysHowToRenewIt) {
  auto sso = ServerProcess::Start({"node", kStandins + "aws-sso.mjs", "--expected-token",
                                   "sso-access-token", "--role-name", "AdministratorAccess",
                                   "--account-id", "276780518338"});
  env_["AWS_ENDPOINT_URL_SSO"] = sso->base_url();
  WriteFile(".aws/config",
            "[profile AdministratorAccess-276780518338]\nsso_session = corp\nsso_account_id = "
            "276780518338\n"
            "sso_role_name = AdministratorAccess\nregion = us-east-1\n"
            "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = "
            "us-east-1\n");
  const std::string cache = ".aws/sso/cache/" + HexEncode(Sha1("corp")) + ".json";
  WriteFile(cache, R"({"accessToken": "sso-access-token", "expiresAt": "2099-01-01T00:00:00Z"})");
  auto c = Resolve("AdministratorAccess-276780518338");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->access_key_id.starts_with("ASIASSOTEST")) << c->access_key_id;

  WriteFile(cache, R"({"accessToken": "sso-access-token", "expiresAt": "2020-01-01T00:00:00Z"})");
  auto expired = Resolve("AdministratorAccess-276780518338");
  EXPECT_EQ(expired.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(expired.status().message().find("AWS credentials expired"), std::string::npos);
  EXPECT_NE(
      expired.status().message().find("aws sso login --profile AdministratorAccess-276780518338"),
      std::string::npos)
      << expired.status().message();
}

TEST_F(CredentialChainTest, ContainerCredentialsWithAnAuthorizationToken) {
  auto ecs =
      ServerProcess::Start({"node", kStandins + "aws-ecs.mjs", "--expected-token", "ecs-auth"});
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ecs->base_url() + "/v2/credentials/slack-intel-test";
  env_["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "ecs-auth";
  auto c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->access_key_id.starts_with("ASIAECSTEST")) << c->access_key_id;
}

TEST_F(CredentialChainTest, InstanceMetadataV2WithARetriedHiccup) {
  auto imds = ServerProcess::Start({"node", kStandins + "aws-imds.mjs", "--fail-first", "1"});
  env_.erase("AWS_EC2_METADATA_DISABLED");
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds->base_url();
  auto c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->access_key_id.starts_with("ASIAIMDSTEST")) << c->access_key_id;
  EXPECT_EQ(c->provider, "instance role slack-intel-instance-role");
}

}  // namespace
}  // namespace slack_intel::testing

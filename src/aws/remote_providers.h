#pragma once

// Credential providers that ask a service over HTTP: STS (assume role, web identity), the
// IAM Identity Center (SSO) portal, ECS container credentials and EC2 IMDSv2. Each endpoint
// comes from the official variables (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO,
// AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_EC2_METADATA_SERVICE_ENDPOINT), so local stand-ins
// serve them in tests without test-only branches. Wrap them in MakeCachingProvider(): they
// fetch on every Get().

#include <functional>
#include <memory>
#include <string>

#include "aws/credential_provider.h"
#include "aws/remote_call.h"
#include "aws/shared_config.h"
#include "util/clock.h"
#include "util/http/http_client.h"

namespace slack_intel::aws {


struct AssumeRoleSettings {
  std::string role_arn;
  std::string role_session_name;  // "" = "slack-intel-<unix time>"
  std::string external_id;
  int duration_seconds = 3600;
  std::string region;   // STS endpoint region
  std::string profile;  // for messages
};

// STS AssumeRole, signed with the source credentials.
std::shared_ptr<CredentialProvider> MakeAssumeRoleProvider(
    RemoteProviderContext context, AssumeRoleSettings settings,
    std::shared_ptr<CredentialProvider> source);

// STS AssumeRoleWithWebIdentity (EKS IRSA): the token is re-read from `token_file` each time.
std::shared_ptr<CredentialProvider> MakeWebIdentityProvider(RemoteProviderContext context,
                                                            AssumeRoleSettings settings,
                                                            std::string token_file);

struct SsoSettings {
  std::string profile;
  std::string session_name;  // sso_session, "" for the legacy form
  std::string start_url;
  std::string sso_region;
  std::string account_id;
  std::string role_name;
};

// GetRoleCredentials with the token `aws sso login` cached in ~/.aws/sso/cache/. A missing or
// expired token is kUnauthenticated: "AWS credentials expired ... run: aws sso login --profile P".
std::shared_ptr<CredentialProvider> MakeSsoProvider(RemoteProviderContext context,
                                                    SsoSettings settings);

// ECS/EKS-pod-identity container credentials from AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
// _FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE). kNotFound when neither is set.
std::shared_ptr<CredentialProvider> MakeContainerProvider(RemoteProviderContext context);

// EC2 instance role through IMDSv2 (token first). kNotFound when AWS_EC2_METADATA_DISABLED is
// true or no metadata service answers quickly (not on EC2).
std::shared_ptr<CredentialProvider> MakeImdsProvider(RemoteProviderContext context);

}  // namespace slack_intel::aws

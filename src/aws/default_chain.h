#pragma once

#include <memory>
#include <string>

#include "aws/credential_provider.h"
#include "aws/remote_providers.h"
#include "aws/shared_config.h"

namespace slack_intel::aws {

struct ChainOptions {
  std::string profile_flag;       // --profile ("" = AWS_PROFILE or default)
  RemoteProviderContext context;  // environment, clock, HTTP
};

// The aws cli's credential chain ("Configuration and credential file settings", "Credential
// providers" in the SDK reference), in its order:
//   environment (skipped when --profile is given) -> assume role (role_arn with source_profile
//   or credential_source) -> web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the
//   profile's web_identity_token_file) -> SSO (sso_session or legacy sso_start_url) ->
//   credentials file -> credential_process -> config file keys -> container -> IMDSv2.
// Temporary credentials are cached and refreshed five minutes before they expire.
// Errors: kInvalidArgument for a --profile that exists in neither file, a malformed file, or
// mfa_serial (interactive MFA is not supported); what Load() of the files returns.
Result<std::shared_ptr<CredentialProvider>> MakeDefaultCredentialChain(const ChainOptions& options);

}  // namespace slack_intel::aws

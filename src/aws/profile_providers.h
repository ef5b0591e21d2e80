#pragma once

// Credential providers that read the shared config files and the processes they name.

#include <memory>
#include <string>

#include "aws/credential_provider.h"
#include "aws/shared_config.h"
#include "util/clock.h"
#include "util/time_format.h"

namespace slack_intel::aws {

// Static keys (aws_access_key_id, aws_secret_access_key, aws_session_token) of `profile` in
// the credentials file (`from_credentials_file`) or the config file.
std::shared_ptr<CredentialProvider> MakeProfileKeysProvider(
    std::shared_ptr<const SharedConfig> config, std::string profile, bool from_credentials_file);

// credential_process: runs the profile's command (through /bin/sh, as the aws cli does) and
// reads its JSON ({"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken",
// "Expiration"}). Errors: kUnauthenticated when the command fails (with its exit code, never
// its output, which may hold secrets) or prints something else.
std::shared_ptr<CredentialProvider> MakeProcessProvider(std::shared_ptr<const SharedConfig> config,
                                                        std::string profile);

// Caches what `inner` returns and asks again only when the credentials expire within
// `refresh_before` (temporary credentials are refreshed during a long sync, before S3 sees
// them expire). Thread-safe: one refresh at a time.
std::shared_ptr<CredentialProvider> MakeCachingProvider(
    std::shared_ptr<CredentialProvider> inner, const Clock& clock,
    std::chrono::seconds refresh_before = std::chrono::minutes(5));

}  // namespace slack_intel::aws

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "util/result.h"

namespace slack_intel::aws {

// A source of credentials. Get() is thread-safe: every S3 worker calls it before each
// request, so providers of temporary credentials cache and refresh them.
class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // Errors: kNotFound when this source has no credentials (the chain then tries the next);
  // kUnauthenticated when it has some but they cannot be used (expired SSO token, ...), with
  // what to do; others as they come.
  virtual Result<Credentials> Get() = 0;
  // What this source is, for "where we looked" messages: "environment variables", ...
  virtual std::string Describe() const = 0;
};

// Fixed credentials (tests, and credentials already resolved elsewhere).
std::shared_ptr<CredentialProvider> MakeStaticProvider(Credentials credentials);

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN of `env`.
std::shared_ptr<CredentialProvider> MakeEnvironmentProvider(Environment env);

// Tries each provider in order and returns the first credentials found. A provider that
// fails with anything but kNotFound stops the search (a broken profile is an error, not a
// reason to silently use another identity). With none found: kUnauthenticated listing every
// place it looked.
std::shared_ptr<CredentialProvider> MakeChainProvider(
    std::vector<std::shared_ptr<CredentialProvider>> providers);

}  // namespace slack_intel::aws

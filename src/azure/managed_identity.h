#pragma once

// A managed identity's OAuth token for Azure Storage, as azure-identity's
// ManagedIdentityCredential gets it:
// - App Service and Functions: GET $IDENTITY_ENDPOINT?resource=...&api-version=2019-08-01 with
//   the header X-IDENTITY-HEADER: $IDENTITY_HEADER;
// - a VM, a scale set, AKS: the instance metadata endpoint, GET http://169.254.169.254/metadata/
//   identity/oauth2/token?api-version=2018-02-01&resource=... with the header Metadata: true
//   (the host from AZURE_POD_IDENTITY_AUTHORITY_HOST when set, as azure-identity reads it).
// AZURE_CLIENT_ID picks a user-assigned identity. The reply is JSON with access_token and
// expires_on (Unix seconds); the token is kept until 5 minutes before it expires.

#include <functional>
#include <memory>
#include <string>

#include "aws/environment.h"
#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/result.h"

namespace slack_intel::azure {

// Hands out a bearer token for https://storage.azure.com/. Thread-safe.
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // Errors: kUnauthenticated naming the endpoint and what it said, or that none answered.
  virtual Result<std::string> Token() = 0;
};

struct ManagedIdentityOptions {
  aws::Environment env;
  const Clock* clock = &SystemClock();
  std::function<std::unique_ptr<http::HttpClient>()> make_http_client;  // default: ours
};

std::shared_ptr<TokenSource> MakeManagedIdentityTokenSource(ManagedIdentityOptions options);

}  // namespace slack_intel::azure

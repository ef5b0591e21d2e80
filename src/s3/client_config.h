#pragma once

#include <string>

#include "aws/environment.h"
#include "s3/client.h"

namespace slack_intel::s3 {

// What the command line says about the connection (all optional).
struct ConnectionFlags {
  std::string region;        // --region
  std::string profile;       // --profile
  std::string endpoint_url;  // --endpoint-url
  bool verify_tls = true;    // false with --no-verify-ssl
};

// Everything a Client needs, resolved the way the aws cli does: profile, region and endpoint
// (see aws/shared_config.h), the credential chain (aws/default_chain.h), the profile's
// s3.addressing_style, and AWS_CA_BUNDLE (or the profile's ca_bundle) for TLS.
// Errors: those of MakeDefaultCredentialChain (bad profile, malformed files).
Result<ClientOptions> ResolveClientOptions(const ConnectionFlags& flags,
                                           const aws::Environment& env);

}  // namespace slack_intel::s3

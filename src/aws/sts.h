#pragma once

// AWS STS's Query API (version 2011-06-15): a form POSTed to the regional endpoint, signed
// with SigV4 for service "sts", answered in XML. The endpoint honours AWS_ENDPOINT_URL_STS and
// AWS_ENDPOINT_URL, so a local stand-in serves it in tests.

#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/remote_call.h"
#include "aws/sigv4.h"

namespace slack_intel::aws {

// AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else https://sts.<region>.amazonaws.com.
std::string StsEndpoint(const Environment& env, const std::string& region);

// The <Error><Code> of an STS error reply, "" for anything else.
std::string StsErrorCode(const std::string& body);

// POSTs `form` (Action and Version first) with retries, signed with `signer` unless it is null
// (AssumeRoleWithWebIdentity carries its own proof). The reply is returned whatever its status.
Result<http::Response> CallSts(http::HttpClient& http, const RemoteProviderContext& context,
                               const std::string& region, const Credentials* signer,
                               const std::vector<QueryParam>& form);

// An STS error reply as a status: AccessDenied is kPermissionDenied, other 400/403s (bad or
// expired keys) kUnauthenticated, the rest kUnavailable. `what` leads the message.
Status StsFailure(const http::Response& response, const std::string& what);

// Who the credentials are, as sts:GetCallerIdentity says (it needs no permission).
struct CallerIdentity {
  std::string arn;      // arn:aws:iam::123456789012:user/NAME or ...:assumed-role/ROLE/SESSION
  std::string account;  // 123456789012
  std::string user_id;
};
Result<CallerIdentity> GetCallerIdentity(const RemoteProviderContext& context,
                                         const std::string& region,
                                         const Credentials& credentials);

}  // namespace slack_intel::aws

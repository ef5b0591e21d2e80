#pragma once

#include <string>

namespace slack_intel::http {

// The value of an Authorization or Proxy-Authorization header for HTTP Basic authentication
// (RFC 7617): "Basic " and base64 of "user:password".
std::string BasicAuthorization(const std::string& user, const std::string& password);

}  // namespace slack_intel::http

#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace slack_intel::aws {

// A set of AWS credentials. Never log or print one: use Redacted() for messages.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;                                        // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;  // temporary credentials
  std::string provider;  // where they came from ("environment", "profile default", ...)

  // "AKIA…MPLE from <provider>": enough to tell which identity was used, nothing secret.
  std::string Redacted() const;
};

}  // namespace slack_intel::aws

#pragma once

#include <string>
#include <string_view>

namespace slack_intel::aws {

// The raw HMAC-SHA256 of `data` under `key` (OpenSSL), SigV4's building block. Thread-safe.
std::string HmacSha256(std::string_view key, std::string_view data);

}  // namespace slack_intel::aws

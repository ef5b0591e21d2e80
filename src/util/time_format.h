#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "util/result.h"

namespace slack_intel {

// Microseconds since the Unix epoch as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC; negative values
// are before 1970).
std::string FormatUnixMicrosUtc(int64_t micros);

// Parses an ISO 8601 UTC time as AWS services print it ("2024-05-01T12:00:00Z", optional
// fraction, which is dropped). Errors: kCorruption.
Result<std::chrono::system_clock::time_point> ParseIso8601Utc(const std::string& text);

// Parses an HTTP date (RFC 9110 section 5.6.7, IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"),
// as S3 sends Last-Modified. Errors: kCorruption.
Result<std::chrono::system_clock::time_point> ParseHttpDate(const std::string& text);

}  // namespace slack_intel

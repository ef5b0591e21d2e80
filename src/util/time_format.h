#pragma once

#include <cstdint>
#include <string>

namespace slack_intel {

// Microseconds since the Unix epoch as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC; negative values
// are before 1970).
std::string FormatUnixMicrosUtc(int64_t micros);

}  // namespace slack_intel

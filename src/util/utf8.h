#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace slack_intel {

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or std::string_view::npos when `text` is valid.
size_t FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

// `text` with each ill-formed sequence replaced by U+FFFD following the Unicode standard's
// "maximal subpart" practice (as WHATWG TextDecoder and Python do). Valid input is returned
// unchanged.
std::string SanitizeUtf8(std::string_view text);

}  // namespace slack_intel

#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace slack_intel {

// ASCII lowercase: header names, URL schemes, host names, INI keys. Bytes above 0x7F stay.
inline std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

// `text` without leading and trailing whitespace.
inline std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// `value` with its ends trimmed and each run of spaces and tabs inside folded to one space: a
// header value as SigV4 and Azure's Shared Key canonicalize it.
inline std::string FoldSpaces(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace slack_intel

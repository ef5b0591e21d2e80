#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slack_intel::sync {

// The line format of sync's state files (manifest, folder index): tab-separated fields, with
// '%', tab, CR and LF inside a field %-escaped, since fields are file names.
void AppendEscaped(std::string& out, std::string_view text);
std::optional<std::string> Unescape(std::string_view text);

// The tab-separated fields of `line` (views into it).
std::vector<std::string_view> SplitFields(std::string_view line);

template <typename Int>
bool ParseInt(std::string_view text, Int& value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace slack_intel::sync

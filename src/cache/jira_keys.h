#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace slack_intel::cache {

// The Jira issue keys a message mentions, sorted and unique: "ABC-123" as a word in the text
// (a project key is an uppercase letter then uppercase letters, digits or '_', then '-' and a
// number without leading zero), which also covers <https://x.atlassian.net/browse/ABC-123|..>
// links. Parts of longer words are not keys ("xABC-1", "ABC-1x", "ABC-1-2"). Like Jira's own
// parser it cannot tell "UTF-8" from a key.
std::vector<std::string> ExtractJiraKeys(std::string_view text);

}  // namespace slack_intel::cache

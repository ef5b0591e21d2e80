#pragma once

#include <map>
#include <string>
#include <string_view>

#include "util/result.h"

namespace slack_intel {

// key -> value of one [section]. Keys are lowercase; values trimmed.
using IniSection = std::map<std::string, std::string>;
// section name (as written between the brackets, trimmed) -> its keys.
using IniFile = std::map<std::string, IniSection>;

// Parses the INI dialect of ~/.aws/config and ~/.aws/credentials: [section] headers,
// "key = value" lines, '#' and ';' comment lines, and indented "sub_key = value" lines under a
// "key =" line with no value (stored as "key.sub_key"). A later duplicate key wins.
// Errors: kInvalidArgument naming `source` and the line, e.g. "~/.aws/config:7: ...".
Result<IniFile> ParseIniFile(std::string_view text, std::string_view source);

}  // namespace slack_intel

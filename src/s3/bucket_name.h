#pragma once

#include <string_view>

#include "util/status.h"

namespace slack_intel::s3 {

// Checks `name` against S3's general-purpose bucket naming rules (3-63 characters of
// lowercase letters, digits, '.' and '-'; starts and ends with a letter or digit; no "..";
// not an IPv4 address; no reserved prefix or suffix), so a typo fails before any request.
// Returns kInvalidArgument naming the broken rule; a URL ("s3://b/p") gets a hint to use
// --bucket and --prefix instead.
Status ValidateBucketName(std::string_view name);

}  // namespace slack_intel::s3

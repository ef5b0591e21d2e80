#pragma once

#include <string>
#include <string_view>

namespace slack_intel {

// `text` with secrets replaced by "<redacted>", for anything that may reach a log or an error:
// Authorization header values (SigV4 signatures, Bearer and Basic credentials), AWS session
// tokens and secret keys in headers, INI files and JSON replies, SSO access tokens, and Slack
// tokens (xoxb-, xoxp-, xapp-, ...). Everything else is kept, so messages stay useful.
std::string RedactSecrets(std::string_view text);

}  // namespace slack_intel

#include "util/redact.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace slack_intel {
namespace {

constexpr std::string_view kRedacted = "<redacted>";

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool StartsWithIgnoreCase(std::string_view text, size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[at + i]) != Lower(prefix[i])) return false;
  }
  return true;
}

// Names after which a value is secret. The value starts after the name and any of ' ', ':',
// '=', '"' and ends at a line end, a quote, a comma or '&' (query strings).
constexpr std::array<std::string_view, 12> kSecretNames = {"authorization",
                                                           "x-amz-security-token",
                                                           "aws_secret_access_key",
                                                           "aws_session_token",
                                                           "secretaccesskey",
                                                           "sessiontoken",
                                                           "\"token\"",
                                                           "accesstoken",
                                                           "x-amz-sso_bearer_token",
                                                           "x-aws-ec2-metadata-token",
                                                           "webidentitytoken",
                                                           "client_secret"};

bool IsValueEnd(char c, bool whole_line) {
  return c == '\n' || c == '\r' || c == '"' || c == '&' || (!whole_line && (c == ',' || c == ' '));
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    bool redacted = false;
    for (std::string_view name : kSecretNames) {
      if (!StartsWithIgnoreCase(text, i, name)) continue;
      size_t value = i + name.size();
      bool assigned = false;  // "name: value" or "name = value", not "the authorization header"
      while (value < text.size() &&
             (text[value] == ' ' || text[value] == ':' || text[value] == '=' ||
              text[value] == '"' || text[value] == '\t')) {
        assigned |= text[value] == ':' || text[value] == '=';
        ++value;
      }
      if (!assigned) continue;
      // Authorization values have spaces ("AWS4-HMAC-SHA256 Credential=..."): up to the line end.
      const bool whole_line = name == "authorization";
      size_t end = value;
      while (end < text.size() && !IsValueEnd(text[end], whole_line)) ++end;
      out.append(text.substr(i, value - i));
      out.append(kRedacted);
      i = end;
      redacted = true;
      break;
    }
    if (redacted) continue;
    // Slack tokens: xox?- or xapp- followed by token characters. "xoxb-..." and "(xoxp-)" show a
    // token's shape in help and errors: no letter or digit after the dash, no token.
    const bool slack =
        ((StartsWithIgnoreCase(text, i, "xox") && i + 4 < text.size() && text[i + 4] == '-') ||
         StartsWithIgnoreCase(text, i, "xapp-")) &&
        i + 5 < text.size() && std::isalnum(static_cast<unsigned char>(text[i + 5]));
    if (slack && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      size_t end = i;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-'))
        ++end;
      out.append(kRedacted);
      i = end;
      continue;
    }
    out += text[i++];
  }
  return out;
}

}  // namespace slack_intel

#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace slack_intel::http {

// The parts of an http(s) URL a connection needs. `host` has no brackets (an IPv6 literal is
// bare); `authority` is host[:port] as written, for the Host header; `target` is the path and
// query as given ("/" when empty), already percent-encoded.
struct Url {
  std::string scheme;  // "http" or "https", lowercase
  std::string host;
  int port = 0;  // the scheme's default when the URL has none
  std::string authority;
  std::string target;
};

// Errors: kInvalidArgument for anything but http:// or https://, an empty host, user info or a
// port that is not 1-65535.
Result<Url> ParseUrl(std::string_view url);

// Percent escapes decoded ("%2F" -> '/'); with `plus_is_space`, '+' -> ' ' as in S3's "url"
// encoding of listed keys. A '%' without two hex digits after it stays as it is.
std::string PercentDecode(std::string_view text, bool plus_is_space = false);

}  // namespace slack_intel::http

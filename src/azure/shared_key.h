#pragma once

// Azure Storage's Shared Key authorization ("Authorize with Shared Key", Blob service, version
// 2015-02-21 and later): an HMAC-SHA256, under the account key, of the request's verb, its
// standard headers, its x-ms-* headers and its resource.

#include <string>
#include <string_view>

#include "util/http/http_client.h"

namespace slack_intel::azure {

// The string Shared Key signs for `request` (its url complete and percent-encoded, its headers
// final, x-ms-date among them): VERB, the eleven standard headers (Content-Length empty when
// 0), the x-ms-* headers lowercased and sorted, then "/ACCOUNT" + the URL's path + each query
// parameter as "\nname:value" (names lowercased and sorted, values decoded).
std::string SharedKeyStringToSign(const http::Request& request, std::string_view account);

// Adds "Authorization: SharedKey ACCOUNT:SIGNATURE". `key` is the account key as the portal
// shows it (base64). REQUIRES: the key decodes (StorageAccount checks it).
void SignSharedKey(http::Request& request, std::string_view account, std::string_view key);

// An HTTP date for x-ms-date: "Mon, 07 Dec 2026 17:00:00 GMT".
std::string HttpDate(int64_t unix_seconds);

}  // namespace slack_intel::azure

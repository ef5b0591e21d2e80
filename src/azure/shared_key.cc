#include "azure/shared_key.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <vector>

#include "aws/hmac.h"
#include "util/digest.h"
#include "util/http/url.h"
#include "util/text.h"

namespace slack_intel::azure {
namespace {

std::string HeaderValue(const http::Request& request, std::string_view name) {
  for (const http::Header& h : request.headers) {
    if (AsciiLower(h.name) == name) return h.value;
  }
  return "";
}

}  // namespace

std::string SharedKeyStringToSign(const http::Request& request, std::string_view account) {
  std::string out = request.method + "\n";
  for (const char* name :
       {"content-encoding", "content-language", "content-length", "content-md5", "content-type",
        "date", "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"}) {
    std::string value = HeaderValue(request, name);
    if (std::string_view(name) == "content-length" && value == "0") value.clear();
    out += value + "\n";
  }
  std::map<std::string, std::string> ms_headers;
  for (const http::Header& h : request.headers) {
    std::string name = AsciiLower(h.name);
    if (name.starts_with("x-ms-")) ms_headers[name] = FoldSpaces(h.value);
  }
  for (const auto& [name, value] : ms_headers) out += name + ":" + value + "\n";

  // The resource: the path after scheme://host, then the query's parameters.
  const size_t scheme = request.url.find("://");
  const size_t path_start = request.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string_view rest =
      path_start == std::string::npos ? "/" : std::string_view(request.url).substr(path_start);
  const size_t question = rest.find('?');
  out += fmt::format("/{}{}", account, rest.substr(0, question));
  if (question != std::string_view::npos) {
    std::map<std::string, std::vector<std::string>> params;
    std::string_view query = rest.substr(question + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      const size_t eq = pair.find('=');
      params[AsciiLower(http::PercentDecode(pair.substr(0, eq)))].push_back(
          eq == std::string_view::npos ? "" : http::PercentDecode(pair.substr(eq + 1)));
      query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    }
    for (auto& [name, values] : params) {
      std::sort(values.begin(), values.end());
      out += fmt::format("\n{}:{}", name, fmt::join(values, ","));
    }
  }
  return out;
}

void SignSharedKey(http::Request& request, std::string_view account, std::string_view key) {
  const std::string secret = Base64Decode(key).value_or("");
  const std::string signature =
      Base64Encode(aws::HmacSha256(secret, SharedKeyStringToSign(request, account)));
  request.headers.push_back({"authorization", fmt::format("SharedKey {}:{}", account, signature)});
}

std::string HttpDate(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace slack_intel::azure

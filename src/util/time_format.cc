#include "util/time_format.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace slack_intel {

std::string FormatUnixMicrosUtc(int64_t micros) {
  int64_t seconds = micros / 1000000;
  int64_t fraction = micros % 1000000;
  if (fraction < 0) {  // floor, so pre-1970 instants keep a positive fraction
    fraction += 1000000;
    seconds -= 1;
  }
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, fraction);
}

Result<std::chrono::system_clock::time_point> ParseIso8601Utc(const std::string& text) {
  std::tm tm{};
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return Status::Corruption(fmt::format("not an ISO 8601 time: '{}'", text));
  }
  const size_t after_seconds = 19;
  std::string_view rest = std::string_view(text).substr(std::min(text.size(), after_seconds));
  if (!rest.empty() && rest.front() == '.') {
    size_t digits = 1;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    rest.remove_prefix(digits);
  }
  if (rest != "Z" && rest != "+00:00" && rest != "+0000" && !rest.empty()) {
    return Status::Corruption(fmt::format("time '{}' is not in UTC", text));
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Result<std::chrono::system_clock::time_point> ParseHttpDate(const std::string& text) {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  std::tm tm{};
  char weekday[4] = {}, month[4] = {}, zone[4] = {};
  if (std::sscanf(text.c_str(), "%3s, %2d %3s %4d %2d:%2d:%2d %3s", weekday, &tm.tm_mday, month,
                  &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone) != 8 ||
      std::string_view(zone) != "GMT") {
    return Status::Corruption(fmt::format("not an HTTP date: '{}'", text));
  }
  const size_t at = kMonths.find(month);
  if (std::string_view(month).size() != 3 || at == std::string_view::npos || at % 3 != 0)
    return Status::Corruption(fmt::format("not an HTTP date: '{}'", text));
  tm.tm_mon = static_cast<int>(at / 3);
  tm.tm_year -= 1900;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace slack_intel

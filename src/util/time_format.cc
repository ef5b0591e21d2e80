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

namespace {

// Days from 1970-01-01 to the given proleptic Gregorian date (the era arithmetic of
// "chrono-compatible low-level date algorithms"): no table, no time zone, no library call, as
// every object of a listing needs one.
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// The number of `width` digits at `at` of `text`, or -1.
int Digits(std::string_view text, size_t at, size_t width) {
  if (at + width > text.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Result<std::chrono::system_clock::time_point> ParseIso8601Utc(const std::string& text) {
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z or +00:00 (AWS prints UTC only).
  const std::string_view t = text;
  const int year = Digits(t, 0, 4), month = Digits(t, 5, 2), day = Digits(t, 8, 2);
  const int hour = Digits(t, 11, 2), minute = Digits(t, 14, 2), second = Digits(t, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || t[4] != '-' || t[7] != '-' ||
      (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || t[13] != ':' || t[16] != ':') {
    return Status::Corruption(fmt::format("not an ISO 8601 time: '{}'", text));
  }
  std::string_view rest = t.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    size_t digits = 1;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    rest.remove_prefix(digits);
  }
  if (rest != "Z" && rest != "+00:00" && rest != "+0000" && !rest.empty()) {
    return Status::Corruption(fmt::format("time '{}' is not in UTC", text));
  }
  const int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
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

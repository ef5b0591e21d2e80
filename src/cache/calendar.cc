#include "cache/calendar.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace slack_intel::cache {
namespace {

std::mutex& ZoneMutex() {
  static std::mutex mutex;  // guards the process's TZ and the C library's zone state
  return mutex;
}

}  // namespace

Result<Calendar> Calendar::ForZone(const std::string& zone) {
  std::error_code error;
  const bool known =
      zone == "UTC" || (!zone.empty() && zone.find("..") == std::string::npos &&
                        std::filesystem::is_regular_file("/usr/share/zoneinfo/" + zone, error));
  if (!known) {
    return Status::InvalidArgument(fmt::format(
        "unknown time zone '{}' (use an IANA name such as UTC or America/New_York)", zone));
  }
  return Calendar(zone);
}

void Calendar::UseZone() const {
  ::setenv("TZ", zone_ == "UTC" ? "UTC0" : (":" + zone_).c_str(), 1);
  ::tzset();
}

std::string Calendar::DayOf(int64_t unix_seconds) const {
  std::lock_guard lock(ZoneMutex());
  UseZone();
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

Result<int64_t> Calendar::StartOf(const std::string& day) const {
  int year = 0, month = 0, mday = 0;
  char tail = 0;
  if (std::sscanf(day.c_str(), "%4d-%2d-%2d%c", &year, &month, &mday, &tail) != 3 || month < 1 ||
      month > 12 || mday < 1 || mday > 31) {
    return Status::InvalidArgument(fmt::format("not a day: '{}' (use YYYY-MM-DD)", day));
  }
  std::lock_guard lock(ZoneMutex());
  UseZone();
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = mday;
  tm.tm_isdst = -1;  // let the zone decide
  return static_cast<int64_t>(std::mktime(&tm));
}

Result<std::string> Calendar::AddDays(const std::string& day, int days) const {
  SLACK_INTEL_ASSIGN_OR_RETURN(int64_t start, StartOf(day));
  // Noon avoids landing on the wrong day across a DST change.
  return DayOf(start + 12 * 3600 + static_cast<int64_t>(days) * 86400);
}

}  // namespace slack_intel::cache

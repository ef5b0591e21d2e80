#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "util/result.h"

namespace slack_intel::cache {

// Calendar days in one time zone (an IANA name from the system's tz database, e.g.
// "Europe/Berlin", or "UTC"): which day an instant falls on, and where a day starts.
// Thread-safe (the C library's zone state is process-wide, so calls are serialised).
class Calendar {
 public:
  // Errors: kInvalidArgument for a zone the system does not know.
  static Result<Calendar> ForZone(const std::string& zone);

  // "YYYY-MM-DD" of the instant `unix_seconds`.
  std::string DayOf(int64_t unix_seconds) const;
  // The first second of `day` ("YYYY-MM-DD"). Errors: kInvalidArgument for a malformed day.
  Result<int64_t> StartOf(const std::string& day) const;
  // The day `days` after (or before, if negative) `day`.
  Result<std::string> AddDays(const std::string& day, int days) const;
  const std::string& zone() const { return zone_; }

 private:
  explicit Calendar(std::string zone) : zone_(std::move(zone)) {}
  void UseZone() const;  // REQUIRES: the global mutex held

  std::string zone_;
};

}  // namespace slack_intel::cache

#include "util/time_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>

namespace slack_intel {
namespace {

int64_t Seconds(const Result<std::chrono::system_clock::time_point>& time) {
  EXPECT_TRUE(time.ok()) << time.status().message();
  return time.ok()
             ? std::chrono::duration_cast<std::chrono::seconds>(time->time_since_epoch()).count()
             : -1;
}

// The listing's LastModified of every object goes through this: checked against timegm over
// leap days, century rules (1900, 2000, 2100) and the ends of months, about every day.
TEST(ParseIso8601Utc, AgreesWithTimegmAndRefusesWhatIsNotAUtcTime) {
  for (int64_t t = -2208988800; t < 7258118400; t += 86400 + 3661) {  // 1900 .. 2200
    const auto time = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    ASSERT_EQ(Seconds(ParseIso8601Utc(text)), t) << text;
  }
  EXPECT_EQ(Seconds(ParseIso8601Utc("2025-10-21T00:00:00Z")), 1761004800);
  EXPECT_EQ(Seconds(ParseIso8601Utc("2025-10-21T00:00:00.123456+00:00")), 1761004800);
  EXPECT_EQ(Seconds(ParseIso8601Utc("2024-02-29T23:59:59")), 1709251199);
  for (const char* bad : {"", "2025-10-21", "2025-10-21T00:00:0", "2025-13-01T00:00:00Z",
                          "2025/10/21T00:00:00Z", "2025-10-21T00:00:00+02:00", "x025-10-21T0"}) {
    EXPECT_EQ(ParseIso8601Utc(bad).status().code(), StatusCode::kCorruption) << bad;
  }
}

TEST(ParseHttpDate, ReadsS3sLastModified) {
  EXPECT_EQ(Seconds(ParseHttpDate("Tue, 21 Oct 2025 00:00:00 GMT")), 1761004800);
  EXPECT_EQ(Seconds(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT")), 784111777);
  for (const char* bad : {"", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "1994-11-06T08:49:37Z"}) {
    EXPECT_EQ(ParseHttpDate(bad).status().code(), StatusCode::kCorruption) << bad;
  }
}

}  // namespace
}  // namespace slack_intel

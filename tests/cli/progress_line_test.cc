#include "cli/progress_line.h"

#include <gtest/gtest.h>

namespace slack_intel::cli {
namespace {

TEST(FormatProgress, ShowsFilesBytesRateAndTimeLeft) {
  EXPECT_EQ(FormatProgress(120, 600, 50'000'000, 200'000'000, 10.0, 10),
            "[##........] 120/600 files  50.0/200.0 MB  5.0 MB/s  ETA 0:30");
  EXPECT_EQ(FormatProgress(0, 3, 0, 0, 0.0, 4),
            "[....] 0/3 files  0.0/0.0 MB  0.0 MB/s  ETA --:--");
  EXPECT_EQ(FormatProgress(3, 3, 9'000'000, 9'000'000, 1.0, 4),
            "[####] 3/3 files  9.0/9.0 MB  9.0 MB/s  ETA 0:00");
}

}  // namespace
}  // namespace slack_intel::cli

#include "util/adaptive_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/fake_clock.h"

namespace slack_intel {
namespace {

TEST(AdaptiveLimit, HalvesOncePerBurstOfSlowDownsAndGrowsBackWithSuccesses) {
  testing::FakeClock clock;
  AdaptiveLimit limit(16, clock);
  EXPECT_EQ(limit.limit(), 16);
  for (int i = 0; i < 8; ++i) {  // eight requests of one burst all told to slow down
    limit.Acquire();
    limit.Release(true);
  }
  EXPECT_EQ(limit.limit(), 8) << "one burst is one signal";
  clock.Advance(std::chrono::seconds(2));
  limit.Acquire();
  limit.Release(true);
  EXPECT_EQ(limit.limit(), 4);
  for (int i = 0; i < 3; ++i) {
    clock.Advance(std::chrono::seconds(2));
    limit.Acquire();
    limit.Release(true);
  }
  EXPECT_EQ(limit.limit(), 1) << "never below one";
  for (int i = 0; i < 200; ++i) {
    limit.Acquire();
    limit.Release(false);
  }
  EXPECT_EQ(limit.limit(), 16) << "successes bring it back, never above the maximum";
}

TEST(AdaptiveLimit, NeverLetsMoreThanTheLimitRunAtOnce) {
  AdaptiveLimit limit(3);
  std::atomic<int> running{0}, most{0};
  std::vector<std::jthread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        AdaptiveLimitSlot slot(&limit);
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --running;
      }
    });
  }
  threads.clear();  // joins
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 1);
}

}  // namespace
}  // namespace slack_intel

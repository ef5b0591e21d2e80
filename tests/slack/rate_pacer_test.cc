// The Slack client's pacing against simulated Slack limiters, on an injected clock: how long a
// small workspace's cache takes against the bound its limits allow, and how many calls are
// refused on the way.
#include "slack/rate_pacer.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "slack/slack_client.h"
#include "support/fake_clock.h"

namespace slack_intel::slack {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

constexpr milliseconds kServiceTime{4};  // one call's round trip

// A method's limit as Slack applies it: at most `calls` in any `window`; a refused call is
// answered 429 with the seconds until a slot frees.
class SlidingWindow {
 public:
  SlidingWindow(int calls, milliseconds window) : calls_(calls), window_(window) {}
  // 0 = allowed; else the Retry-After in seconds.
  int Take(TimePoint now) {
    while (!taken_.empty() && now - taken_.front() >= window_) taken_.pop_front();
    if (static_cast<int>(taken_.size()) < calls_) {
      taken_.push_back(now);
      return 0;
    }
    const auto free_in = taken_.front() + window_ - now;
    return static_cast<int>(std::max<int64_t>(1, std::chrono::ceil<seconds>(free_in).count()));
  }

 private:
  int calls_;
  milliseconds window_;
  std::deque<TimePoint> taken_;
};

struct LimiterSpec {
  std::function<int(const std::string&)> calls_per_window;
  milliseconds window;
  int refuse_every = 0;       // every Nth call of a method is refused (Retry-After: 1)
  bool refuse_first = false;  // the first call of every method is refused (Retry-After: 1)
};

// Answers Slack methods as the stand-in does, after the limiter, on the fake clock.
class SimulatedSlack final : public http::HttpClient {
 public:
  SimulatedSlack(LimiterSpec spec, testing::FakeClock& clock, int* calls, int* refused)
      : spec_(std::move(spec)), clock_(clock), calls_(calls), refused_(refused) {}

  Result<http::Response> Send(const http::Request& request) override {
    const std::string method = request.url.substr(request.url.rfind('/') + 1);
    clock_.Advance(kServiceTime);
    ++*calls_;
    const int call_number = ++calls_by_method_[method];
    auto [window, added] =
        windows_.try_emplace(method, spec_.calls_per_window(method), spec_.window);
    int retry_after = 0;
    if ((spec_.refuse_first && call_number == 1) ||
        (spec_.refuse_every > 0 && call_number % spec_.refuse_every == 0)) {
      retry_after = 1;
    } else {
      retry_after = window->second.Take(clock_.Now());
    }
    http::Response response;
    if (retry_after > 0) {
      ++*refused_;
      response.status = 429;
      response.headers.push_back({"retry-after", std::to_string(retry_after)});
      response.body = R"({"ok":false,"error":"ratelimited"})";
      return response;
    }
    response.status = 200;
    if (method == "auth.test") {
      response.body = R"({"ok":true,"team":"T"})";
    } else if (method == "conversations.list") {
      response.body = R"({"ok":true,"channels":[],"response_metadata":{"next_cursor":""}})";
    } else if (method == "users.list") {
      response.body = R"({"ok":true,"members":[],"response_metadata":{"next_cursor":""}})";
    } else {
      response.body = R"({"ok":true,"messages":[{"type":"message","ts":"1.000001","text":"x"}]})";
    }
    return response;
  }

 private:
  LimiterSpec spec_;
  testing::FakeClock& clock_;
  int* calls_;
  int* refused_;
  std::map<std::string, int> calls_by_method_;
  std::map<std::string, SlidingWindow> windows_;
};

struct CacheRun {
  double seconds = 0;
  int calls = 0;  // successful and refused
  int refused = 0;
};

// The calls `cache` makes for a workspace of `threads_per_channel.size()` channels: the lists,
// then per channel one history page and one replies page per thread.
CacheRun CacheWorkspace(const LimiterSpec& spec, const std::vector<int>& threads_per_channel) {
  testing::FakeClock clock;
  const TimePoint start = clock.Now();
  CacheRun run;
  SlackClientOptions options;
  options.base_url = "http://slack.invalid/api";
  options.token = "xoxb-test";
  options.clock = &clock;
  options.make_http_client = [&] {
    return std::make_unique<SimulatedSlack>(spec, clock, &run.calls, &run.refused);
  };
  SlackClient client(options);
  EXPECT_TRUE(client.AuthTest().ok());
  EXPECT_TRUE(client.ListChannels(false).ok());
  EXPECT_TRUE(client.ListUsers().ok());
  for (size_t channel = 0; channel < threads_per_channel.size(); ++channel) {
    EXPECT_TRUE(client.History("C" + std::to_string(channel), "", "").ok());
    for (int thread = 0; thread < threads_per_channel[channel]; ++thread)
      EXPECT_TRUE(client.Replies("C" + std::to_string(channel), "1.000001").ok());
  }
  run.seconds = std::chrono::duration<double>(clock.Now() - start).count();
  ::testing::Test::RecordProperty("seconds", std::to_string(run.seconds));
  ::testing::Test::RecordProperty("calls", run.calls);
  ::testing::Test::RecordProperty("refused", run.refused);
  return run;
}

// 37 calls: 3 lists, 5 history pages, 29 replies pages.
const std::vector<int> kSmallWorkspace = {6, 7, 5, 6, 5};
constexpr int kSmallWorkspaceCalls = 37;

LimiterSpec OneCallPerSecond() {
  return {[](const std::string&) { return 1; }, seconds(1)};
}

TEST(RatePacer, ASharedQuotaThatRefusesOneCallInFiveCostsLittleMoreThanItsBound) {
  LimiterSpec spec = OneCallPerSecond();
  spec.refuse_every = 5;  // another job spends the same token's quota
  const CacheRun run = CacheWorkspace(spec, kSmallWorkspace);
  const double bound = kSmallWorkspaceCalls / 1.0;  // calls / allowed rate
  EXPECT_LE(run.seconds, 1.3 * bound) << run.calls << " calls, " << run.refused << " refused";
  // The old pacer learnt one call a minute from the first refusal: 12 calls in 120 s.
  EXPECT_GE(run.calls, kSmallWorkspaceCalls);
  EXPECT_LE(run.refused, kSmallWorkspaceCalls / 2) << "paced, not hammering the limit";
}

TEST(RatePacer, RefusingTheFirstCallOfEveryMethodDoesNotSlowTheRestDown) {
  LimiterSpec spec = OneCallPerSecond();
  spec.refuse_first = true;
  const CacheRun run = CacheWorkspace(spec, kSmallWorkspace);
  EXPECT_LE(run.seconds, 1.3 * kSmallWorkspaceCalls)
      << run.calls << " calls, " << run.refused << " refused";
  EXPECT_LE(run.refused, kSmallWorkspaceCalls / 2);
}

// The bench's throttled case: Slack's tiers x 10 in a sliding minute, 33 channels x 56
// threads. The bound: the first window's calls go at once, every later window is used fully.
TEST(RatePacer, TiersTimesTenReachTheWindowBound) {
  const LimiterSpec spec = {[](const std::string& m) { return TierCallsPerMinute(m) * 10; },
                            seconds(60)};
  const std::vector<int> workspace(33, 56);
  const int replies = 33 * 56, allowed = TierCallsPerMinute("conversations.replies") * 10;
  const double bound = (replies - allowed) / static_cast<double>(allowed) * 60;
  const CacheRun run = CacheWorkspace(spec, workspace);
  EXPECT_LE(run.seconds, 1.15 * bound) << run.calls << " calls, " << run.refused << " refused";
  EXPECT_LE(run.refused, 10);
}

TEST(RatePacer, TheSameWithTheFirstCallOfEveryMethodRefused) {
  LimiterSpec spec = {[](const std::string& m) { return TierCallsPerMinute(m) * 10; }, seconds(60)};
  spec.refuse_first = true;
  const std::vector<int> workspace(33, 56);
  const int replies = 33 * 56, allowed = TierCallsPerMinute("conversations.replies") * 10;
  const double bound = (replies - allowed) / static_cast<double>(allowed) * 60;
  const CacheRun run = CacheWorkspace(spec, workspace);
  EXPECT_LE(run.seconds, 1.3 * bound) << run.calls << " calls, " << run.refused << " refused";
}

// A non-Marketplace app since 2025: history and replies at one call a minute each. Every
// refusal is waited out for exactly its Retry-After, so the run takes what the limit allows.
TEST(RatePacer, OneCallAMinuteTakesWhatTheLimitAllows) {
  const LimiterSpec spec = {
      [](const std::string& m) {
        return m == "conversations.history" || m == "conversations.replies" ? 1 : 20;
      },
      seconds(60)};
  const std::vector<int> workspace(40, 1);  // 40 history and 40 replies calls
  const CacheRun run = CacheWorkspace(spec, workspace);
  const double bound = (40 - 1) * 60.0;  // each method's 40 calls, a minute apart
  EXPECT_LE(run.seconds, 1.1 * bound) << run.calls << " calls, " << run.refused << " refused";
}

TEST(RatePacer, UnpacedUntilACallIsRefusedThenPacedAtWhatGotThrough) {
  testing::FakeClock clock;
  RatePacer pacer(clock);
  for (int i = 0; i < 100; ++i) {  // 100 calls in 30 s
    clock.Advance(milliseconds(300));
    EXPECT_EQ(pacer.Wait("conversations.history"), milliseconds(0)) << "bursts are free";
    pacer.Succeeded("conversations.history");
  }
  EXPECT_EQ(pacer.calls_per_minute("conversations.history"), 0);
  // The server's window frees in 30 s: 100 calls in about a minute, more than the tier's 50.
  pacer.Limited("conversations.history", seconds(30));
  EXPECT_NEAR(pacer.calls_per_minute("conversations.history"), 100, 1);
  EXPECT_EQ(pacer.Wait("conversations.history"), seconds(30)) << "Retry-After first";
  // Then the minute's allowance: half of it built up during the wait, the rest at the pace.
  milliseconds waited{0};
  for (int i = 0; i < 100; ++i) {
    waited += pacer.Wait("conversations.history");
    pacer.Succeeded("conversations.history");
  }
  EXPECT_GE(waited, seconds(29));
  EXPECT_LE(waited, seconds(31));
  EXPECT_EQ(pacer.Wait("users.list"), milliseconds(0)) << "per method";
}

TEST(RatePacer, ARefusalWithNothingLearntIsOnlyWaitedOut) {
  testing::FakeClock clock;
  RatePacer pacer(clock);
  pacer.Limited("conversations.replies", seconds(3));
  EXPECT_EQ(pacer.calls_per_minute("conversations.replies"), 0);
  EXPECT_EQ(pacer.Wait("conversations.replies"), seconds(3));
  pacer.Succeeded("conversations.replies");
  clock.Advance(seconds(10));
  pacer.Limited("conversations.replies", seconds(1));  // one call in 11 s got through
  EXPECT_DOUBLE_EQ(pacer.calls_per_minute("conversations.replies"), 50) << "the tier rate";
}

TEST(RatePacer, SlowsDownOnceAMinuteAtMostThenRecoversWhileCallsSucceed) {
  testing::FakeClock clock;
  RatePacer pacer(clock);
  pacer.Succeeded("conversations.replies");
  clock.Advance(seconds(1));
  pacer.Limited("conversations.replies", seconds(1));  // one call per 2 s
  ASSERT_DOUBLE_EQ(pacer.calls_per_minute("conversations.replies"), 50) << "the tier rate";
  clock.Advance(seconds(1));
  pacer.Limited("conversations.replies", seconds(1));
  EXPECT_DOUBLE_EQ(pacer.calls_per_minute("conversations.replies"), 50) << "one burst, one signal";
  clock.Advance(seconds(60));
  pacer.Limited("conversations.replies", seconds(1));
  EXPECT_DOUBLE_EQ(pacer.calls_per_minute("conversations.replies"), 42.5);
  for (int i = 0; i < 30; ++i) {
    pacer.Wait("conversations.replies");
    pacer.Succeeded("conversations.replies");
  }
  EXPECT_DOUBLE_EQ(pacer.calls_per_minute("conversations.replies"), 50)
      << "back to where it was refused, not past it while refusals are recent";
  for (int i = 0; i < 200; ++i) {
    pacer.Wait("conversations.replies");
    pacer.Succeeded("conversations.replies");
  }
  EXPECT_GT(pacer.calls_per_minute("conversations.replies"), 51)
      << "a quiet minute later, it probes for more";
}

TEST(RatePacer, AHostileRetryAfterIsBounded) {
  testing::FakeClock clock;
  RatePacer pacer(clock);
  pacer.Limited("auth.test", std::chrono::hours(24 * 365));
  EXPECT_EQ(pacer.Wait("auth.test"), http::kMaxRetryAfter);
}

}  // namespace
}  // namespace slack_intel::slack

// The Slack client against replies a real Slack would not send, but a proxy, a bug or a hostile
// server might: bytes that are not UTF-8, messages whose ts is not a timestamp, paging that
// would never end.
#include "slack/slack_client.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "support/fake_clock.h"

namespace slack_intel::slack {
namespace {

// Answers every request with what `reply(request body)` gives, as HTTP 200.
class CannedSlack final : public http::HttpClient {
 public:
  explicit CannedSlack(std::function<std::string(const std::string&)> reply)
      : reply_(std::move(reply)) {}
  Result<http::Response> Send(const http::Request& request) override {
    http::Response response;
    response.status = 200;
    response.body = reply_(request.body);
    return response;
  }

 private:
  std::function<std::string(const std::string&)> reply_;
};

SlackClient ClientAnswering(testing::FakeClock& clock,
                            std::function<std::string(const std::string&)> reply) {
  SlackClientOptions options;
  options.base_url = "http://slack.invalid/api";
  options.token = "xoxb-test";
  options.clock = &clock;
  options.make_http_client = [reply] { return std::make_unique<CannedSlack>(reply); };
  return SlackClient(options);
}

TEST(SlackClient, AnInvalidUtf8ByteIsRepairedNotFatal) {
  testing::FakeClock clock;
  SlackClient client = ClientAnswering(clock, [](const std::string&) {
    return std::string(R"({"ok":true,"messages":[{"type":"message","ts":"1.000001","text":"caf)") +
           "\xe9" + R"( ok"}]})";
  });
  auto messages = client.History("C1", "", "");
  ASSERT_TRUE(messages.ok()) << messages.status().message();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].text, "caf\xef\xbf\xbd ok") << "U+FFFD, as import repairs files";
}

TEST(SlackClient, MessagesWhoseTsIsNotATimestampAreSkippedAndCounted) {
  testing::FakeClock clock;
  SlackClient client = ClientAnswering(clock, [](const std::string&) {
    return std::string(R"({"ok":true,"messages":[
      {"type":"message","ts":"1700000000.000100","text":"kept"},
      {"type":"message","ts":"yesterday","text":"not a number"},
      {"type":"message","text":"no ts at all"},
      {"type":"message","ts":"1700000000.","text":"a dot and nothing"},
      "not even an object"]})");
  });
  auto messages = client.History("C1", "", "");
  ASSERT_TRUE(messages.ok()) << messages.status().message();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].text, "kept");
  EXPECT_EQ(client.stats().messages_without_ts, 4);
}

TEST(SlackClient, ACursorHandedOutTwiceEndsThePagingWithAClearError) {
  testing::FakeClock clock;
  int calls = 0;
  SlackClient client = ClientAnswering(clock, [&](const std::string&) {
    ++calls;
    return std::string(R"({"ok":true,"has_more":true,"messages":[],
      "response_metadata":{"next_cursor":"bmV4dF90czoxNzAw"}})");
  });
  auto messages = client.History("C1", "", "");
  ASSERT_FALSE(messages.ok());
  EXPECT_EQ(messages.status().code(), StatusCode::kCorruption);
  EXPECT_NE(messages.status().message().find("would never end"), std::string::npos)
      << messages.status().message();
  EXPECT_EQ(calls, 2) << "the first page, and the one that named its cursor again";
}

TEST(SlackClient, CursorsThatCycleAreCaughtToo) {
  testing::FakeClock clock;
  SlackClient client = ClientAnswering(clock, [](const std::string& body) {
    const std::string next = body.find("cursor=A") != std::string::npos ? "B" : "A";
    return R"({"ok":true,"members":[],"response_metadata":{"next_cursor":")" + next + R"("}})";
  });
  auto users = client.ListUsers();
  ASSERT_FALSE(users.ok());
  EXPECT_EQ(users.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace slack_intel::slack

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cache/calendar.h"
#include "cache/jira_keys.h"
#include "cache/layout.h"
#include "cache/tables.h"

namespace slack_intel::cache {
namespace {

TEST(EscapePartitionValue, EscapesWhatHiveEscapesSoAnyChannelNameIsOneSafeFolder) {
  EXPECT_EQ(EscapePartitionValue("dev-ops_2"), "dev-ops_2");
  EXPECT_EQ(EscapePartitionValue("a/b"), "a%2Fb");
  EXPECT_EQ(EscapePartitionValue("x=y:z"), "x%3Dy%3Az");
  EXPECT_EQ(EscapePartitionValue("100%"), "100%25");
  EXPECT_EQ(EscapePartitionValue("tab\there"), "tab%09here");
  EXPECT_EQ(EscapePartitionValue("café-日本"), "café-日本");  // UTF-8 stays as is
  EXPECT_EQ(EscapePartitionValue(".."), "%2E.");
  EXPECT_EQ(EscapePartitionValue(""), "__HIVE_DEFAULT_PARTITION__");
  EXPECT_EQ(MessagesPartitionFile("2026-01-02", "a/b").generic_string(),
            "raw/messages/dt=2026-01-02/channel=a%2Fb/data.parquet");
  EXPECT_EQ(JiraPartitionFile("2026-01-02").generic_string(),
            "raw/jira/dt=2026-01-02/data.parquet");
}

TEST(UnescapePartitionValue, GivesBackEveryNameEscapePartitionValueWasGiven) {
  for (const char* name : {"dev-ops_2", "a/b", "x=y:z", "100%", "tab\there", "café-日本", "..",
                           ".hidden", "", "%41 stays?", "quote'back\\slash"}) {
    EXPECT_EQ(UnescapePartitionValue(EscapePartitionValue(name)), name);
  }
  EXPECT_EQ(UnescapePartitionValue("50%"), "50%");  // not an escape: kept as it is
  EXPECT_EQ(UnescapePartitionValue("%zz%4"), "%zz%4");
  EXPECT_EQ(UnescapePartitionValue("%e2%82%ac"), "€");  // lowercase hex (Spark writes it)
}

TEST(ExtractJiraKeys, FindsKeysInTextAndBrowseLinksOnlyAsWholeWords) {
  EXPECT_EQ(ExtractJiraKeys("fixed OPS-42 and ABC_1-7, see <https://acme.atlassian.net/browse/"
                            "DATA-9|DATA-9> and OPS-42 again"),
            (std::vector<std::string>{"ABC_1-7", "DATA-9", "OPS-42"}));
  EXPECT_TRUE(ExtractJiraKeys("xOPS-1 OPS-1x OPS-01 A-1 ops-1 OPS- -OPS-3 OPS-1-2").empty());
  EXPECT_EQ(ExtractJiraKeys("(OPS-7)."), (std::vector<std::string>{"OPS-7"}));
  EXPECT_EQ(ExtractJiraKeys("日本OPS-7"), (std::vector<std::string>{}));
}

TEST(Calendar, DaysFollowTheTimeZoneAndDaylightSaving) {
  auto utc = Calendar::ForZone("UTC");
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(utc->DayOf(1452837352), "2016-01-15");
  EXPECT_EQ(*utc->StartOf("2016-01-15"), 1452816000);
  EXPECT_EQ(*utc->AddDays("2016-02-28", 2), "2016-03-01");
  auto la = Calendar::ForZone("America/Los_Angeles");
  ASSERT_TRUE(la.ok());
  EXPECT_EQ(la->DayOf(1452837352), "2016-01-14");  // 21:55 the evening before
  // 2026-03-08 is 23 hours long in Los Angeles.
  EXPECT_EQ(*la->StartOf("2026-03-09") - *la->StartOf("2026-03-08"), 23 * 3600);
  EXPECT_EQ(*la->AddDays("2026-03-08", 1), "2026-03-09");
  EXPECT_EQ(Calendar::ForZone("Mars/Olympus").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Calendar::ForZone("../../etc/passwd").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(utc->StartOf("2016-13-01").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(utc->StartOf("yesterday").status().code(), StatusCode::kInvalidArgument);
}

TEST(Ts, OrdersNumericallyAndConvertsToIso) {
  EXPECT_TRUE(TsLess("999.000001", "1000.000000"));
  EXPECT_TRUE(TsLess("1452837318.000002", "1452837318.000010"));
  EXPECT_FALSE(TsLess("1452837318.000002", "1452837318.000002"));
  EXPECT_EQ(TsToIso("1452837352.000006"), "2016-01-15T05:55:52.000006Z");
  EXPECT_EQ(TsToIso("1452837352"), "2016-01-15T05:55:52.000000Z");
}

MessageRow Row(const std::string& ts, const std::string& text) {
  MessageRow row;
  row.message_id = ts;
  row.user_id = "U1";
  row.text = text;
  row.timestamp = TsToIso(ts);
  row.jira_tickets = ExtractJiraKeys(text);
  row.channel_id = "C1";
  return row;
}

TEST(MessageTable, RoundTripsSortedAndIdenticalRowsGiveIdenticalBytes) {
  MessageRow reply = Row("1452837400.000001", "re: OPS-1 ✓");
  reply.thread_ts = "1452837352.000006";
  reply.is_thread_reply = true;
  reply.user_name = "ana";
  reply.user_real_name = "Ana Lima";
  reply.edited_ts = "1452837500.000000";
  MessageRow bot = Row("1452837352.000006", "");
  bot.user_id.reset();
  bot.subtype = "bot_message";
  bot.bot_id = "B1";
  const std::vector<MessageRow> rows = {reply, bot};
  auto bytes = EncodeMessages(rows);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_EQ(*EncodeMessages({bot, reply}), *bytes) << "order of the input must not matter";
  auto back = DecodeMessages(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, (std::vector<MessageRow>{bot, reply}));
}

TEST(MessageTable, InvalidUtf8IsRepairedAndOtherFilesAreRefused) {
  auto bytes = EncodeMessages({Row("1.000000", std::string("bad \xff byte"))});
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto back = DecodeMessages(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->front().text, "bad \xEF\xBF\xBD byte");
  auto users = EncodeUsers({{"U1", "ana", "Ana", std::nullopt, false, false, "UTC"}});
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(DecodeMessages(*users).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeMessages("PAR1 not really").status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace slack_intel::cache

#include "import/export_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "support/temp_dir.h"

namespace slack_intel::import {
namespace {

namespace fs = std::filesystem;

class ExportSourceTest : public ::testing::Test {
 protected:
  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((dir_.path() / relative).parent_path());
    std::ofstream(dir_.path() / relative, std::ios::binary) << text;
  }

  std::unique_ptr<ExportSource> Open() {
    auto archive = ExportArchive::Open(dir_.path());
    EXPECT_TRUE(archive.ok()) << archive.status().message();
    auto source = ExportSource::Open(std::move(*archive));
    EXPECT_TRUE(source.ok()) << source.status().message();
    return std::move(*source);
  }

  testing::TempDir dir_;
};

TEST_F(ExportSourceTest, ThreadsAreReassembledAcrossDayFilesAsTheApiWouldServeThem) {
  // `created` as a string and a renamed channel whose folder still has the old name.
  Write("channels.json",
        R"([{"id":"C1","name":"general","created":"1767225600","is_archived":false},
            {"id":"C2","name":"new-name","previous_names":["old-name"],"is_archived":true}])");
  Write("groups.json", R"([{"id":"G1","name":"secret"}])");
  Write("users.json", R"([{"id":"U1","name":"ana","real_name":"Ana"}])");
  Write("org_users.json", R"([{"id":"U2","name":"bo"},{"id":"U1","name":"dup"}])");
  Write("dms.json", R"([{"id":"D1","members":["U1","U2"]}])");
  // The parent claims 5 replies; the export holds 2 (one broadcast), one in the next day file.
  Write("general/2026-01-01.json", R"([
    {"type":"message","ts":"1767225600.000100","user":"U1","text":"parent","thread_ts":"1767225600.000100","reply_count":5},
    {"type":"message","ts":"1767225700.000100","subtype":"bot_message","bot_id":"B1","text":"bot, no user"},
    {"type":"message","ts":"1767225800.000100","user":"U3"},
    {"type":"message","text":"no ts"},
    {"type":"message","ts":"1767225900.000100","user":"U1","text":"reply to a lost parent","thread_ts":"1767000000.000100"}
  ])");
  Write("general/2026-01-02.json", R"([
    {"type":"message","ts":"1767312000.000100","user":"U2","text":"reply","thread_ts":"1767225600.000100"},
    {"type":"message","ts":"1767312100.000100","user":"U2","text":"broadcast","subtype":"thread_broadcast","thread_ts":"1767225600.000100"}
  ])");
  Write("general/canvas.json", "{}");
  Write("old-name/2025-12-31.json",
        R"([{"type":"message","ts":"1767139200.000100","text":"old"}])");
  Write("D1/2026-01-01.json", R"([{"type":"message","ts":"1767225600.000200","text":"dm"}])");

  auto source = Open();
  ASSERT_TRUE(source);
  auto channels = source->ListChannels(true);
  ASSERT_EQ(channels->size(), 3u);
  EXPECT_TRUE((*channels)[2].is_private);
  EXPECT_EQ(source->ListChannels(false)->size(), 2u);  // new-name is archived
  ASSERT_EQ(source->ListUsers()->size(), 2u);
  EXPECT_EQ((*source->ListUsers())[0].name, "ana");  // the first definition wins

  auto history = source->History("C1", "", "");
  ASSERT_TRUE(history.ok()) << history.status().message();
  ASSERT_EQ(history->size(), 4u);  // parent, bot, no-text, broadcast; replies are not shown
  EXPECT_EQ((*history)[0].reply_count, 2);
  EXPECT_EQ((*history)[0].latest_reply, "1767312100.000100");
  EXPECT_TRUE((*history)[0].is_thread_parent());
  EXPECT_EQ((*history)[1].user, "");
  EXPECT_EQ((*history)[2].text, "");
  EXPECT_EQ(source->History("C1", "1767225700.000100", "1767225800.000100")->size(), 2u);

  auto replies = source->Replies("C1", "1767225600.000100");
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[1].text, "reply");
  EXPECT_EQ(source->Replies("C1", "1767225999.000000").status().code(), StatusCode::kNotFound);

  auto renamed = source->History("C2", "", "");
  ASSERT_EQ(renamed->size(), 1u);
  EXPECT_EQ((*renamed)[0].text, "old");

  const ImportSkips& skipped = source->skipped();
  EXPECT_EQ(skipped.non_day_files, 1);
  EXPECT_EQ(skipped.examples, std::vector<std::string>{"general/canvas.json"});
  EXPECT_EQ(skipped.direct_conversations, 1);
  EXPECT_EQ(skipped.messages_without_ts, 1);
  EXPECT_EQ(skipped.orphan_replies, 1);
  EXPECT_EQ(skipped.empty_channels, 1);  // secret has no folder
  EXPECT_EQ(source->DayFileRange(),
            (std::pair<std::string, std::string>{"2025-12-31", "2026-01-02"}));
}

// What `cache` asks an export for: a day at a time. The days together must hold exactly
// what History() and the Replies() of its threads give, parents carrying their thread's
// numbers even when the replies come days later, and each message once.
TEST_F(ExportSourceTest, DaysServedOneAtATimeHoldWhatHistoryAndRepliesGive) {
  Write("channels.json", R"([{"id":"C1","name":"general"}])");
  Write("general/2026-01-01.json", R"([
    {"ts":"1767225600.000100","user":"U1","text":"parent","thread_ts":"1767225600.000100"},
    {"ts":"1767225700.000100","text":"plain"},
    {"ts":"1767225700.000100","text":"second copy of plain"},
    {"ts":"1767225900.000100","text":"reply to a lost parent","thread_ts":"1767000000.000100"}
  ])");
  Write("general/2026-01-03.json", R"([
    {"ts":"1767398400.000100","text":"late reply","thread_ts":"1767225600.000100"},
    {"ts":"1767398500.000100","text":"broadcast","subtype":"thread_broadcast","thread_ts":"1767225600.000100"}
  ])");
  auto source = Open();
  ASSERT_TRUE(source);
  ASSERT_TRUE(source->ServesDays());
  auto key = [](const slack::Message& m) {
    return m.ts + "|" + m.text + "|" + m.thread_ts + "|" + std::to_string(m.reply_count) + "|" +
           m.latest_reply;
  };
  std::set<std::string> expected;
  auto history = source->History("C1", "", "");
  ASSERT_TRUE(history.ok()) << history.status().message();
  for (const slack::Message& m : *history) {
    expected.insert(key(m));
    if (!m.is_thread_parent()) continue;
    auto replies = source->Replies("C1", m.ts);
    ASSERT_TRUE(replies.ok()) << replies.status().message();
    for (const slack::Message& r : *replies) expected.insert(key(r));
  }
  std::vector<std::string> served;
  for (int64_t day = 1767139200; day < 1767484800; day += 86400) {  // 2025-12-31 .. 2026-01-03
    auto messages = source->MessagesBetween("C1", std::to_string(day) + ".000000",
                                            std::to_string(day + 86399) + ".999999");
    ASSERT_TRUE(messages.ok()) << messages.status().message();
    for (const slack::Message& m : *messages) served.push_back(key(m));
  }
  EXPECT_EQ(std::set<std::string>(served.begin(), served.end()), expected);
  EXPECT_EQ(served.size(), expected.size());  // each message once
  EXPECT_EQ(served.size(), 4u);  // parent (2 replies), plain (first copy), late reply, broadcast
  EXPECT_NE(std::find(served.begin(), served.end(),
                      "1767225600.000100|parent|1767225600.000100|2|1767398500.000100"),
            served.end());
  EXPECT_EQ(source->skipped().orphan_replies, 1);
}

// slackdump's export (rusq/slackdump, `slackdump export`, mattermost and standard file
// layouts): private channels in channels.json, DM folders named by ID, attachments under
// __uploads/ or <channel>/attachments/ (JSON files among them), a broadcast written twice,
// the "no replies" latest_reply sentinel, members null, reply stubs on the parent.
TEST_F(ExportSourceTest, ASlackdumpExportImportsLikeSlacksOwn) {
  Write("channels.json", R"([
    {"id":"C1","name":"general","created":1767225600,"is_private":false,"is_archived":false,
     "members":null,"is_im":false,"is_mpim":false,"is_group":false},
    {"id":"C2","name":"secret-proj","created":1767225600,"is_private":true,"members":[]}])");
  Write("groups.json", "[]");
  Write("mpims.json", R"([{"id":"G9","name":"mpdm-ana--bo-1","is_mpim":true}])");
  Write("dms.json", R"([{"id":"D1","created":1767225600,"members":["U2","U1"]}])");
  Write("users.json", R"([{"id":"U1","name":"ana","profile":{"display_name":"Ana"}}])");
  Write("general/2026-01-01.json", R"([
    {"type":"message","ts":"1767225600.000100","user":"U1","text":"parent",
     "thread_ts":"1767225600.000100","reply_count":1,"latest_reply":"1767225700.000100",
     "replies":[{"user":"U1","ts":"1767225600.000100"},{"user":"U2","ts":"1767225700.000100"}],
     "reply_users":["U2"],"reply_users_count":1,
     "user_profile":{"avatar_hash":"","real_name":"Ana","name":"ana"}},
    {"type":"message","ts":"1767225700.000100","user":"U2","text":"broadcast",
     "subtype":"thread_broadcast","thread_ts":"1767225600.000100"},
    {"type":"message","ts":"1767225700.000100","user":"U2","text":"broadcast",
     "subtype":"thread_broadcast","thread_ts":"1767225600.000100"},
    {"type":"message","ts":"1767225800.000100","user":"U1","latest_reply":"0000000000.000000",
     "files":[{"id":"F1","name":"notes.json","url_private":"https://files.slack.com/F1"}]}
  ])");
  Write("general/attachments/F2-channels.json", "[not json either]");
  Write("secret-proj/2026-01-01.json", R"([{"ts":"1767225600.000200","text":"psst"}])");
  Write("mpdm-ana--bo-1/2026-01-01.json", R"([{"ts":"1767225600.000300","text":"group"}])");
  Write("D1/2026-01-01.json", R"([{"ts":"1767225600.000400","text":"dm"}])");
  Write("__uploads/F1/notes.json", "{\"a file\": true}");
  Write("__avatars/U1/original.png", "png");

  auto source = Open();
  ASSERT_TRUE(source);
  auto channels = source->ListChannels(false);
  ASSERT_TRUE(channels.ok());
  ASSERT_EQ(channels->size(), 2u);
  EXPECT_TRUE((*channels)[1].is_private);
  std::vector<std::string> general;
  auto day = source->MessagesBetween("C1", "1767225600.000000", "1767311999.999999");
  ASSERT_TRUE(day.ok()) << day.status().message();
  for (const slack::Message& m : *day) general.push_back(m.ts + " " + m.text);
  EXPECT_EQ(general,
            (std::vector<std::string>{"1767225600.000100 parent", "1767225700.000100 broadcast",
                                      "1767225800.000100 "}));  // file only: no text
  EXPECT_EQ((*day)[0].reply_count, 1);
  EXPECT_EQ(source->MessagesBetween("C2", "1767225600.000000", "1767311999.999999")->size(), 1u);
  const ImportSkips& skipped = source->skipped();
  EXPECT_EQ(skipped.direct_conversations, 2);  // the DM and the group DM
  EXPECT_EQ(skipped.non_day_files, 0);         // attachments are not counted as day files
  EXPECT_EQ(skipped.orphan_replies, 0);
}

TEST_F(ExportSourceTest, MessagesDatedOutsideTheImportedDaysAreCountedNotLostSilently) {
  Write("channels.json", R"([{"id":"C1","name":"general"}])");
  Write("general/2026-01-01.json", R"([
    {"ts":"1767225600.000100","text":"on its day"},
    {"ts":"1577836800.000100","text":"2020, in a 2026 day file"}])");
  auto source = Open();
  ASSERT_TRUE(source);
  source->SetWindow(1767139200'000000, 1767398400'000000);  // 2025-12-31 .. 2026-01-02
  ASSERT_TRUE(source->MessagesBetween("C1", "1767225600.000000", "1767311999.999999").ok());
  EXPECT_EQ(source->skipped().messages_outside_window, 1);
}

TEST_F(ExportSourceTest, ASlackdumpDumpIsRecognisedAndRefused) {
  Write("C0123ABCD.json", R"({"channel_id":"C0123ABCD","name":"general","messages":[]})");
  Write("D0456.json", R"({"channel_id":"D0456","messages":[]})");
  auto archive = ExportArchive::Open(dir_.path());
  EXPECT_EQ(archive.status().code(), StatusCode::kCorruption);
  EXPECT_NE(archive.status().message().find("slackdump dump"), std::string::npos)
      << archive.status().message();
  EXPECT_NE(archive.status().message().find("slackdump export"), std::string::npos);
}

TEST_F(ExportSourceTest, BadJsonNamesTheFile) {
  Write("channels.json", R"([{"id":"C1","name":"general"}])");
  Write("general/2026-01-01.json", R"([{"ts": "1767225600.000100", )");
  auto source = Open();
  auto history = source->History("C1", "", "");
  EXPECT_EQ(history.status().code(), StatusCode::kCorruption);
  EXPECT_NE(history.status().message().find("general/2026-01-01.json: not valid JSON"),
            std::string::npos)
      << history.status().message();
  Write("users.json", R"({"not": "a list"})");
  auto archive = ExportArchive::Open(dir_.path());
  ASSERT_TRUE(archive.ok());
  auto reopened = ExportSource::Open(std::move(*archive));
  EXPECT_NE(reopened.status().message().find("users.json: expected a JSON list"),
            std::string::npos);
}

TEST(ExportArchive, EntryNamesThatLeaveTheExportAreRefused) {
  for (const char* bad : {"../x.json", "a/../../x", "/etc/passwd", "C:/x", "a\\b.json", ""}) {
    EXPECT_TRUE(UnsafeEntryName(bad).has_value()) << bad;
  }
  for (const char* good : {"channels.json", "general/2026-01-01.json", "a..b/c", "export/"}) {
    EXPECT_FALSE(UnsafeEntryName(good).has_value()) << good;
  }
  EXPECT_EQ(FindExportRoot({"x/channels.json", "x/y/channels.json", "users.json"}), "x/");
  EXPECT_EQ(FindExportRoot({"channels.json"}), "");
  EXPECT_FALSE(FindExportRoot({"users.json"}).has_value());
}

}  // namespace
}  // namespace slack_intel::import

// `slack-intel cache` run as a user runs it, against the Slack stand-in serving a real export
// (tests/testdata/slack-export-viewer-testarchive) or a generated one; what it wrote is read back
// by DuckDB and compared with counts this test computes from the export's JSON itself.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "e2e/cache_fixture.h"
#include "support/fault_proxy.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;

TEST_F(CacheE2E, TheCacheHoldsExactlyTheExportsMessagesPerChannelAndDay) {
  StartSlack(kFixture);
  ProcessResult run = Cache({"--since", "2016-01-01", "--until", "2016-04-30"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  const auto expected = ExpectedCounts(kFixture);
  EXPECT_EQ(CachedCounts(), expected);
  int total = 0;
  for (const auto& [_, n] : expected) total += n;
  EXPECT_EQ(Summary(run)["messages"], total);
  EXPECT_TRUE(fs::exists(cache_ / "users.parquet"));

  // The user guide's Athena columns come first, in its order and types.
  ProcessResult schema = RunNodeTool("parquet-check/query.mjs",
                                     {"DESCRIBE SELECT * FROM read_parquet('" + cache_.string() +
                                      "/raw/messages/*/*/*.parquet', hive_partitioning=false)"});
  ASSERT_EQ(schema.exit_code, 0) << schema.stderr_text;
  std::vector<std::string> columns;
  for (const auto& row : nlohmann::json::parse(schema.stdout_text)) {
    if (columns.size() == 11) break;
    columns.push_back(row["column_name"].get<std::string>() + " " +
                      row["column_type"].get<std::string>());
  }
  EXPECT_EQ(columns, (std::vector<std::string>{
                         "message_id VARCHAR", "user_id VARCHAR", "text VARCHAR",
                         "timestamp VARCHAR", "thread_ts VARCHAR", "is_thread_parent BOOLEAN",
                         "is_thread_reply BOOLEAN", "reply_count BIGINT", "user_name VARCHAR",
                         "user_real_name VARCHAR", "jira_tickets VARCHAR[]"}));
}

TEST_F(CacheE2E, ASecondRunChangesNoFileAndAnEditChangesExactlyOnePartition) {
  const fs::path source = dir_.path() / "export";
  fs::copy(kFixture, source, fs::copy_options::recursive);
  StartSlack(source);
  const std::vector<std::string> window = {"--since", "2016-01-01", "--until", "2016-04-30"};
  ASSERT_NO_FATAL_FAILURE(ExpectASecondRunChangesNothing([&] { return Cache(window); }));

  // Edit one message (as Slack would, with edited.ts) and serve the export again.
  const fs::path day = source / "enrique/2016-02-07.json";
  auto messages = ReadJsonFile(day);
  messages[0]["text"] = "edited: now mentions OPS-77";
  messages[0]["edited"] = {{"user", "U0BMQB6JE"}, {"ts", "1454900000.000000"}};
  std::ofstream(day) << messages.dump(2);
  slack_.reset();
  StartSlack(source);
  ProcessResult edited = Cache(window);
  ASSERT_EQ(edited.exit_code, 0) << edited.stderr_text;
  std::vector<std::string> written;
  for (const std::string& line : SplitLines(edited.stdout_text)) {
    const auto event = nlohmann::json::parse(line);
    if (event.value("event", "") == "file_written") written.push_back(event["path"]);
  }
  const std::string dt = [&] {
    const auto ts = static_cast<time_t>(std::stoll(messages[0]["ts"].get<std::string>()));
    char out[16];
    std::tm tm{};
    gmtime_r(&ts, &tm);
    std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
    return std::string(out);
  }();
  EXPECT_EQ(written,
            (std::vector<std::string>{"raw/messages/dt=" + dt + "/channel=enrique/data.parquet",
                                      "raw/jira/dt=" + dt + "/data.parquet"}));
}

TEST_F(CacheE2E, AGeneratedWorkspaceWithThreadsAcrossDaysBotsEditsAndUnicodeNames) {
  const fs::path source = dir_.path() / "generated";
  ProcessResult made = RunNodeTool("workspace-gen/generate.mjs",
                                   {"--seed", "7", "--channels", "5", "--days", "10", "--start",
                                    "2026-01-01", "--out", source.string()});
  ASSERT_EQ(made.exit_code, 0) << made.stderr_text;
  StartSlack(source);
  ProcessResult run =
      Cache({"--since", "2025-12-30", "--until", "2026-01-20", "--include-archived"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(CachedCounts(), ExpectedCounts(source));
  EXPECT_GT(Summary(run)["replies"].get<int>(), 0);
  EXPECT_GT(Summary(run)["jira_tickets"].get<int>(), 0);
  // Every reply's thread_ts names a parent, and parents say so.
  ProcessResult threads = RunNodeTool(
      "parquet-check/query.mjs",
      {"SELECT count(*) FILTER (WHERE is_thread_reply AND thread_ts IS NULL) AS orphan, "
       "count(*) FILTER (WHERE is_thread_parent AND reply_count = 0) AS empty_parent "
       "FROM read_parquet('" +
       cache_.string() + "/raw/messages/*/*/*.parquet')"});
  ASSERT_EQ(threads.exit_code, 0) << threads.stderr_text;
  EXPECT_EQ(threads.stdout_text, "[{\"orphan\":0,\"empty_parent\":0}]\n");
}

TEST_F(CacheE2E, JiraFieldsAreFetchedForTheMentionedTicketsAndAFailureKeepsWhatWasCached) {
  const fs::path source = dir_.path() / "generated";
  ASSERT_EQ(
      RunNodeTool("workspace-gen/generate.mjs", {"--seed", "11", "--channels", "4", "--days", "5",
                                                 "--start", "2026-02-01", "--out", source.string()})
          .exit_code,
      0);
  StartSlack(source);
  const std::vector<std::string> window = {"--since", "2026-01-31", "--until", "2026-02-10"};
  ASSERT_EQ(Cache(window).exit_code, 0);  // no JIRA_*: keys only
  const std::string jira_files = "read_parquet('" + cache_.string() + "/raw/jira/*/*.parquet')";
  const auto first = Query(
      "SELECT min(key) AS k, count(*) FILTER (WHERE summary IS NULL) AS bare, "
      "count(*) AS n FROM " +
      jira_files);
  ASSERT_FALSE(first.empty());
  ASSERT_GT(first[0]["n"].get<int>(), 0);
  EXPECT_EQ(first[0]["bare"], first[0]["n"]);
  const std::string missing = first[0]["k"];

  StartJira({"--missing", missing});  // one mentioned key does not exist in Jira
  ProcessResult fetched = Cache(window);
  ASSERT_EQ(fetched.exit_code, 0) << fetched.stderr_text;
  const auto rows = Query(
      "SELECT count(*) FILTER (WHERE summary IS NULL) AS bare, "
      "count(*) FILTER (WHERE summary IS NULL AND key = '" +
      missing +
      "') AS bare_missing, count(*) FILTER (WHERE status IS NULL) AS "
      "no_status FROM " +
      jira_files);
  EXPECT_EQ(rows[0]["bare"], rows[0]["bare_missing"]) << "only the missing key lacks fields";
  EXPECT_GT(rows[0]["bare_missing"].get<int>(), 0);
  EXPECT_EQ(rows[0]["no_status"], rows[0]["bare"]);

  const auto before = Mtimes();
  ProcessResult rejected = Cache(window, "standin-slack-token", "wrong-jira-token");
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_NE(rejected.stderr_text.find("JIRA_API_TOKEN"), std::string::npos) << rejected.stderr_text;
  EXPECT_EQ(rejected.stderr_text.find("wrong-jira-token"), std::string::npos) << "token leaked";
  EXPECT_EQ(Mtimes(), before) << "a Jira failure rewrote files";
}

TEST_F(CacheE2E, RateLimitsAreWaitedOutAndTheMessageCapIsPagedThrough) {
  // Tier 3 at 50 x 0.2 = 10 history/replies calls per 2-second window, 15 messages a call.
  StartSlack(kFixture,
             {"--rate-scale", "0.2", "--rate-window-seconds", "2", "--message-cap", "15"});
  ProcessResult run = Cache({"--since", "2016-01-01", "--until", "2016-04-30"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(CachedCounts(), ExpectedCounts(kFixture));
  EXPECT_GT(Summary(run)["rate_limited"].get<int>(), 0);

  // On a terminal (script(1) provides one) a progress line shows while the limits are waited out.
  ProcessResult tty = RunProcess(
      {"script", "-qec",
       "'" + std::string(SLACK_INTEL_BIN_PATH) + "' cache --cache-path '" + cache_.string() +
           "' --since 2016-01-01 --until 2016-04-30",
       "/dev/null"},
      {{"SLACK_TOKEN", "standin-slack-token"}, {"SLACK_API_URL", slack_->base_url() + "/api"}});
  ASSERT_EQ(tty.exit_code, 0) << tty.stdout_text;
  EXPECT_NE(tty.stdout_text.find("\r\033[Kchannels "), std::string::npos) << tty.stdout_text;
  EXPECT_NE(tty.stdout_text.find("API calls"), std::string::npos);
}

// Slack misbehaving mid-run, with history paged 15 messages at a time: a storm of 429s and a
// 5xx are waited out and retried; a page cut short, or an ok:false in the middle of a channel's
// pages, ends the run with one clear line. Either way no complete partition is replaced by a
// partial fetch: every file keeps its bytes.
TEST_F(CacheE2E, SlackFaultsMidRunAreRetriedOrEndTheRunWithoutTouchingAPartition) {
  const std::vector<std::string> window = {"--since", "2016-01-01", "--until", "2016-04-30"};
  StartSlack(kFixture, {"--message-cap", "15"});
  ASSERT_EQ(Cache(window).exit_code, 0);
  const auto before = Mtimes();
  ASSERT_FALSE(before.empty());

  for (const char* fault : {"*:%2:ratelimited", "conversations.history:1:http500"}) {
    StartSlack(kFixture, {"--message-cap", "15", "--fail", fault});
    ProcessResult run = Cache(window);
    EXPECT_EQ(run.exit_code, 0) << fault << ": " << run.stderr_text;
    EXPECT_EQ(Summary(run)["files_written"], 0) << fault;
  }

  // The first channel's second page, then its third; the users before any channel.
  for (const char* fault : {"conversations.history:2:malformed",
                            "conversations.history:3:internal_error", "users.list:1:malformed"}) {
    StartSlack(kFixture, {"--message-cap", "15", "--fail", fault});
    ProcessResult run = Cache(window);
    EXPECT_EQ(run.exit_code, 1) << fault;
    const auto lines = SplitLines(run.stderr_text);
    ASSERT_EQ(lines.size(), 1u) << fault << ": " << run.stderr_text;
    EXPECT_NE(lines[0].find(std::string(fault).substr(0, std::string(fault).find(':'))),
              std::string::npos)
        << lines[0];
    EXPECT_EQ(Mtimes(), before) << fault << ": a partial fetch replaced a partition";
  }
  EXPECT_EQ(CachedCounts(), ExpectedCounts(kFixture));
}

// kill -9 at seeded random moments of a cache run: after each, every Parquet file reads; the
// rerun ends byte for byte equal to an uninterrupted run, with no temp file left.
TEST_F(CacheE2E, KilledAtRandomMomentsTheRerunEndsEqualToAnUninterruptedRun) {
  StartSlack(GenerateWorkspace(17, 4, 20));
  ExpectKilledRunsToEndLikeAnUninterruptedOne(
      [](const fs::path& cache) {
        return std::vector<std::string>{
            SLACK_INTEL_BIN_PATH, "cache",   "--cache-path", cache.string(), "--since",
            "2026-01-01",         "--until", "2026-01-20"};
      },
      {{"SLACK_TOKEN", "standin-slack-token"}, {"SLACK_API_URL", slack_->base_url() + "/api"}}, 31);
}

// The disk fills up while a longer window than the cache holds is fetched.
TEST_F(CacheE2E, ADiskFullRunFailsClearlyAndLeavesEveryPartitionIntact) {
  StartSlack(GenerateWorkspace(19, 6, 60));
  ASSERT_EQ(Cache({"--since", "2026-01-01", "--until", "2026-01-10"}).exit_code, 0);
  ExpectADiskFullRunToFailCleanly(
      R"(cache --cache-path "$MNT/cache" --since 2026-01-01 --until 2026-03-01)",
      "raw users.parquet",
      {{"SLACK_TOKEN", "standin-slack-token"},
       {"SLACK_API_URL", slack_->base_url() + "/api"},
       {"JIRA_URL", ""}});
}

// The network between the tool and Slack and Jira misbehaves (a fault proxy in front of each
// stand-in): replies cut off halfway and 503s are retried, and the cache ends byte for byte
// what a run without faults writes.
TEST_F(CacheE2E, RepliesCutOffOnTheWireAreRetriedAndTheCacheEndsTheSame) {
  StartSlack(GenerateWorkspace(11, 4, 5), {"--message-cap", "15"});
  StartJira();
  const std::vector<std::string> window = {"--since", "2026-01-01", "--until", "2026-01-05"};
  cache_ = dir_.path() / "direct";
  ASSERT_EQ(Cache(window).exit_code, 0);
  ASSERT_TRUE(fs::exists(cache_ / "raw/jira"));

  cache_ = dir_.path() / "through-faults";
  slack_proxy_ = StartFaultProxy(slack_->base_url(),
                                 {"--seed", "4", "--reset-rate", "0.1", "--slowdown-rate", "0.05"});
  jira_proxy_ = StartFaultProxy(jira_->base_url(), {"--seed", "2", "--reset-rate", "0.5"});
  ProcessResult run = Cache(window);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json slack_faults = FaultCounts(*slack_proxy_);
  EXPECT_GT(slack_faults["reset"].get<int>(), 0) << slack_faults;
  EXPECT_GT(slack_faults["slowdown"].get<int>(), 0) << slack_faults;
  EXPECT_GT(FaultCounts(*jira_proxy_)["reset"].get<int>(), 0);
  EXPECT_TRUE(PublishedFiles(cache_) == PublishedFiles(dir_.path() / "direct"))
      << "faults on the wire changed what was cached";
}

// Jira misbehaving: a 503 and a 429 are retried and waited out; a reply cut short ends the run
// with one line and leaves every file as it was.
TEST_F(CacheE2E, JiraFaultsAreRetriedOrEndTheRunWithoutTouchingAFile) {
  StartSlack(GenerateWorkspace(11, 4, 5));
  const std::vector<std::string> window = {"--since", "2026-01-01", "--until", "2026-01-06"};
  StartJira();
  ASSERT_EQ(Cache(window).exit_code, 0);
  const auto before = Mtimes();
  StartJira({"--fail", "1:http503", "--fail", "2:ratelimited"});
  ProcessResult retried = Cache(window);
  EXPECT_EQ(retried.exit_code, 0) << retried.stderr_text;
  EXPECT_EQ(Summary(retried)["files_written"], 0) << "the same tickets, the same files";
  StartJira({"--fail", "1+:malformed"});
  ProcessResult cut = Cache(window);
  EXPECT_EQ(cut.exit_code, 1);
  ASSERT_EQ(SplitLines(cut.stderr_text).size(), 1u) << cut.stderr_text;
  EXPECT_NE(cut.stderr_text.find("jira"), std::string::npos) << cut.stderr_text;
  EXPECT_EQ(Mtimes(), before) << "a Jira failure rewrote files";
}

TEST_F(CacheE2E, SlackErrorsSayWhatToDo) {
  StartSlack(kFixture, {"--not-member", "traveling-sailor"});
  ProcessResult bad_token = Cache({"--days", "3"}, "standin-wrong-token");
  EXPECT_EQ(bad_token.exit_code, 1);
  EXPECT_NE(bad_token.stderr_text.find("invalid_auth"), std::string::npos) << bad_token.stderr_text;
  EXPECT_EQ(bad_token.stderr_text.find("standin-wrong-token"), std::string::npos) << "token leaked";

  ProcessResult missing = Cache({"--days", "3", "--channels", "no-such-channel"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find("'no-such-channel' does not exist"), std::string::npos)
      << missing.stderr_text;

  ProcessResult skipped = Cache({"--since", "2016-01-01", "--until", "2016-04-30"});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.stderr_text;
  EXPECT_EQ(Summary(skipped)["channels_skipped"], nlohmann::json::array({"traveling-sailor"}));

  ProcessResult no_token = RunProcess({SLACK_INTEL_BIN_PATH, "cache", "--days", "1"},
                                      {{"SLACK_TOKEN", ""}, {"SLACK_BOT_TOKEN", ""}});
  EXPECT_EQ(no_token.exit_code, 1);
  // The example of the token's shape survives the redaction that real tokens get.
  EXPECT_NE(no_token.stderr_text.find("export SLACK_TOKEN=xoxb-... or set slack.token"),
            std::string::npos)
      << no_token.stderr_text;
}

}  // namespace
}  // namespace slack_intel::testing

#pragma once

// What the cache and import e2e tests share: the Slack and Jira stand-ins, the binary run as
// a user runs it, and DuckDB reading back what it wrote.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/files.h"
#include "support/node_tools.h"
#include "support/server_process.h"
#include "support/small_disk.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace slack_intel::testing {

extern const std::filesystem::path kFixture;  // tests/testdata/slack-export-viewer-testarchive

// "channel|YYYY-MM-DD" -> messages, from the export's day files, by each message's own UTC day;
// the channels of channels.json and groups.json (DMs are not cached).
std::map<std::string, int> ExpectedCounts(const std::filesystem::path& export_dir);

// A JSON file of an export (a day file, channels.json).
nlohmann::json ReadJsonFile(const std::filesystem::path& path);

class CacheE2E : public ::testing::Test {
 protected:
  void StartSlack(const std::filesystem::path& export_dir, std::vector<std::string> flags = {}) {
    std::vector<std::string> argv = {
        "node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/slack.mjs", "--export",
        export_dir.string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    slack_ = ServerProcess::Start(argv);
  }

  void StartJira(std::vector<std::string> flags = {}) {
    std::vector<std::string> argv = {
        "node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/jira.mjs", "--synthesize"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    jira_ = ServerProcess::Start(argv);
  }

  ProcessResult Cache(std::vector<std::string> extra = {},
                      const std::string& token = "standin-slack-token",
                      const std::string& jira_token = "jira-standin-token") {
    std::vector<std::string> args = {SLACK_INTEL_BIN_PATH, "cache", "--cache-path", cache_.string(),
                                     "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const ServerProcess& slack = slack_proxy_ ? *slack_proxy_ : *slack_;
    std::map<std::string, std::string> env = {{"SLACK_TOKEN", token},
                                              {"SLACK_API_URL", slack.base_url() + "/api"}};
    if (jira_) {
      env["JIRA_URL"] = (jira_proxy_ ? *jira_proxy_ : *jira_).base_url();
      env["JIRA_EMAIL"] = "standin@example.invalid";
      env["JIRA_API_TOKEN"] = jira_token;
    }
    return RunProcess(args, env);
  }

  nlohmann::json Query(const std::string& sql) {
    ProcessResult run = RunNodeTool("parquet-check/query.mjs", {sql});
    EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
    return run.exit_code == 0 ? nlohmann::json::parse(run.stdout_text) : nlohmann::json();
  }

  static nlohmann::json Summary(const ProcessResult& run) {
    const auto lines = SplitLines(run.stdout_text);
    return lines.empty() ? nlohmann::json() : nlohmann::json::parse(lines.back())["summary"];
  }

  // "channel|dt" -> rows, as DuckDB reads the hive-partitioned cache.
  std::map<std::string, int> CachedCounts() {
    ProcessResult run = RunNodeTool(
        "parquet-check/query.mjs",
        {"SELECT channel, dt, count(*) AS n FROM read_parquet('" + cache_.string() +
         "/raw/messages/*/*/*.parquet', hive_partitioning=true, hive_types_autocast=false) "
         "GROUP BY ALL"});
    EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
    std::map<std::string, int> counts;
    for (const auto& row : nlohmann::json::parse(run.stdout_text))
      counts[row["channel"].get<std::string>() + "|" + row["dt"].get<std::string>()] = row["n"];
    return counts;
  }

  // A generated export (tools/workspace-gen) of `channels` x `days` from 2026-01-01, in the
  // test's folder.
  std::filesystem::path GenerateWorkspace(int seed, int channels, int days) {
    const std::filesystem::path out = dir_.path() / ("generated-" + std::to_string(seed));
    ProcessResult made = RunNodeTool(
        "workspace-gen/generate.mjs",
        {"--seed", std::to_string(seed), "--channels", std::to_string(channels), "--days",
         std::to_string(days), "--start", "2026-01-01", "--out", out.string()});
    EXPECT_EQ(made.exit_code, 0) << made.stderr_text;
    return out;
  }

  // kill -9 at seeded random moments: the run `argv(cache)` once uninterrupted, then 10 times
  // into another cache, each killed at a moment drawn from `seed` within the uninterrupted
  // run's time (after each, every Parquet file must read), then once more to its end: that
  // rerun must equal the uninterrupted one byte for byte, with no temp file left.
  void ExpectKilledRunsToEndLikeAnUninterruptedOne(
      const std::function<std::vector<std::string>(const std::filesystem::path&)>& argv,
      const std::map<std::string, std::string>& env, uint32_t seed) {
    const std::filesystem::path reference = dir_.path() / "uninterrupted";
    const auto started = std::chrono::steady_clock::now();
    ProcessResult whole_run = RunProcess(argv(reference), env);
    ASSERT_EQ(whole_run.exit_code, 0) << whole_run.stderr_text;
    const auto whole = std::chrono::steady_clock::now() - started;
    cache_ = dir_.path() / "killed";
    const int killed = KillAtSeededMoments(argv(cache_), env, whole, 10, seed,
                                           [&](int run) { ExpectEveryFileReads(run); });
    EXPECT_GE(killed, 5) << "most runs must be killed mid-way to test anything";
    ProcessResult rerun = RunProcess(argv(cache_), env);
    ASSERT_EQ(rerun.exit_code, 0) << rerun.stderr_text;
    EXPECT_TRUE(PublishedFiles(cache_) == PublishedFiles(reference))
        << "the rerun differs from an uninterrupted run";
    for (const auto& entry : std::filesystem::recursive_directory_iterator(cache_))
      EXPECT_FALSE(entry.path().filename().string().ends_with(".tmp")) << entry.path();
  }

  // The disk fills up mid-run: `command` (bash, run as "$BIN" <command>, writing to
  // "$MNT/cache") runs on a small tmpfs holding a copy of the cache and 256 KiB more (in a
  // mount namespace of the test's own). It must print one clear line and exit 1, leaving every
  // file under `kept` (paths in the cache, for bash) that was there before byte for byte,
  // every Parquet file readable, no temp file.
  void ExpectADiskFullRunToFailCleanly(const std::string& command, const std::string& kept,
                                       std::map<std::string, std::string> env) {
    const std::filesystem::path out = dir_.path() / "out";
    std::filesystem::create_directories(out);
    const std::string script = R"(
      sums $KEPT > "$OUT/before"
      "$BIN" )" + command + R"( --json > "$OUT/stdout" 2> "$OUT/stderr"
      echo $? > "$OUT/code"
      sums $KEPT > "$OUT/after"
      find "$MNT/cache" -name '*.tmp' > "$OUT/temps"
      find "$MNT/cache" -name '*.parquet' | while read -r f; do
        "$BIN" inspect "$f" > /dev/null 2>&1 || echo "$f" >> "$OUT/unreadable"
      done
      touch "$OUT/unreadable"
    )";
    env["OUT"] = out.string();
    env["BIN"] = SLACK_INTEL_BIN_PATH;
    env["KEPT"] = kept;
    ProcessResult run = RunOnASmallDisk(dir_.path() / "small-disk",
                                        TmpfsBytes(cache_) + (256 << 10), cache_, script, env);
    ASSERT_EQ(run.exit_code, 0) << "the small disk could not be set up: " << run.stderr_text;
    const std::string stderr_text = ReadFileBytes(out / "stderr");
    EXPECT_EQ(ReadFileBytes(out / "code"), "1\n") << stderr_text;
    EXPECT_EQ(SplitLines(stderr_text).size(), 1u) << stderr_text;
    EXPECT_NE(stderr_text.find("No space left on device"), std::string::npos) << stderr_text;
    const std::string before = ReadFileBytes(out / "before");
    const std::string after = ReadFileBytes(out / "after");
    ASSERT_FALSE(before.empty());
    for (const std::string& line : SplitLines(before))
      EXPECT_NE(after.find(line), std::string::npos) << "changed or gone: " << line;
    EXPECT_EQ(ReadFileBytes(out / "temps"), "") << "temp files left on the full disk";
    EXPECT_EQ(ReadFileBytes(out / "unreadable"), "") << "Parquet files that do not read";
  }

  // Every Parquet file of the cache reads in DuckDB (after a killed run, say).
  void ExpectEveryFileReads(int run) {
    const std::pair<const char*, const char*> tables[] = {{"raw/messages", "/*/*/*.parquet"},
                                                          {"raw/jira", "/*/*.parquet"}};
    for (const auto& [folder, files] : tables) {
      if (!std::filesystem::exists(cache_ / folder)) continue;
      const auto readable = Query("SELECT count(*) AS n FROM read_parquet('" +
                                  (cache_ / folder).string() + files + "')");
      EXPECT_FALSE(readable.is_null())
          << "after run " << run << ", a file of " << folder << " DuckDB cannot read";
    }
  }

  // Every file under `root` but the cache's own state (.slack-intel/), relative, with its bytes.
  static std::map<std::string, std::string> PublishedFiles(const std::filesystem::path& root) {
    std::map<std::string, std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      const std::string relative = entry.path().lexically_relative(root).generic_string();
      if (!entry.is_regular_file() || relative.starts_with(".slack-intel/")) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      files[relative] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return files;
  }

  // Runs `run` twice: the second run succeeds, writes nothing and leaves every mtime alone
  // (what lets a nightly `sync` upload only real changes).
  void ExpectASecondRunChangesNothing(const std::function<ProcessResult()>& run) {
    ASSERT_EQ(run().exit_code, 0);
    const auto before = Mtimes();
    ProcessResult again = run();
    ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
    EXPECT_EQ(Summary(again)["files_written"], 0);
    EXPECT_EQ(Mtimes(), before) << "a second run touched files";
  }

  std::map<std::filesystem::path, std::filesystem::file_time_type> Mtimes() {
    std::map<std::filesystem::path, std::filesystem::file_time_type> mtimes;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(cache_)) {
      // The cache's own state (the lock) is no file sync would upload.
      if (entry.path().string().find("/.slack-intel/") != std::string::npos) continue;
      if (entry.is_regular_file()) mtimes[entry.path()] = entry.last_write_time();
    }
    return mtimes;
  }

  TempDir dir_;
  std::filesystem::path cache_ = dir_.path() / "cache";
  std::unique_ptr<ServerProcess> slack_;
  std::unique_ptr<ServerProcess> jira_;
  // When set, Cache() reaches the stand-ins through these (support/fault_proxy.h).
  std::unique_ptr<ServerProcess> slack_proxy_;
  std::unique_ptr<ServerProcess> jira_proxy_;
};

}  // namespace slack_intel::testing

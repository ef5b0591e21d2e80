// `slack-intel import` run as a user runs it, on the real export in tests/testdata (folder
// and ZIP) and generated ones with every quirk; DuckDB reads back what it wrote and the counts
// are computed by this test from the export's JSON. The same export fetched through the Slack
// stand-in with `cache` must give the same bytes.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "e2e/cache_fixture.h"
#include "support/files.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;

class ImportE2E : public CacheE2E {
 protected:
  ProcessResult Import(const fs::path& source, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {SLACK_INTEL_BIN_PATH, "import",        source.string(),
                                     "--cache-path",       cache_.string(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunProcess(args, {{"JIRA_URL", ""}});
  }

  static int Total(const std::map<std::string, int>& counts) {
    int total = 0;
    for (const auto& [_, n] : counts) total += n;
    return total;
  }

  // Writes `files` (name -> bytes) into a ZIP with Python's zipfile, names taken as given.
  void Zip(const fs::path& zip, const std::map<std::string, std::string>& files) {
    nlohmann::json spec = files;
    std::ofstream(dir_.path() / "zip-spec.json") << spec.dump();
    ProcessResult made =
        RunProcess({"/usr/bin/python3", "-c",
                    "import json,sys,zipfile\n"
                    "spec=json.load(open(sys.argv[1]))\n"
                    "with zipfile.ZipFile(sys.argv[2],'w',zipfile.ZIP_DEFLATED) as z:\n"
                    "  [z.writestr(n, b) for n, b in spec.items()]\n",
                    (dir_.path() / "zip-spec.json").string(), zip.string()},
                   {});
    ASSERT_EQ(made.exit_code, 0) << made.stderr_text;
  }
};

TEST_F(ImportE2E, TheFixtureFolderAndZipGiveTheExportsMessagesPerChannelAndDay) {
  const auto expected = ExpectedCounts(kFixture);
  ProcessResult folder = Import(kFixture);
  ASSERT_EQ(folder.exit_code, 0) << folder.stderr_text << folder.stdout_text;
  EXPECT_EQ(CachedCounts(), expected);
  EXPECT_EQ(Summary(folder)["messages"], Total(expected));
  EXPECT_TRUE(fs::exists(cache_ / "users.parquet"));
  const auto from_folder = PublishedFiles(cache_);

  fs::remove_all(cache_);
  ProcessResult zip = Import(kFixture / "testarchive.zip");
  ASSERT_EQ(zip.exit_code, 0) << zip.stderr_text;
  EXPECT_EQ(CachedCounts(), expected);
  EXPECT_TRUE(PublishedFiles(cache_) == from_folder) << "the ZIP and the folder gave other bytes";
}

// --codec (or cache.codec): the files are written with it, the same rows read back, and a
// partition is rewritten only when its codec (or level) changes.
TEST_F(ImportE2E, ACodecChangeRewritesTheFilesOnceAndTheRowsStayTheSame) {
  const auto codecs = [&] {
    std::set<std::string> found;
    for (const auto& row : Query("SELECT DISTINCT compression FROM parquet_metadata('" +
                                 cache_.string() + "/**/*.parquet')"))
      found.insert(row["compression"].get<std::string>());
    return found;
  };
  ProcessResult zstd = Import(kFixture);
  ASSERT_EQ(zstd.exit_code, 0) << zstd.stderr_text;
  EXPECT_EQ(codecs(), std::set<std::string>{"ZSTD"});
  const auto counts = CachedCounts();
  const int files = Summary(zstd)["files_written"];

  ProcessResult snappy = Import(kFixture, {"--codec", "snappy"});
  ASSERT_EQ(snappy.exit_code, 0) << snappy.stderr_text;
  EXPECT_EQ(Summary(snappy)["files_written"], files);
  EXPECT_EQ(codecs(), std::set<std::string>{"SNAPPY"});
  EXPECT_EQ(CachedCounts(), counts);
  ProcessResult again = Import(kFixture, {"--codec", "snappy"});
  EXPECT_EQ(Summary(again)["files_written"], 0);
  EXPECT_EQ(Summary(again)["files_unchanged"], files);

  const fs::path config = dir_.path() / "gzip.yaml";
  std::ofstream(config) << "cache:\n  codec: gzip\n  compression_level: 9\n";
  ProcessResult gzip = Import(kFixture, {"--config", config.string()});
  ASSERT_EQ(gzip.exit_code, 0) << gzip.stderr_text;
  EXPECT_EQ(codecs(), std::set<std::string>{"GZIP"});
  EXPECT_EQ(CachedCounts(), counts);

  ProcessResult bad = Import(kFixture, {"--codec", "gzip", "--compression-level", "12"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.stderr_text.find("--compression-level for gzip is 1 to 9, not 12"),
            std::string::npos)
      << bad.stderr_text;
  EXPECT_EQ(codecs(), std::set<std::string>{"GZIP"}) << "a refused run writes nothing";
}

TEST_F(ImportE2E, ImportAndCacheOfTheSameExportWriteTheSameBytes) {
  for (const fs::path& source : {kFixture, dir_.path() / "generated"}) {
    if (source != kFixture) {
      ASSERT_EQ(RunNodeTool("workspace-gen/generate.mjs",
                            {"--seed", "5", "--channels", "5", "--days", "8", "--start",
                             "2026-03-01", "--out", source.string()})
                    .exit_code,
                0);
    }
    cache_ = dir_.path() / ("imported-" + source.filename().string());
    ProcessResult imported = Import(source);
    ASSERT_EQ(imported.exit_code, 0) << imported.stderr_text;
    const auto summary = Summary(imported);
    const auto via_import = PublishedFiles(cache_);

    StartSlack(source);
    cache_ = dir_.path() / ("cached-" + source.filename().string());
    ProcessResult cached = Cache(
        {"--since", summary["first_day"], "--until", summary["last_day"], "--include-archived"});
    ASSERT_EQ(cached.exit_code, 0) << cached.stderr_text;
    const auto via_cache = PublishedFiles(cache_);
    ASSERT_EQ(via_import.size(), via_cache.size()) << source;
    EXPECT_GT(via_cache.size(), 10u) << "nothing to compare";
    for (const auto& [name, bytes] : via_cache) {
      auto other = via_import.find(name);
      ASSERT_NE(other, via_import.end()) << name << " only from cache";
      EXPECT_TRUE(other->second == bytes) << name << " differs between import and cache";
    }
    slack_.reset();
  }
}

TEST_F(ImportE2E, ImportingTwiceChangesNothingAndAnImportNeverRemovesCachedMessages) {
  const fs::path source = dir_.path() / "export";
  fs::copy(kFixture, source, fs::copy_options::recursive);
  ASSERT_NO_FATAL_FAILURE(ExpectASecondRunChangesNothing([&] { return Import(source); }));

  // An older export lacking a message (as after a later `cache`) adds, updates, never removes.
  const fs::path day = source / "enrique/2016-02-07.json";
  auto messages = ReadJsonFile(day);
  const size_t count = messages.size();
  messages.erase(messages.begin());
  messages[0]["text"] = "edited in the export";
  std::ofstream(day) << messages.dump();
  const auto total_before = Total(CachedCounts());
  ProcessResult older = Import(source);
  ASSERT_EQ(older.exit_code, 0) << older.stderr_text;
  EXPECT_EQ(Total(CachedCounts()), total_before);
  const auto edited = Query("SELECT count(*) AS n FROM read_parquet('" + cache_.string() +
                            "/raw/messages/*/*/*.parquet') WHERE text = 'edited in the export'");
  EXPECT_EQ(edited[0]["n"], 1);
  EXPECT_GT(count, 1u);
}

TEST_F(ImportE2E, AGeneratedExportWithEveryQuirkImportsFromItsZip) {
  const fs::path source = dir_.path() / "generated";
  ProcessResult made = RunNodeTool("workspace-gen/generate.mjs",
                                   {"--seed", "9", "--channels", "6", "--days", "12", "--start",
                                    "2026-01-01", "--out", source.string(), "--zip"});
  ASSERT_EQ(made.exit_code, 0) << made.stderr_text;
  const auto expected = ExpectedCounts(source);
  ProcessResult run = Import(fs::path(source.string() + ".zip"), {"--timezone", "UTC"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(CachedCounts(), expected);
  EXPECT_GT(Summary(run)["replies"].get<int>(), 0);
  EXPECT_GT(Summary(run)["skipped"]["direct_conversations"].get<int>(), 0);

  // Quirks the generator does not make: a canvas beside the day files, invalid UTF-8, a
  // message without text, `created` as a string, an unknown subtype.
  const fs::path folder =
      source / ReadJsonFile(source / "channels.json")[0]["name"].get<std::string>();
  std::ofstream(folder / "canvas_in_the_conversation.json") << R"({"title": "notes"})";
  fs::path day_file;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.path().filename().string().starts_with("20")) day_file = entry.path();
  auto day = ReadJsonFile(day_file);
  day.push_back({{"type", "message"},
                 {"subtype", "huddle_thread_v9"},
                 {"ts", "1767300000.000100"},
                 {"user", "UNOBODY01"}});
  std::string text = day.dump();
  text.insert(text.size() - 1, R"(,{"type":"message","ts":"1767300000.000200","text":"bad )"
                               "\xff\xfe"
                               R"( bytes"})");
  std::ofstream(day_file, std::ios::binary) << text;
  cache_ = dir_.path() / "quirks";
  ProcessResult quirks = Import(source);
  ASSERT_EQ(quirks.exit_code, 0) << quirks.stderr_text;
  EXPECT_EQ(Summary(quirks)["skipped"]["non_day_files"], 1);
  EXPECT_EQ(Summary(quirks)["messages"], Total(expected) + 2);
  const auto repaired =
      Query("SELECT count(*) AS n FROM read_parquet('" + cache_.string() +
            "/raw/messages/*/*/*.parquet') WHERE text = 'bad \uFFFD\uFFFD bytes'");
  EXPECT_EQ(repaired[0]["n"], 1);
}

// Channel names become folder names: whatever an export holds, every partition lands inside
// the cache, one folder per channel, and a name too long for a folder falls back to the id.
// ("..", "/" and "\\" cannot name a channel folder in an export: such entries are refused.)
TEST_F(ImportE2E, HostileChannelNamesAreEscapedOrReplacedByTheChannelId) {
  const std::map<std::string, std::string> names = {
      {"C0LONG", std::string(1000, 'x')},
      {"C0CTRL", "tab\tdel\x7f cr\r"},  // (ESC would make the ZIP name CP437's arrow)
      {"C0HIDE", ".hidden"},
      {"C0LATN", "general"},
      {"C0CYRL", "g\u0435neral"},  // a Cyrillic 'е': another channel, not general
      {"C0PCNT", "100%=a:b*c?"},
  };
  nlohmann::json channels = nlohmann::json::array();
  std::map<std::string, std::string> files = {{"users.json", "[]"}};
  int64_t ts = 1767258000;  // 2026-01-01 09:00 UTC
  for (const auto& [id, name] : names) {
    channels.push_back({{"id", id}, {"name", name}, {"created", 1700000000}});
    nlohmann::json day = nlohmann::json::array(
        {{{"type", "message"}, {"ts", fmt::format("{}.000100", ts++)}, {"text", id}}});
    files[name + "/2026-01-01.json"] = day.dump();
  }
  files["channels.json"] = channels.dump();
  const fs::path zip = dir_.path() / "hostile.zip";
  Zip(zip, files);
  ProcessResult run = Import(zip);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_NE(run.stdout_text.find("too long for a folder name: its partitions are channel=C0LONG"),
            std::string::npos)
      << run.stdout_text;

  std::set<std::string> folders;
  for (const auto& entry : fs::directory_iterator(cache_ / "raw/messages/dt=2026-01-01"))
    folders.insert(entry.path().filename().string());
  const std::set<std::string> expected = {"channel=C0LONG",       "channel=tab%09del%7F cr%0D",
                                          "channel=%2Ehidden",    "channel=general",
                                          "channel=g\u0435neral", "channel=100%25%3Da%3Ab%2Ac%3F"};
  EXPECT_EQ(folders, expected);
  std::set<std::string> outside;  // nothing beside the cache and the inputs
  for (const auto& entry : fs::directory_iterator(dir_.path()))
    outside.insert(entry.path().filename().string());
  EXPECT_EQ(outside, (std::set<std::string>{"cache", "hostile.zip", "zip-spec.json"}));
  // Each partition holds its own channel's message.
  const auto rows = Query("SELECT channel_id, text FROM read_parquet('" + cache_.string() +
                          "/raw/messages/*/*/*.parquet') ORDER BY channel_id");
  ASSERT_EQ(rows.size(), names.size());
  for (const auto& row : rows) EXPECT_EQ(row["channel_id"], row["text"]);
}

// Two runs on one cache: the second is refused, naming the first. A run killed holding the
// lock leaves its record; the next run takes over with a warning and removes the temp files a
// killed run leaves beside its partitions, and only those.
TEST_F(ImportE2E, OneRunAtATimeAndADeadRunsLockAndTempFilesAreTakenOver) {
  StartSlack(kFixture, {"--rate-limit", "1/2"});  // a call every 2 s: `cache` runs a while
  const fs::path lock = cache_ / ".slack-intel/lock";
  ProcessResult refused;
  auto second_run_refused = [&] {
    std::error_code error;
    if (!fs::exists(lock, error) || fs::file_size(lock, error) == 0) return false;
    refused = Import(kFixture);
    return true;
  };
  const int killed = KillProcessWhen(
      {SLACK_INTEL_BIN_PATH, "cache", "--cache-path", cache_.string(), "--since", "2016-01-01",
       "--until", "2016-03-31", "--no-jira"},
      {{"SLACK_TOKEN", "standin-slack-token"}, {"SLACK_API_URL", slack_->base_url() + "/api"}},
      second_run_refused);
  ASSERT_EQ(killed, 128 + SIGKILL) << "the cache run ended before the second one started";
  EXPECT_EQ(refused.exit_code, 1) << refused.stderr_text;
  EXPECT_NE(refused.stderr_text.find("another slack-intel run is using the cache"),
            std::string::npos)
      << refused.stderr_text;
  EXPECT_NE(refused.stderr_text.find(": slack-intel cache, started "), std::string::npos)
      << refused.stderr_text;

  // What a killed run leaves beside partitions, and files that are someone else's.
  const fs::path partition = cache_ / "raw/messages/dt=2016-01-14/channel=enrique";
  fs::create_directories(partition);
  const std::vector<fs::path> left = {partition / ".data.parquet.999999.tmp",
                                      cache_ / "raw/jira/.data.parquet.download.tmp"};
  const std::vector<fs::path> others = {partition / ".notes.tmp", partition / "notes.12.tmp",
                                        partition / ".data.parquet.backup.tmp"};
  for (const fs::path& file : left) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "half";
  }
  for (const fs::path& file : others) std::ofstream(file) << "mine";
  ProcessResult taken = Import(kFixture);
  ASSERT_EQ(taken.exit_code, 0) << taken.stderr_text;
  EXPECT_NE(taken.stderr_text.find("ended without releasing it"), std::string::npos)
      << taken.stderr_text;
  // The planted two, and any the killed run itself left mid-write.
  EXPECT_NE(taken.stderr_text.find(" temp file(s) it left removed"), std::string::npos)
      << taken.stderr_text;
  for (const fs::path& file : left) EXPECT_FALSE(fs::exists(file)) << file;
  for (const fs::path& file : others) EXPECT_TRUE(fs::exists(file)) << file;
  ProcessResult clean = Import(kFixture);
  EXPECT_EQ(clean.stderr_text.find("without releasing"), std::string::npos)
      << "a run that ended cleanly leaves no record";
}

// kill -9 at seeded random moments of an import: after each, every Parquet file of the cache
// reads; the rerun ends byte for byte equal to an uninterrupted import, with no temp file left.
TEST_F(ImportE2E, KilledAtRandomMomentsTheRerunEndsEqualToAnUninterruptedRun) {
  const fs::path source = GenerateWorkspace(13, 5, 40);
  ExpectKilledRunsToEndLikeAnUninterruptedOne(
      [&](const fs::path& cache) {
        return std::vector<std::string>{SLACK_INTEL_BIN_PATH, "import", source.string(),
                                        "--cache-path", cache.string()};
      },
      {{"JIRA_URL", ""}}, 21);
}

// The disk fills up mid-import.
TEST_F(ImportE2E, ADiskFullRunFailsClearlyAndLeavesEveryPartitionIntact) {
  const fs::path source = GenerateWorkspace(19, 6, 60);
  ASSERT_EQ(Import(kFixture).exit_code, 0);
  // (users.parquet is the new export's.)
  ExpectADiskFullRunToFailCleanly(R"(import "$EXPORT" --cache-path "$MNT/cache")", "raw",
                                  {{"EXPORT", source.string()}, {"JIRA_URL", ""}});
}

TEST_F(ImportE2E, BadExportsFailNamingTheFileAndLeaveNoPartialFile) {
  ProcessResult missing = Import(dir_.path() / "nope.zip");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find("export not found"), std::string::npos);

  // A download cut short.
  std::ifstream in(kFixture / "testarchive.zip", std::ios::binary);
  std::string zip((std::istreambuf_iterator<char>(in)), {});
  const fs::path truncated = dir_.path() / "truncated.zip";
  std::ofstream(truncated, std::ios::binary) << zip.substr(0, zip.size() / 2);
  ProcessResult cut = Import(truncated);
  EXPECT_EQ(cut.exit_code, 1);
  EXPECT_NE(cut.stderr_text.find("truncated.zip"), std::string::npos) << cut.stderr_text;
  EXPECT_FALSE(fs::exists(cache_)) << "a broken ZIP wrote files";

  // Zip-slip: an entry reaching outside the export.
  const fs::path evil = dir_.path() / "evil.zip";
  Zip(evil, {{"channels.json", "[]"}, {"../escaped.json", "[]"}});
  ProcessResult slip = Import(evil);
  EXPECT_EQ(slip.exit_code, 1);
  EXPECT_NE(slip.stderr_text.find("'../escaped.json'"), std::string::npos) << slip.stderr_text;
  EXPECT_FALSE(fs::exists(dir_.path() / "escaped.json"));

  // A day file that is not JSON, named with its path inside the ZIP.
  const fs::path broken = dir_.path() / "broken.zip";
  Zip(broken, {{"export/channels.json", R"([{"id":"C1","name":"general"}])"},
               {"export/general/2026-01-01.json", "[{\"ts\": \"1767225600.000100\", "}});
  ProcessResult not_json = Import(broken);
  EXPECT_EQ(not_json.exit_code, 1);
  EXPECT_NE(not_json.stderr_text.find("broken.zip:export/general/2026-01-01.json: not valid JSON"),
            std::string::npos)
      << not_json.stderr_text;
  if (fs::exists(cache_)) {
    for (const auto& entry : fs::recursive_directory_iterator(cache_))
      EXPECT_FALSE(entry.path().filename().string().ends_with(".tmp")) << entry.path();
  }
}

}  // namespace
}  // namespace slack_intel::testing

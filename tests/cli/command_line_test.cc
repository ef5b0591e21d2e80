#include "cli/command_line.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/cache_output.h"
#include "support/temp_dir.h"

namespace slack_intel::cli {
namespace {

// Parses argv (without the program name) the way main() does.
void Parse(CommandLine& command_line, std::vector<std::string> args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  command_line.app().parse(reversed);
}

TEST(CommandLine, SyncTakesEveryFlagOfTheUsersDocument) {
  CommandLine command_line;
  Parse(command_line,
        {"sync", "--bucket", "my-slack-data", "--prefix", "prod/slack-cache/", "--region",
         "us-west-2", "--profile", "prod", "--delete", "--dry-run", "--cache-path", "/data/cache"});
  const SyncOptions& options = command_line.sync_options();
  EXPECT_EQ(options.bucket, "my-slack-data");
  EXPECT_EQ(options.prefix, "prod/slack-cache/");
  EXPECT_EQ(options.region, "us-west-2");
  EXPECT_EQ(options.profile, "prod");
  EXPECT_TRUE(options.delete_removed);
  EXPECT_TRUE(options.dry_run);
  EXPECT_EQ(options.cache_path, "/data/cache");
  EXPECT_TRUE(command_line.has_command());
}

TEST(CommandLine, SyncDefaultsMatchTheDocument) {
  CommandLine command_line;
  Parse(command_line, {"sync", "--bucket", "my-slack-data"});
  const SyncOptions& options = command_line.sync_options();
  EXPECT_EQ(options.cache_path, "cache");
  EXPECT_EQ(options.prefix, "");
  EXPECT_FALSE(options.dry_run);
  EXPECT_FALSE(options.delete_removed);
}

TEST(CommandLine, AcceptsTheAwsCliSpellingOfDryRun) {
  CommandLine command_line;
  Parse(command_line, {"sync", "--bucket", "b-1", "--dryrun"});
  EXPECT_TRUE(command_line.sync_options().dry_run);
}

TEST(CommandLine, SyncWithoutBucketIsAUsageError) {
  CommandLine command_line;
  EXPECT_THROW(Parse(command_line, {"sync", "--prefix", "p/"}), CLI::RequiredError);
}

// sync.dest stands for the destination flags, over s3.bucket; a --bucket on the command line
// wins over it, and --dest with --bucket or --prefix is a usage error.
TEST(CommandLine, SyncDestFromTheConfigFileYieldsToABucketFlag) {
  config::ConfigFile config;
  config.bucket = "team-bucket";
  config.sync_dest = "az://acme/slack/prod";
  CommandLine from_file;
  from_file.ApplyConfig(config);
  Parse(from_file, {"sync"});
  EXPECT_EQ(from_file.sync_options().dest, "az://acme/slack/prod");
  CommandLine with_bucket;
  with_bucket.ApplyConfig(config);
  Parse(with_bucket, {"sync", "--bucket", "other-bucket"});
  EXPECT_EQ(with_bucket.sync_options().dest, "");
  EXPECT_EQ(with_bucket.sync_options().bucket, "other-bucket");
  CommandLine both;
  EXPECT_THROW(Parse(both, {"sync", "--dest", "file:///tmp/x", "--prefix", "p"}),
               CLI::ExcludesError);
}

TEST(CommandLine, TheConfigFileSuppliesDefaultsAndFlagsStillWin) {
  config::ConfigFile config;
  config.bucket = "team-bucket";
  config.prefix = "prod/";
  config.cache_path = "/data/cache";
  config.timezone = "Europe/Berlin";
  CommandLine from_file;
  from_file.ApplyConfig(config);
  Parse(from_file, {"sync", "--prefix", "dev/"});  // --bucket no longer required
  EXPECT_EQ(from_file.sync_options().bucket, "team-bucket");
  EXPECT_EQ(from_file.sync_options().prefix, "dev/");
  EXPECT_EQ(from_file.sync_options().cache_path, "/data/cache");
  CommandLine cache;
  cache.ApplyConfig(config);
  Parse(cache, {"cache", "--cache-path", "here", "--config", "x.yaml"});
  EXPECT_EQ(cache.cache_options().cache_path, "here");
  EXPECT_EQ(cache.cache_options().timezone, "Europe/Berlin");
}

TEST(CommandLine, CodecAndAutoSyncComeFromFlagsOrTheConfigFile) {
  config::ConfigFile config;
  config.codec = "gzip";
  config.compression_level = "9";
  config.sync_auto = "true";
  config.bucket = "team-bucket";
  CommandLine from_file;
  from_file.ApplyConfig(config);
  Parse(from_file, {"import", "export.zip"});
  EXPECT_EQ(from_file.import_options().codec, "gzip");
  EXPECT_EQ(from_file.import_options().compression_level, 9);
  EXPECT_TRUE(from_file.import_options().auto_sync.enabled);
  EXPECT_EQ(from_file.import_options().auto_sync.to.bucket, "team-bucket");
  CommandLine flags;
  flags.ApplyConfig(config);
  Parse(flags, {"cache", "--codec", "snappy", "--no-sync", "--bucket", "other-bucket"});
  EXPECT_EQ(flags.cache_options().codec, "snappy");
  EXPECT_FALSE(flags.cache_options().auto_sync.enabled);
  EXPECT_EQ(flags.cache_options().auto_sync.to.bucket, "other-bucket");
  CommandLine bad;
  EXPECT_THROW(Parse(bad, {"cache", "--codec", "lz4"}), CLI::ValidationError);
}

TEST(ParseCompression, KnowsEachCodecsLevels) {
  EXPECT_EQ(ParseCompression("zstd", 0)->codec, parquet::Codec::kZstd);
  EXPECT_EQ(ParseCompression("zstd", 19)->level, 19);
  EXPECT_EQ(ParseCompression("none", 0)->codec, parquet::Codec::kUncompressed);
  EXPECT_EQ(ParseCompression("gzip", 10).status().message(),
            "--compression-level for gzip is 1 to 9, not 10");
  EXPECT_EQ(ParseCompression("snappy", 2).status().message(),
            "--codec snappy takes no --compression-level");
  EXPECT_EQ(ParseCompression("brotli", 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(CommandLine, CacheTakesDays) {
  CommandLine command_line;
  Parse(command_line, {"cache", "--days", "30"});
  EXPECT_EQ(command_line.cache_options().days, 30);
  CommandLine zero_days;
  EXPECT_THROW(Parse(zero_days, {"cache", "--days", "0"}), CLI::ValidationError);
}

TEST(CommandLine, ImportTakesTheExportPath) {
  CommandLine command_line;
  Parse(command_line, {"import", "export.zip", "--cache-path", "c"});
  EXPECT_EQ(command_line.import_options().export_path, "export.zip");
  EXPECT_EQ(command_line.import_options().cache_path, "c");
}

TEST(CommandLine, VerbosityFlagsWorkBeforeAndAfterTheCommand) {
  CommandLine quiet;
  Parse(quiet, {"--quiet", "cache"});
  EXPECT_EQ(quiet.verbosity(), Verbosity::kQuiet);
  CommandLine verbose;
  Parse(verbose, {"sync", "--bucket", "b-1", "-v"});
  EXPECT_EQ(verbose.verbosity(), Verbosity::kVerbose);
  CommandLine debug;
  Parse(debug, {"-vv", "cache"});
  EXPECT_EQ(debug.verbosity(), Verbosity::kDebug);
  CommandLine normal;
  Parse(normal, {"cache"});
  EXPECT_EQ(normal.verbosity(), Verbosity::kNormal);
}

TEST(CommandLine, NoCommandIsReportedNotRun) {
  CommandLine command_line;
  Parse(command_line, {});
  EXPECT_FALSE(command_line.has_command());
}

TEST(RunSync, MissingCachePathSaysLocalPathDoesNotExist) {
  SyncOptions options;
  options.bucket = "my-slack-data";
  options.cache_path = "/nonexistent/slack-intel/cache";
  Status status = RunSync(options);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message().rfind("Local path does not exist: /nonexistent/slack-intel/cache", 0),
            0u)
      << status.message();
}

TEST(RunSync, BadBucketIsRejectedBeforeAnythingElse) {
  testing::TempDir cache;
  SyncOptions options;
  options.bucket = "s3://my-slack-data";
  options.cache_path = cache.path();
  EXPECT_EQ(RunSync(options).code(), StatusCode::kInvalidArgument);
}

TEST(RunImport, MissingExportIsNotFound) {
  ImportOptions options;
  options.export_path = "/nonexistent/export.zip";
  Status status = RunImport(options);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find("/nonexistent/export.zip"), std::string::npos);
}

}  // namespace
}  // namespace slack_intel::cli

// `slack-intel sync --dest az://...` against Azurite, checked with Microsoft's own client
// (tools/azure-blobs): the cases S3 has, on Azure Blob Storage. The sync engine is the same;
// what is Azure's is the store, the credentials and the messages.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/azurite.h"
#include "support/fault_proxy.h"
#include "support/files.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "util/digest.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kTestData = fs::path(SLACK_INTEL_SOURCE_DIR) / "tests/testdata/parquet";

class AzureSyncE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = dir_.path() / "cache";
    Place("slack-intel-every-type.parquet",
          "raw/messages/dt=2025-10-21/channel=engineering/data.parquet");
    Place("duckdb-one-row.parquet", "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
    Place("duckdb-dictionary.parquet", "raw/jira/dt=2025-10-21/data.parquet");
    Place("duckdb-one-row.parquet", "users.parquet");
    ASSERT_EQ(Blobs({"create", kContainer}).exit_code, 0);
  }

  void Place(const std::string& testdata, const std::string& relative) {
    fs::create_directories((cache_ / relative).parent_path());
    fs::copy_file(kTestData / testdata, cache_ / relative, fs::copy_options::overwrite_existing);
  }

  std::string Dest() const {
    return std::string("az://") + Azurite::kAccount + "/" + kContainer + "/prod";
  }
  std::map<std::string, std::string> Environment() const {
    return {{"AZURE_STORAGE_CONNECTION_STRING", azurite_.connection_string()},
            {"AWS_EC2_METADATA_DISABLED", "true"},
            {"HOME", dir_.path().string()}};
  }
  ProcessResult Sync(std::vector<std::string> extra = {}, const fs::path& cache = {}) {
    std::vector<std::string> args = {SLACK_INTEL_BIN_PATH,
                                     "sync",
                                     "--dest",
                                     Dest(),
                                     "--cache-path",
                                     (cache.empty() ? cache_ : cache).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunProcess(args, Environment());
  }

  // Microsoft's client (tools/azure-blobs/azure_blobs.mjs).
  ProcessResult Blobs(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    std::vector<std::string> argv = {
        "node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/azure-blobs/azure_blobs.mjs"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, Environment(), stdin_text);
  }
  // name -> {size, md5}, as Microsoft's client lists them.
  std::map<std::string, nlohmann::json> Listed() {
    ProcessResult run = Blobs({"list", kContainer});
    EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
    std::map<std::string, nlohmann::json> out;
    for (const std::string& line : SplitLines(run.stdout_text)) {
      const auto blob = nlohmann::json::parse(line);
      out[blob["name"]] = blob;
    }
    return out;
  }

  static int Count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
    return n;
  }
  static nlohmann::json Summary(const ProcessResult& run) {
    const auto lines = SplitLines(run.stdout_text);
    return lines.empty() ? nlohmann::json() : nlohmann::json::parse(lines.back())["summary"];
  }

  static constexpr const char* kContainer = "slack-data";
  Azurite azurite_;
  TempDir dir_;
  fs::path cache_;
};

TEST_F(AzureSyncE2E, UploadsTheLayoutWithContentMd5sThenNothingEvenAfterATouch) {
  ProcessResult first = Sync();
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
  EXPECT_EQ(Count(first.stdout_text, "upload: "), 4) << first.stdout_text;
  EXPECT_NE(first.stdout_text.find("to " + Dest() +
                                   "/messages/dt=2025-10-21/channel=engineering/data.parquet"),
            std::string::npos)
      << first.stdout_text;
  const auto blobs = Listed();
  ASSERT_EQ(blobs.size(), 4u);
  for (const auto& [name, relative] : std::map<std::string, std::string>{
           {"prod/users.parquet", "users.parquet"},
           {"prod/messages/dt=2025-10-21/channel=dev ops/data.parquet",
            "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet"}}) {
    const std::string local = ReadFileBytes(cache_ / relative);
    ASSERT_TRUE(blobs.count(name)) << name;
    EXPECT_EQ(blobs.at(name)["md5"], Base64Encode(Md5(local))) << name;
    EXPECT_EQ(Blobs({"get", kContainer, name}).stdout_text, local) << name;
  }

  // A touch changes the mtime, not the bytes: the listing's Content-MD5 proves it.
  fs::last_write_time(cache_ / "users.parquet",
                      fs::last_write_time(cache_ / "users.parquet") + std::chrono::hours(1));
  ProcessResult second = Sync({"--json"});
  ASSERT_EQ(second.exit_code, 0) << second.stderr_text;
  EXPECT_EQ(Summary(second)["uploaded"], 0) << second.stdout_text;
}

TEST_F(AzureSyncE2E, ASameSizeEditWithAnOlderMtimeIsUploaded) {
  ASSERT_EQ(Sync().exit_code, 0);
  const fs::path file = cache_ / "raw/jira/dt=2025-10-21/data.parquet";
  const auto mtime = fs::last_write_time(file);
  std::fstream edit(file, std::ios::in | std::ios::out | std::ios::binary);
  edit.seekp(100);
  edit.put('\x5a');
  edit.close();
  fs::last_write_time(file, mtime - std::chrono::hours(24));
  ProcessResult run = Sync();
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(Count(run.stdout_text, "upload: "), 1) << run.stdout_text;
  EXPECT_EQ(Listed().at("prod/jira/dt=2025-10-21/data.parquet")["md5"],
            Base64Encode(Md5(ReadFileBytes(file))));
}

TEST_F(AzureSyncE2E, DryRunDeleteAndItsGuardRailsWorkAsOnS3) {
  ProcessResult dry = Sync({"--dryrun"});
  ASSERT_EQ(dry.exit_code, 0) << dry.stderr_text;
  EXPECT_EQ(Count(dry.stdout_text, "(dryrun) upload: "), 4);
  EXPECT_TRUE(Listed().empty());

  ASSERT_EQ(Blobs({"put", kContainer, "other/keep.parquet"}, "not ours").exit_code, 0);
  ASSERT_EQ(Sync().exit_code, 0);
  fs::remove(cache_ / "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
  ProcessResult deleted = Sync({"--delete"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.stderr_text;
  EXPECT_NE(deleted.stdout_text.find("delete: " + Dest() +
                                     "/messages/dt=2025-10-21/channel=dev ops/data.parquet"),
            std::string::npos)
      << deleted.stdout_text;
  auto blobs = Listed();
  EXPECT_EQ(blobs.size(), 4u);
  EXPECT_TRUE(blobs.count("other/keep.parquet")) << "deleted outside the prefix";

  for (const char* f : {"raw/messages/dt=2025-10-21/channel=engineering/data.parquet",
                        "raw/jira/dt=2025-10-21/data.parquet"}) {
    fs::remove(cache_ / f);
  }
  ProcessResult refused = Sync({"--delete"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.stderr_text.find("--max-delete 2"), std::string::npos) << refused.stderr_text;
  EXPECT_EQ(Listed().size(), 4u);
}

TEST_F(AzureSyncE2E, PullBringsTheCacheBackByteForByte) {
  ASSERT_EQ(Sync().exit_code, 0);
  const fs::path copy = dir_.path() / "colleague/cache";
  ProcessResult pulled = Sync({"--pull", "--json"}, copy);
  ASSERT_EQ(pulled.exit_code, 0) << pulled.stderr_text;
  EXPECT_EQ(Summary(pulled)["downloaded"], 4) << pulled.stdout_text;
  for (const char* relative : {"raw/messages/dt=2025-10-21/channel=engineering/data.parquet",
                               "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet",
                               "raw/jira/dt=2025-10-21/data.parquet", "users.parquet"}) {
    EXPECT_EQ(ReadFileBytes(copy / relative), ReadFileBytes(cache_ / relative)) << relative;
  }
  EXPECT_EQ(Summary(Sync({"--pull", "--json"}, copy))["downloaded"], 0);
}

TEST_F(AzureSyncE2E, OneLineOfTheConfigFileMovesTheNightlyJobToAzure) {
  const fs::path config = dir_.path() / "team.yaml";
  std::ofstream(config) << "s3:\n  bucket: the-old-s3-bucket\nsync:\n  dest: " << Dest() << "\n";
  ProcessResult run = RunProcess({SLACK_INTEL_BIN_PATH, "--config", config.string(), "sync",
                                  "--cache-path", cache_.string(), "--json"},
                                 Environment());
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(Summary(run)["uploaded"], 4) << run.stdout_text;
  EXPECT_EQ(Listed().size(), 4u);
}

TEST_F(AzureSyncE2E, ContainerAndCredentialProblemsNameTheFix) {
  ProcessResult missing =
      RunProcess({SLACK_INTEL_BIN_PATH, "sync", "--dest",
                  std::string("az://") + Azurite::kAccount + "/no-such-container/prod",
                  "--cache-path", cache_.string()},
                 Environment());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find("az storage container create"), std::string::npos)
      << missing.stderr_text;

  auto env = Environment();
  env.erase("AZURE_STORAGE_CONNECTION_STRING");
  env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = "http://127.0.0.1:9";  // no managed identity here
  ProcessResult none = RunProcess(
      {SLACK_INTEL_BIN_PATH, "sync", "--dest", Dest(), "--cache-path", cache_.string()}, env);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.stderr_text.find("AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY"),
            std::string::npos)
      << none.stderr_text;

  env["AZURE_STORAGE_CONNECTION_STRING"] =
      "DefaultEndpointsProtocol=http;AccountName=" + std::string(Azurite::kAccount) +
      ";AccountKey=" + Base64Encode("fake-but-wrong-account-key-000000") +
      ";BlobEndpoint=" + azurite_.blob_endpoint();
  ProcessResult refused = RunProcess(
      {SLACK_INTEL_BIN_PATH, "sync", "--dest", Dest(), "--cache-path", cache_.string()}, env);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.stderr_text.find("account key of account slackinteltest was refused"),
            std::string::npos)
      << refused.stderr_text;
  EXPECT_EQ(refused.stderr_text.find(Base64Encode("fake-but-wrong-account-key-000000")),
            std::string::npos);

  ProcessResult s3_flag = Sync({"--sse", "AES256"});
  EXPECT_EQ(s3_flag.exit_code, 1);
  EXPECT_NE(s3_flag.stderr_text.find("az:// has no such setting"), std::string::npos)
      << s3_flag.stderr_text;
  ProcessResult both = Sync({"--bucket", "b"});
  EXPECT_EQ(both.exit_code, 2) << "a usage error: " << both.stderr_text;
}

// A SAS for the container is all sync needs; the token never shows, and one without write
// permission fails with what it lacks.
TEST_F(AzureSyncE2E, AContainerSasIsEnoughAndOneWithoutWriteIsNamed) {
  auto with_sas = [&](const std::string& permissions) {
    ProcessResult sas = Blobs({"sas", kContainer, permissions});
    EXPECT_EQ(sas.exit_code, 0) << sas.stderr_text;
    std::string token = sas.stdout_text.substr(0, sas.stdout_text.find('\n'));
    auto env = Environment();
    env["AZURE_STORAGE_CONNECTION_STRING"] =
        "BlobEndpoint=" + azurite_.blob_endpoint() + ";SharedAccessSignature=" + token;
    return std::make_pair(env, token);
  };
  auto [writer, token] = with_sas("racwdl");
  ProcessResult run = RunProcess(
      {SLACK_INTEL_BIN_PATH, "sync", "--dest", Dest(), "--cache-path", cache_.string()}, writer);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(Listed().size(), 4u);

  auto [reader, read_token] = with_sas("rl");
  Place("duckdb-one-row.parquet", "raw/jira/dt=2025-10-22/data.parquet");
  ProcessResult refused = RunProcess(
      {SLACK_INTEL_BIN_PATH, "sync", "--dest", Dest(), "--cache-path", cache_.string()}, reader);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.stderr_text.find("lacks read, write, list or delete permission"),
            std::string::npos)
      << refused.stderr_text;
  const std::string signature = read_token.substr(read_token.find("sig=") + 4);
  EXPECT_EQ(refused.stderr_text.find(signature.substr(0, 20)), std::string::npos)
      << "the SAS signature is a secret";
}

// Bytes flipped on the way up are refused by the service for their MD5 and sent again; bytes
// flipped on the way down are refused by us, and the file stays as it was.
TEST_F(AzureSyncE2E, FlippedBytesAreCaughtAndNeverStored) {
  auto through = [&](const ServerProcess& proxy) {
    auto env = Environment();
    env["AZURE_STORAGE_CONNECTION_STRING"] =
        "DefaultEndpointsProtocol=http;AccountName=" + std::string(Azurite::kAccount) +
        ";AccountKey=" + Azurite::kKey + ";BlobEndpoint=" + proxy.base_url() + "/" +
        Azurite::kAccount;
    return env;
  };
  auto flipping_uploads =
      StartFaultProxy(azurite_.process().base_url(), {"--flip-request-every", "3"});
  ProcessResult pushed =
      RunProcess({SLACK_INTEL_BIN_PATH, "sync", "--dest", Dest(), "--cache-path", cache_.string()},
                 through(*flipping_uploads));
  ASSERT_EQ(pushed.exit_code, 0) << pushed.stderr_text;
  EXPECT_GT(FaultCounts(*flipping_uploads)["flip_request"].get<int>(), 0);
  for (const auto& [name, blob] : Listed()) {
    const std::string relative = name.substr(5);  // after "prod/"
    const fs::path local =
        cache_ / (relative.find('/') == std::string::npos ? relative : "raw/" + relative);
    EXPECT_EQ(Blobs({"get", kContainer, name}).stdout_text, ReadFileBytes(local)) << name;
  }

  const fs::path copy = dir_.path() / "colleague/cache";
  ASSERT_EQ(Sync({"--pull"}, copy).exit_code, 0);
  const std::string relative = "raw/messages/dt=2025-10-21/channel=engineering/data.parquet";
  const std::string good = ReadFileBytes(copy / relative);
  Place("duckdb-dictionary.parquet", relative);  // a new version upstream
  ASSERT_EQ(Sync().exit_code, 0);
  auto flipping_downloads =
      StartFaultProxy(azurite_.process().base_url(), {"--seed", "5", "--flip-response-rate", "1"});
  ProcessResult pulled = RunProcess(
      {SLACK_INTEL_BIN_PATH, "sync", "--dest", Dest(), "--cache-path", copy.string(), "--pull"},
      through(*flipping_downloads));
  EXPECT_EQ(pulled.exit_code, 1);
  EXPECT_NE(pulled.stderr_text.find("MD5"), std::string::npos) << pulled.stderr_text;
  EXPECT_TRUE(ReadFileBytes(copy / relative) == good) << "a good file was replaced by bad bytes";
}

TEST_F(AzureSyncE2E, FiltersAndCompareModesFollowTheirRulesAsOnS3) {
  ProcessResult filtered =
      Sync({"--exclude", "messages/*", "--include", "*channel=engineering*", "--json"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.stderr_text;
  auto blobs = Listed();
  EXPECT_EQ(blobs.size(), 3u);
  EXPECT_FALSE(blobs.count("prod/messages/dt=2025-10-21/channel=dev ops/data.parquet"));
  ASSERT_EQ(Sync().exit_code, 0);
  fs::remove(cache_ / "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
  EXPECT_EQ(Summary(Sync({"--delete", "--exclude", "*dev ops*", "--json"}))["deleted"], 0)
      << "an excluded blob is not deleted";
  EXPECT_EQ(Listed().size(), 4u);

  // Same size, older mtime: size and mtime leave it, content sends it.
  const fs::path jira = cache_ / "raw/jira/dt=2025-10-21/data.parquet";
  const auto mtime = fs::last_write_time(jira);
  std::fstream edit(jira, std::ios::in | std::ios::out | std::ios::binary);
  edit.seekp(100);
  edit.put('\x5a');
  edit.close();
  fs::last_write_time(jira, mtime - std::chrono::hours(24));
  EXPECT_EQ(Summary(Sync({"--json", "--compare", "size"}))["uploaded"], 0);
  EXPECT_EQ(Summary(Sync({"--json", "--compare", "mtime"}))["uploaded"], 0);
  EXPECT_EQ(Summary(Sync({"--json"}))["uploaded"], 1);
}

// The nightly job's one command: import, then sync to Azure with --dest.
TEST_F(AzureSyncE2E, ImportWithSyncSendsWhatItWroteToAzure) {
  const fs::path cache = dir_.path() / "imported";
  ProcessResult run = RunProcess(
      {SLACK_INTEL_BIN_PATH, "import",
       std::string(SLACK_INTEL_SOURCE_DIR) + "/tests/testdata/slack-export-viewer-testarchive",
       "--cache-path", cache.string(), "--no-jira", "--sync", "--dest",
       std::string("az://") + Azurite::kAccount + "/" + kContainer + "/imported", "--json"},
      Environment());
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  int imported = 0;
  for (const auto& [name, blob] : Listed()) {
    if (name.rfind("imported/", 0) != 0) continue;
    ++imported;
    const std::string relative = name.substr(9);
    const fs::path local =
        cache / (relative.find('/') == std::string::npos ? relative : "raw/" + relative);
    EXPECT_EQ(blob["md5"], Base64Encode(Md5(ReadFileBytes(local)))) << name;
  }
  EXPECT_GT(imported, 2);
}

// An endpoint whose certificate this machine does not trust is refused with one clear line;
// trusting it (SSL_CERT_FILE, as OpenSSL reads it) makes the same sync work.
TEST(AzureSyncTls, AnUntrustedCertificateIsRefusedAndATrustedOneWorks) {
  Azurite azurite(/*oauth=*/true);
  TempDir dir;
  const fs::path cache = dir.path() / "cache";
  fs::create_directories(cache);
  fs::copy_file(kTestData / "duckdb-one-row.parquet", cache / "users.parquet");
  std::map<std::string, std::string> env = {
      {"AZURE_STORAGE_CONNECTION_STRING", azurite.connection_string()},
      {"NODE_EXTRA_CA_CERTS", azurite.certificate_file()},
      {"HOME", dir.path().string()}};
  ASSERT_EQ(RunProcess(
                {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/azure-blobs/azure_blobs.mjs",
                 "create", "slack-data"},
                env)
                .exit_code,
            0);
  const std::vector<std::string> sync = {
      SLACK_INTEL_BIN_PATH,
      "sync",
      "--dest",
      std::string("az://") + Azurite::kAccount + "/slack-data/prod",
      "--cache-path",
      cache.string()};
  ProcessResult untrusted = RunProcess(sync, env);
  EXPECT_EQ(untrusted.exit_code, 1);
  EXPECT_NE(untrusted.stderr_text.find("certificate"), std::string::npos) << untrusted.stderr_text;
  EXPECT_EQ(SplitLines(untrusted.stderr_text).size(), 1u) << untrusted.stderr_text;
  env["SSL_CERT_FILE"] = azurite.certificate_file();
  ProcessResult trusted = RunProcess(sync, env);
  EXPECT_EQ(trusted.exit_code, 0) << trusted.stderr_text;
}

// On an Azure VM nothing but the account is needed: the managed identity's token comes from
// the metadata endpoint (the stand-in) and Azurite (--oauth basic, over TLS) checks its claims.
TEST(AzureSyncManagedIdentity, TheMachinesIdentityIsEnoughWithNoKeyOrSas) {
  Azurite azurite(/*oauth=*/true);
  TempDir dir;
  auto imds = ServerProcess::Start(
      {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/azure-imds.mjs"});
  const fs::path cache = dir.path() / "cache";
  fs::create_directories(cache / "raw/jira/dt=2025-10-21");
  fs::copy_file(kTestData / "duckdb-dictionary.parquet",
                cache / "raw/jira/dt=2025-10-21/data.parquet");
  fs::copy_file(kTestData / "duckdb-one-row.parquet", cache / "users.parquet");
  ProcessResult created = RunProcess(
      {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/azure-blobs/azure_blobs.mjs", "create",
       "slack-data"},
      {{"AZURE_STORAGE_CONNECTION_STRING", azurite.connection_string()},
       {"NODE_EXTRA_CA_CERTS", azurite.certificate_file()}});
  ASSERT_EQ(created.exit_code, 0) << created.stderr_text;

  const std::map<std::string, std::string> identity = {
      {"AZURE_STORAGE_CONNECTION_STRING", "BlobEndpoint=" + azurite.blob_endpoint()},
      {"AZURE_POD_IDENTITY_AUTHORITY_HOST", imds->base_url()},
      {"SSL_CERT_FILE", azurite.certificate_file()},
      {"HOME", dir.path().string()}};
  ProcessResult run = RunProcess({SLACK_INTEL_BIN_PATH, "sync", "--dest",
                                  std::string("az://") + Azurite::kAccount + "/slack-data/prod",
                                  "--cache-path", cache.string(), "--json"},
                                 identity);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto lines = SplitLines(run.stdout_text);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(nlohmann::json::parse(lines.back())["summary"]["uploaded"], 2) << run.stdout_text;
  EXPECT_EQ(run.stderr_text.find("eyJ"), std::string::npos) << "the token is a secret";
}

TEST_F(AzureSyncE2E, ServerBusyRepliesAreRetriedAndTheSyncCompletes) {
  auto proxy = StartFaultProxy(azurite_.process().base_url(),
                               {"--seed", "7", "--slowdown-rate", "0.2", "--reset-rate", "0.05"});
  auto env = Environment();
  env["AZURE_STORAGE_CONNECTION_STRING"] =
      "DefaultEndpointsProtocol=http;AccountName=" + std::string(Azurite::kAccount) +
      ";AccountKey=" + Azurite::kKey + ";BlobEndpoint=" + proxy->base_url() + "/" +
      Azurite::kAccount;
  ProcessResult run = RunProcess(
      {SLACK_INTEL_BIN_PATH, "sync", "--dest", Dest(), "--cache-path", cache_.string(), "--json"},
      env);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_GT(FaultCounts(*proxy)["slowdown"].get<int>(), 0);
  const auto blobs = Listed();
  ASSERT_EQ(blobs.size(), 4u);
  EXPECT_EQ(blobs.at("prod/users.parquet")["md5"],
            Base64Encode(Md5(ReadFileBytes(cache_ / "users.parquet"))));
}

}  // namespace
}  // namespace slack_intel::testing

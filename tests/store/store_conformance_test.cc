// The ObjectStore conformance suite: one body of tests, run against every store (a folder, the
// cache's folder with its raw/ mapping, S3 on the local Ceph RADOS Gateway, the S3 store in its
// GCS mode on the same, and Azure Blob on Azurite). A new store is done when it passes (STYLE.md
// section 10).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "aws/credential_provider.h"
#include "azure/blob_client.h"
#include "store/azure_store.h"
#include "store/local_dir_store.h"
#include "store/object_store.h"
#include "store/open_store.h"
#include "store/s3_store.h"
#include "support/azurite.h"
#include "support/files.h"
#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"
#include "support/temp_dir.h"
#include "util/digest.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;

// How one kind of store is made for a test, and what stray entries it may hold that its
// listing must not show.
struct StoreKind {
  std::string name;
  std::function<std::unique_ptr<store::ObjectStore>(const fs::path& scratch)> open;
  std::function<void(store::ObjectStore& store)> plant_strays;
};

// gtest names the store in a failing test's parameter.
void PrintTo(const StoreKind& kind, std::ostream* out) { *out << kind.name; }

constexpr uint64_t kPartBytes = 5ull << 20;  // S3's smallest part: multipart from here on

StoreKind FolderKind(const std::string& name, const std::string& keyed_folder) {
  return {name,
          [keyed_folder](const fs::path& scratch) -> std::unique_ptr<store::ObjectStore> {
            fs::create_directories(scratch / "store");
            store::StoreOptions options;
            options.keyed_folder = keyed_folder;
            auto opened = store::OpenStore("file://" + (scratch / "store").string(), options);
            if (!opened.ok()) throw std::runtime_error(opened.status().message());
            return std::move(*opened);
          },
          [](store::ObjectStore& store) {
            // Temp files of writes in progress, a hidden folder, a link that leads outside.
            const fs::path root = store.AsLocalFolder()->PathOf("x").parent_path();
            std::ofstream(root / ".users.parquet.123.tmp") << "half";
            fs::create_directories(root / ".slack-intel");
            std::ofstream(root / ".slack-intel" / "manifest") << "state";
            fs::create_symlink("/etc", root / "etc-link");
          }};
}

// `scheme` "gs": the S3 store as gs:// opens it for GCS (one DELETE per object), on Ceph.
StoreKind S3Kind(const std::string& scheme = "s3") {
  return {scheme == "s3" ? "s3" : "gcs_mode_on_ceph",
          [scheme](const fs::path&) -> std::unique_ptr<store::ObjectStore> {
            const S3TestServer server = LoadS3TestServer();
            const std::string bucket =
                UniqueBucketName(::testing::UnitTest::GetInstance()->current_test_info()->name());
            const HttpReply created = ReferenceS3Request(server, "PUT", "/" + bucket);
            if (created.status != 200) throw std::runtime_error("cannot create " + bucket);
            store::StoreOptions options;
            options.s3.endpoint_url = server.endpoint;
            options.s3.region = server.region;
            options.s3.credentials =
                aws::MakeStaticProvider({server.access_key, server.secret_key, "", {}, "test"});
            options.s3.retry.base_delay = std::chrono::milliseconds(1);
            options.upload.multipart_threshold_bytes = kPartBytes;
            options.upload.part_size_bytes = kPartBytes;
            auto opened = store::OpenStore(scheme + "://" + bucket + "/conformance", options);
            if (!opened.ok()) throw std::runtime_error(opened.status().message());
            return std::move(*opened);
          },
          [](store::ObjectStore& store) {
            // Beside the prefix: the store's listing must not reach it.
            auto& s3 = dynamic_cast<store::S3Store&>(store);
            const HttpReply put =
                ReferenceS3Request(LoadS3TestServer(), "PUT",
                                   "/" + s3.options().bucket + "/conformance-sibling", "not ours");
            if (put.status != 200) throw std::runtime_error("cannot plant a stray object");
          }};
}

// One Azurite for the test process (each test runs in a process of its own), stopped when the
// process exits.
const Azurite& SharedAzurite() {
  static const Azurite azurite;
  return azurite;
}

StoreKind AzureKind() {
  return {"azure",
          [](const fs::path&) -> std::unique_ptr<store::ObjectStore> {
            const Azurite& azurite = SharedAzurite();
            store::StoreOptions options;
            options.env = {{"AZURE_STORAGE_CONNECTION_STRING", azurite.connection_string()}};
            options.azure.retry.base_delay = std::chrono::milliseconds(1);
            options.upload.multipart_threshold_bytes = kPartBytes;
            options.upload.part_size_bytes = kPartBytes;
            static int containers = 0;  // a fresh container for each test
            const std::string container = "conformance-" + std::to_string(++containers);
            auto opened = store::OpenStore(
                fmt::format("az://{}/{}/prefix", Azurite::kAccount, container), options);
            if (!opened.ok()) throw std::runtime_error(opened.status().message());
            auto& azure = dynamic_cast<store::AzureStore&>(**opened);
            const Status created =
                azure::BlobClient(azure.options().client).CreateContainer(container);
            if (!created.ok() && created.code() != StatusCode::kFailedPrecondition)
              throw std::runtime_error(created.message());
            return std::move(*opened);
          },
          [](store::ObjectStore& store) {
            // Beside the prefix: the store's listing must not reach it.
            auto& azure = dynamic_cast<store::AzureStore&>(store);
            TempDir dir;
            std::ofstream(dir.path() / "stray") << "not ours";
            azure::BlobClient client(azure.options().client);
            auto put = client.PutBlob(azure.options().container, "prefix-sibling",
                                      {dir.path() / "stray", 0, 8}, Base64Encode(Md5("not ours")),
                                      "text/plain");
            if (!put.ok()) throw std::runtime_error(put.status().message());
          }};
}

class StoreConformance : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override { store_ = GetParam().open(dir_.path()); }

  fs::path WriteFile(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_.path() / "files" / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  store::Stored Put(const std::string& key, const std::string& bytes) {
    auto stored = store_->PutFile(key, WriteFile("put-source", bytes), {});
    EXPECT_TRUE(stored.ok()) << key << ": " << stored.status().message();
    return stored.ok() ? *stored : store::Stored{};
  }

  std::vector<store::ObjectInfo> ListAll(const store::ListOptions& options = {}) {
    std::vector<store::ObjectInfo> objects;
    auto listing = store_->List(options);
    EXPECT_TRUE(listing.ok()) << listing.status().message();
    if (!listing.ok()) return objects;
    while (true) {
      auto next = (*listing)->Next();
      EXPECT_TRUE(next.ok()) << next.status().message();
      if (!next.ok() || !*next) return objects;
      objects.push_back(std::move(**next));
    }
  }

  std::vector<std::string> Keys(const std::vector<store::ObjectInfo>& objects) {
    std::vector<std::string> keys;
    for (const auto& o : objects) keys.push_back(o.key);
    return keys;
  }

  TempDir dir_;
  std::unique_ptr<store::ObjectStore> store_;
};

TEST_P(StoreConformance, ListsEveryObjectOnceInKeyByteOrderWhateverTheRanges) {
  // '-' (0x2D) < '/' (0x2F) < '0' (0x30) < 'z' < 'é' (0xC3): S3 lists a-b, a/x, a0.
  const std::vector<std::string> keys = {
      "users.parquet",
      "a-b",
      "a/x",
      "a0",
      "channel=z/f",
      "channel=é/f",
      "messages/dt=2025-10-21/channel=dev ops/data.parquet",
      "messages/dt=2025-10-21/channel=100%25%3D/data.parquet",
      "jira/dt=2025-10-21/data.parquet",
  };
  for (const std::string& key : keys) Put(key, "body of " + key);
  GetParam().plant_strays(*store_);
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());

  for (const store::ListOptions& options :
       {store::ListOptions{}, store::ListOptions{{"a0", "channel=é", "jira/zz"}, 3}}) {
    const auto objects = ListAll(options);
    EXPECT_EQ(Keys(objects), sorted) << options.split_keys.size() << " split keys";
    for (const auto& o : objects) {
      EXPECT_EQ(o.size_bytes, ("body of " + o.key).size()) << o.key;
      EXPECT_NE(o.mtime_ns, store::kUnknownTime) << o.key;
    }
  }
}

TEST_P(StoreConformance, BytesRoundTripAndTheHeadAgreesWithTheListing) {
  std::string bytes("PAR1\0\xff\x01 binary, with NULs\n", 26);
  for (int i = 0; i < 5000; ++i) bytes += static_cast<char>(i * 31 % 256);
  const store::Stored stored = Put("messages/dt=2025-10-21/channel=eng/data.parquet", bytes);
  EXPECT_EQ(stored.md5_hex, HexEncode(Md5(bytes)));

  auto head = store_->Stat("messages/dt=2025-10-21/channel=eng/data.parquet");
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->info.size_bytes, bytes.size());
  if (!head->content_md5_hex.empty()) {
    EXPECT_EQ(head->content_md5_hex, stored.md5_hex);
  }
  const auto listed = ListAll();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].etag, head->info.etag);
  EXPECT_EQ(listed[0].mtime_ns / 1'000'000'000, head->info.mtime_ns / 1'000'000'000);

  const fs::path out = dir_.path() / "out" / "data.parquet";
  fs::create_directories(out.parent_path());
  auto got = store_->GetFile(listed[0], out);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(ReadFileBytes(out), bytes);
  EXPECT_EQ(got->md5_hex, stored.md5_hex);
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(static_cast<int64_t>(st.st_mtim.tv_sec), listed[0].mtime_ns / 1'000'000'000)
      << "the file takes the object's time, as aws s3 sync sets it";
}

TEST_P(StoreConformance, ObjectsLargerThanAPartRoundTrip) {
  std::string bytes(2 * kPartBytes + 12345, '\0');
  for (size_t i = 0; i < bytes.size(); i += 4096) bytes[i] = static_cast<char>(i / 4096);
  const store::Stored stored = Put("big/data.parquet", bytes);
  EXPECT_EQ(stored.md5_hex, HexEncode(Md5(bytes)));
  const auto listed = ListAll();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].size_bytes, bytes.size());
  const fs::path out = dir_.path() / "big.parquet";
  auto got = store_->GetFile(listed[0], out);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_TRUE(ReadFileBytes(out) == bytes);
}

TEST_P(StoreConformance, DeleteRemovesTheKeysGivenAndOnlyThose) {
  for (const char* key : {"a/1", "a/2", "b/1", "top"}) Put(key, key);
  auto failures = store_->Delete({"a/1", "a/2", "top", "never/was"});
  ASSERT_TRUE(failures.ok()) << failures.status().message();
  EXPECT_TRUE(failures->empty()) << (*failures)[0].key << ": " << (*failures)[0].message;
  EXPECT_EQ(Keys(ListAll()), std::vector<std::string>{"b/1"});
  if (store::LocalFolder* folder = store_->AsLocalFolder()) {
    EXPECT_FALSE(fs::exists(folder->PathOf("a/1").parent_path())) << "an emptied folder stays";
  }
}

TEST_P(StoreConformance, AMissingObjectIsNotFoundAndTouchesNothing) {
  EXPECT_EQ(store_->Stat("no/such/key").status().code(), StatusCode::kNotFound);
  const fs::path out = WriteFile("kept", "the good local file");
  auto got = store_->GetFile({"no/such/key", 5, store::kUnknownTime, "", {}}, out);
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound) << got.status().message();
  EXPECT_EQ(ReadFileBytes(out), "the good local file");
  EXPECT_EQ(fs::directory_iterator(out.parent_path()) == fs::directory_iterator(), false);
  for (const auto& entry : fs::directory_iterator(out.parent_path()))
    EXPECT_FALSE(entry.path().filename().string().ends_with(".tmp")) << entry.path();
}

TEST_P(StoreConformance, AFailedPutOrGetLeavesNothingVisible) {
  auto put = store_->PutFile("users.parquet", dir_.path() / "missing-source", {});
  EXPECT_FALSE(put.ok());
  EXPECT_TRUE(ListAll().empty()) << "a failed put left an object";
  if (store::LocalFolder* folder = store_->AsLocalFolder()) {
    for (const auto& entry :
         fs::recursive_directory_iterator(folder->PathOf("users.parquet").parent_path()))
      ADD_FAILURE() << "left behind: " << entry.path();
  }

  // A get whose object is not the size listed: refused, the destination as it was.
  Put("users.parquet", "twelve bytes");
  auto listed = ListAll();
  ASSERT_EQ(listed.size(), 1u);
  listed[0].size_bytes = 5;
  const fs::path out = WriteFile("users.parquet", "the good local file");
  auto got = store_->GetFile(listed[0], out);
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption) << got.status().message();
  EXPECT_EQ(ReadFileBytes(out), "the good local file");
  for (const auto& entry : fs::directory_iterator(out.parent_path()))
    EXPECT_FALSE(entry.path().filename().string().ends_with(".tmp")) << entry.path();
}

INSTANTIATE_TEST_SUITE_P(EveryStore, StoreConformance,
                         ::testing::Values(FolderKind("folder", ""),
                                           FolderKind("cache_folder", "raw"), S3Kind(),
                                           S3Kind("gs"), AzureKind()),
                         [](const ::testing::TestParamInfo<StoreKind>& kind) {
                           return kind.param.name;
                         });

// What only a folder does: keys that would leave it are refused, and folders that lead outside
// through a symbolic link are never written to.
TEST(LocalDirStore, RefusesKeysAndFoldersThatLeadOutside) {
  TempDir dir;
  fs::create_directories(dir.path() / "cache/raw");
  store::LocalDirStore cache({dir.path() / "cache", "raw", {}});
  for (const char* key : {"../x", "a/../../x", "/etc/passwd", "a\\b", "a//b", ".hidden/x", "x.tmp",
                          "tab\there", ""}) {
    EXPECT_EQ(cache.CheckKey(key).code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(cache.PrepareWrite(key).status().code(), StatusCode::kInvalidArgument) << key;
  }
  EXPECT_EQ(cache.PathOf("messages/dt=1/f"), dir.path() / "cache/raw/messages/dt=1/f");
  EXPECT_EQ(cache.PathOf("users.parquet"), dir.path() / "cache/users.parquet");
  fs::create_directories(dir.path() / "elsewhere");
  fs::create_directory_symlink(dir.path() / "elsewhere", dir.path() / "cache/raw/messages");
  auto escaped = cache.PrepareWrite("messages/dt=1/f");
  EXPECT_EQ(escaped.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(fs::is_empty(dir.path() / "elsewhere")) << "wrote through the link";
}

TEST(OpenStore, ReadsTheSchemeAndNothingElseDoes) {
  store::StoreOptions options;
  options.s3.credentials = aws::MakeStaticProvider({"id", "secret", "", {}, "test"});
  auto s3 = store::OpenStore("s3://my-bucket//daily/2025", options);
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ((*s3)->Describe("users.parquet"), "s3://my-bucket/daily/2025/users.parquet");
  EXPECT_EQ((*s3)->AsLocalFolder(), nullptr);
  auto folder = store::OpenStore("file:///tmp/cache", options);
  ASSERT_TRUE(folder.ok());
  EXPECT_EQ((*folder)->Describe("users.parquet"), "/tmp/cache/users.parquet");
  EXPECT_NE((*folder)->AsLocalFolder(), nullptr);
  EXPECT_TRUE(store::OpenStore("relative/cache", options).ok());
  EXPECT_EQ(store::OpenStore("s3://Bad_Bucket", options).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store::OpenStore("ftp://bucket", options).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(store::OpenStore("gs://bucket", options).ok());
  EXPECT_EQ(store::OpenStore("file://host/dir", options).status().code(),
            StatusCode::kInvalidArgument);

  // No key or SAS: the managed identity, asked only when the first request goes.
  EXPECT_TRUE(store::OpenStore("az://acme/slack/prod", options).ok());
  options.env = {{"AZURE_STORAGE_ACCOUNT", "acme"}, {"AZURE_STORAGE_KEY", "a2V5a2V5"}};
  auto azure = store::OpenStore("az://acme/slack//prod", options);
  ASSERT_TRUE(azure.ok()) << azure.status().message();
  EXPECT_EQ((*azure)->Describe("users.parquet"), "az://acme/slack/prod/users.parquet");
  for (const char* bad : {"az://acme", "az://acme/", "az://acme/Slack", "az://acme/ab",
                          "az://acme/a--b", "az://other/slack/p"}) {
    EXPECT_EQ(store::OpenStore(bad, options).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace slack_intel::testing

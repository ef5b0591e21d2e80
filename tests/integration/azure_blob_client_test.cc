// The Azure Blob client against Azurite: Shared Key requests it accepts, block blobs in one
// piece and in blocks with their Content-MD5 kept, listings paged by marker, and the errors a
// user meets named with their fix. Also the connection string and environment rules.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "azure/blob_client.h"
#include "azure/shared_key.h"
#include "azure/storage_account.h"
#include "support/azurite.h"
#include "support/files.h"
#include "support/server_process.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "util/digest.h"

namespace slack_intel::azure {
namespace {

namespace fs = std::filesystem;
using testing::Azurite;

TEST(SharedKey, SignsVerbHeadersAndResourceInTheDocumentedOrder) {
  http::Request request;
  request.method = "PUT";
  request.url =
      "http://127.0.0.1:10000/acct/cont/dt%3D2024-01-01/a%20b?comp=block&blockid=QQ%3D%3D";
  request.headers = {{"Content-Length", "11"},
                     {"content-md5", "XrY7u+Ae7tCTyyK7j1rNww=="},
                     {"x-ms-version", "2021-12-02"},
                     {"x-ms-date", "Mon, 07 Dec 2026 17:00:00 GMT"},
                     {"X-Ms-Blob-Type", "  BlockBlob  "}};
  EXPECT_EQ(SharedKeyStringToSign(request, "acct"),
            "PUT\n\n\n11\nXrY7u+Ae7tCTyyK7j1rNww==\n\n\n\n\n\n\n\n"
            "x-ms-blob-type:BlockBlob\nx-ms-date:Mon, 07 Dec 2026 17:00:00 GMT\n"
            "x-ms-version:2021-12-02\n"
            "/acct/acct/cont/dt%3D2024-01-01/a%20b\nblockid:QQ==\ncomp:block");
  request.headers[0].value = "0";  // a zero Content-Length signs as empty (2015-02-21 and on)
  EXPECT_EQ(SharedKeyStringToSign(request, "acct").substr(0, 8), "PUT\n\n\n\nX");
  EXPECT_EQ(HttpDate(1796662800), "Mon, 07 Dec 2026 17:00:00 GMT");
}

TEST(StorageAccount, ConnectionStringsAndTheEnvironmentAsTheAzCliReadsThem) {
  auto parsed = ParseConnectionString(
      "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5a2V5;"
      "EndpointSuffix=core.windows.net");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->blob_endpoint, "https://acme.blob.core.windows.net");
  EXPECT_EQ(parsed->key, "a2V5a2V5");
  parsed = ParseConnectionString(
      "BlobEndpoint=http://127.0.0.1:1/x/;SharedAccessSignature=?sv=1&sig=a%3D");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->blob_endpoint, "http://127.0.0.1:1/x");
  EXPECT_EQ(parsed->sas, "sv=1&sig=a%3D");

  const auto refused = ParseConnectionString("AccountName=acme;AccountKey=not base64!");
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().find("not base64!"), std::string::npos) << "no key shown";
  EXPECT_FALSE(ParseConnectionString("garbage").ok());

  auto from_env = ResolveStorageAccount(
      {{"AZURE_STORAGE_ACCOUNT", "acme"}, {"AZURE_STORAGE_KEY", "a2V5a2V5"}}, "acme");
  ASSERT_TRUE(from_env.ok()) << from_env.status().message();
  EXPECT_EQ(from_env->source, "AZURE_STORAGE_KEY");
  auto sas = ResolveStorageAccount({{"AZURE_STORAGE_SAS_TOKEN", "?sv=1&sig=x"}}, "acme");
  ASSERT_TRUE(sas.ok());
  EXPECT_EQ(sas->name, "acme");
  EXPECT_EQ(sas->sas, "sv=1&sig=x");
  // Nothing but the account: its managed identity, asked when the first request goes.
  auto identity = ResolveStorageAccount({}, "acme");
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_NE(identity->token, nullptr);
  EXPECT_EQ(identity->source, "the managed identity");
  auto endpoint_only = ResolveStorageAccount(
      {{"AZURE_STORAGE_CONNECTION_STRING", "BlobEndpoint=https://10.0.0.5/acme"}}, "acme");
  ASSERT_TRUE(endpoint_only.ok()) << endpoint_only.status().message();
  EXPECT_NE(endpoint_only->token, nullptr);
  const auto none = ResolveStorageAccount({}, "");
  EXPECT_NE(none.status().message().find("AZURE_STORAGE_CONNECTION_STRING"), std::string::npos);
  const auto other = ResolveStorageAccount(
      {{"AZURE_STORAGE_ACCOUNT", "other"}, {"AZURE_STORAGE_KEY", "a2V5a2V5"}}, "acme");
  EXPECT_NE(other.status().message().find("account other"), std::string::npos);
}

// The managed identity's token comes from the metadata endpoint (the stand-in), once, and again
// when it is 5 minutes from expiring; an endpoint that is not there names what to set instead.
TEST(ManagedIdentity, TheTokenComesFromTheMetadataEndpointAndIsKeptUntilNearItsExpiry) {
  testing::TempDir dir;
  const std::string log = (dir.path() / "imds.log").string();
  auto imds = testing::ServerProcess::Start(
      {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/azure-imds.mjs", "--log",
       log});
  auto source = MakeManagedIdentityTokenSource(
      {{{"AZURE_POD_IDENTITY_AUTHORITY_HOST", imds->base_url()}}, &SystemClock(), {}});
  auto first = source->Token();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(std::count(first->begin(), first->end(), '.'), 2) << "a JWT";
  auto second = source->Token();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(testing::SplitLines(testing::ReadFileBytes(log)).size(), 1u) << "kept, not re-asked";

  auto short_lived = testing::ServerProcess::Start(
      {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/standins/azure-imds.mjs",
       "--expires-in-seconds", "120", "--log", log + ".2"});
  auto refreshing = MakeManagedIdentityTokenSource(
      {{{"AZURE_POD_IDENTITY_AUTHORITY_HOST", short_lived->base_url()}}, &SystemClock(), {}});
  ASSERT_TRUE(refreshing->Token().ok());
  ASSERT_TRUE(refreshing->Token().ok());
  EXPECT_EQ(testing::SplitLines(testing::ReadFileBytes(log + ".2")).size(), 2u)
      << "a token 2 minutes from expiry is fetched again";

  auto wrong_identity = MakeManagedIdentityTokenSource(
      {{{"AZURE_POD_IDENTITY_AUTHORITY_HOST", imds->base_url()}, {"AZURE_CLIENT_ID", "other"}},
       &SystemClock(),
       {}});
  auto refused = wrong_identity->Token();
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("Identity not found"), std::string::npos)
      << refused.status().message();

  auto nobody = MakeManagedIdentityTokenSource(
      {{{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9"}}, &SystemClock(), {}});
  auto absent = nobody->Token();
  EXPECT_NE(absent.status().message().find("no managed identity answered"), std::string::npos)
      << absent.status().message();
  EXPECT_NE(absent.status().message().find("AZURE_STORAGE_CONNECTION_STRING"), std::string::npos);
}

class BlobClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { azurite_ = new Azurite(); }
  static void TearDownTestSuite() {
    delete azurite_;
    azurite_ = nullptr;
  }

  void SetUp() override {
    auto account = ParseConnectionString(azurite_->connection_string());
    ASSERT_TRUE(account.ok()) << account.status().message();
    account_ = *account;
    container_ = "container-" + std::to_string(++containers_);
    const Status created = Client().CreateContainer(container_);
    ASSERT_TRUE(created.ok()) << created.message();
  }

  BlobClient Client(StorageAccount account) {
    BlobClientOptions options;
    options.account = std::move(account);
    options.retry.max_attempts = 2;
    return BlobClient(options);
  }
  BlobClient Client() { return Client(account_); }

  fs::path WriteFile(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  static Azurite* azurite_;
  static int containers_;
  StorageAccount account_;
  std::string container_;
  testing::TempDir dir_;
};
Azurite* BlobClientTest::azurite_ = nullptr;
int BlobClientTest::containers_ = 0;

TEST_F(BlobClientTest, APutBlobKeepsItsMd5AndComesBackWhole) {
  const std::string bytes = "PAR1 some parquet bytes PAR1";
  const fs::path file = WriteFile("a", bytes);
  const std::string md5 = Base64Encode(Md5(bytes));
  BlobClient client = Client();
  const std::string key = "raw/messages/dt=2024-01-01/channel=café ünï/data.parquet";
  auto put = client.PutBlob(container_, key, {file, 0, bytes.size()}, md5,
                            "application/vnd.apache.parquet");
  ASSERT_TRUE(put.ok()) << put.status().message();
  EXPECT_FALSE(put->etag.empty());

  auto head = client.GetProperties(container_, key);
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->size_bytes, bytes.size());
  EXPECT_EQ(head->content_md5_base64, md5);
  EXPECT_EQ(head->etag, put->etag);

  const fs::path back = dir_.path() / "back";
  auto got = client.GetBlob(container_, key, back, bytes.size());
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(testing::ReadFileBytes(back), bytes);
  EXPECT_EQ(got->content_md5_base64, md5);
}

TEST_F(BlobClientTest, ABodyThatDoesNotMatchItsMd5IsRefusedAndLeavesNothing) {
  const fs::path file = WriteFile("a", "the bytes sent");
  BlobClient client = Client();
  auto put = client.PutBlob(container_, "k", {file, 0, 14}, Base64Encode(Md5("other bytes")),
                            "application/octet-stream");
  EXPECT_EQ(put.status().code(), StatusCode::kCorruption) << put.status().message();
  EXPECT_EQ(client.GetProperties(container_, "k").status().code(), StatusCode::kNotFound);
}

TEST_F(BlobClientTest, BlocksCommittedByABlockListMakeOneBlobWithTheWholeMd5) {
  std::string bytes;
  for (int i = 0; i < 3000; ++i) bytes += "row " + std::to_string(i) + "\n";
  const fs::path file = WriteFile("big", bytes);
  BlobClient client = Client();
  std::vector<std::string> ids;
  const uint64_t block = 10'000;
  for (uint64_t offset = 0; offset < bytes.size(); offset += block) {
    const uint64_t length = std::min<uint64_t>(block, bytes.size() - offset);
    ids.push_back(BlockId(static_cast<int>(ids.size())));
    ASSERT_TRUE(client
                    .PutBlock(container_, "big.parquet", ids.back(), {file, offset, length},
                              Base64Encode(Md5(bytes.substr(offset, length))))
                    .ok());
  }
  ASSERT_GT(ids.size(), 2u);
  EXPECT_EQ(client.GetProperties(container_, "big.parquet").status().code(), StatusCode::kNotFound)
      << "uncommitted blocks are not a blob";
  const std::string md5 = Base64Encode(Md5(bytes));
  auto committed = client.PutBlockList(container_, "big.parquet", ids, md5, "application/x");
  ASSERT_TRUE(committed.ok()) << committed.status().message();
  auto head = client.GetProperties(container_, "big.parquet");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size_bytes, bytes.size());
  EXPECT_EQ(head->content_md5_base64, md5);
  const fs::path back = dir_.path() / "back";
  ASSERT_TRUE(client.GetBlob(container_, "big.parquet", back, bytes.size()).ok());
  EXPECT_EQ(testing::ReadFileBytes(back), bytes);
}

TEST_F(BlobClientTest, ListingsComeInNameOrderPageByPageWithTheirMd5s) {
  BlobClient client = Client();
  const std::set<std::string> names = {"raw/a b/1", "raw/a+b/2", "raw/x/ünï", "raw/x/y/z",
                                       "users.parquet"};
  for (const std::string& name : names) {
    const fs::path file = WriteFile("f", name);
    ASSERT_TRUE(client
                    .PutBlob(container_, name, {file, 0, name.size()}, Base64Encode(Md5(name)),
                             "application/octet-stream")
                    .ok());
  }
  std::vector<std::string> listed;
  std::string marker;
  int pages = 0;
  do {
    auto page = client.ListBlobs(container_, "", marker, 2);
    ASSERT_TRUE(page.ok()) << page.status().message();
    for (const BlobItem& item : page->blobs) {
      listed.push_back(item.name);
      EXPECT_EQ(item.properties.size_bytes, item.name.size());
      EXPECT_EQ(item.properties.content_md5_base64, Base64Encode(Md5(item.name)));
      EXPECT_FALSE(item.properties.last_modified.empty());
    }
    marker = page->next_marker;
    ++pages;
  } while (!marker.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, std::vector<std::string>(names.begin(), names.end()));

  auto under = client.ListBlobs(container_, "raw/x/", "", 100);
  ASSERT_TRUE(under.ok());
  EXPECT_EQ(under->blobs.size(), 2u);
}

TEST_F(BlobClientTest, DeletesAndTheErrorsAUserMeetsNameTheFix) {
  BlobClient client = Client();
  const fs::path file = WriteFile("f", "x");
  ASSERT_TRUE(client.PutBlob(container_, "k", {file, 0, 1}, Base64Encode(Md5("x")), "a/b").ok());
  ASSERT_TRUE(client.DeleteBlob(container_, "k").ok());
  EXPECT_EQ(client.DeleteBlob(container_, "k").code(), StatusCode::kNotFound);
  EXPECT_EQ(client.GetProperties(container_, "k").status().code(), StatusCode::kNotFound);

  auto missing = client.ListBlobs("no-such-container", "", "", 10);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("ContainerNotFound"), std::string::npos)
      << missing.status().message();
  EXPECT_NE(missing.status().message().find("az storage container create --account-name "
                                            "slackinteltest --name no-such-container"),
            std::string::npos)
      << missing.status().message();
  EXPECT_EQ(client.CreateContainer(container_).code(), StatusCode::kFailedPrecondition);

  StorageAccount wrong = account_;
  wrong.key = Base64Encode("not-the-account-key-at-all");
  auto refused = Client(wrong).ListBlobs(container_, "", "", 10);
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated) << refused.status().message();
  EXPECT_NE(refused.status().message().find("AZURE_STORAGE_CONNECTION_STRING"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find(wrong.key), std::string::npos);
}

}  // namespace
}  // namespace slack_intel::azure

// gs:// is GCS's XML API through the S3 store. No GCS server runs here, so the requests it
// makes are checked as they leave: the endpoint and path-style addressing, SigV4 with HMAC keys,
// the Content-MD5 GCS verifies, ListObjectsV2, and one DELETE per object (GCS has no
// multi-object delete). docs/clouds.md says what was and was not tested against the service.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credential_provider.h"
#include "store/open_store.h"
#include "support/temp_dir.h"
#include "util/digest.h"

namespace slack_intel::testing {
namespace {

// Answers every request as GCS would for a small happy path, and keeps what was sent.
class RecordingGcs final : public http::HttpClient {
 public:
  explicit RecordingGcs(std::shared_ptr<std::vector<http::Request>> sent) : sent_(sent) {}
  Result<http::Response> Send(const http::Request& request) override {
    {
      static std::mutex mutex;
      std::lock_guard lock(mutex);
      sent_->push_back(request);
    }
    http::Response response;
    response.status = request.method == "DELETE" ? 204 : 200;
    if (request.method == "PUT")
      response.headers = {{"etag", "\"d41d8cd98f00b204e9800998ecf8427e\""}};
    if (request.method == "GET" && request.url.find("list-type=2") != std::string::npos) {
      response.body =
          "<?xml version='1.0' encoding='UTF-8'?><ListBucketResult "
          "xmlns='http://s3.amazonaws.com/doc/2006-03-01/'><Name>slack_data</Name>"
          "<Prefix>prod/</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>"
          "<IsTruncated>false</IsTruncated><Contents><Key>prod/users.parquet</Key>"
          "<LastModified>2026-12-07T10:00:00.000Z</LastModified>"
          "<ETag>\"0123456789abcdef0123456789abcdef\"</ETag><Size>42</Size>"
          "<StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>";
    }
    return response;
  }

 private:
  std::shared_ptr<std::vector<http::Request>> sent_;
};

std::string Header(const http::Request& request, const std::string& name) {
  for (const http::Header& h : request.headers) {
    if (h.name == name) return h.value;
  }
  return "";
}

class GcsRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions options;
    options.s3.credentials =
        aws::MakeStaticProvider({"GOOG1EFAKEHMACKEYFORTESTS", "fake-hmac-secret", "", {}, "test"});
    options.s3.retry.max_attempts = 1;
    options.s3.make_http_client = [sent = sent_] { return std::make_unique<RecordingGcs>(sent); };
    auto opened = store::OpenStore("gs://slack_data/prod", options);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
  }

  std::shared_ptr<std::vector<http::Request>> sent_ =
      std::make_shared<std::vector<http::Request>>();
  std::unique_ptr<store::ObjectStore> store_;
  TempDir dir_;
};

TEST_F(GcsRequests, PutsGoPathStyleToStorageGoogleapisComSignedWithTheHmacKey) {
  const std::filesystem::path file = dir_.path() / "users.parquet";
  std::ofstream(file) << "PAR1 bytes PAR1";
  ASSERT_TRUE(store_->PutFile("users.parquet", file, {}).ok());
  ASSERT_EQ(sent_->size(), 1u);
  const http::Request& put = sent_->front();
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.url, "https://storage.googleapis.com/slack_data/prod/users.parquet");
  EXPECT_EQ(Header(put, "host"), "storage.googleapis.com");
  const std::string auth = Header(put, "authorization");
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=GOOG1EFAKEHMACKEYFORTESTS/", 0), 0u) << auth;
  EXPECT_NE(auth.find("/s3/aws4_request"), std::string::npos) << auth;
  // Google's front end rewrites Accept-Encoding: a signature over it would never verify.
  EXPECT_EQ(auth.find("accept-encoding"), std::string::npos) << auth;
  EXPECT_EQ(Header(put, "content-md5"), Base64Encode(Md5("PAR1 bytes PAR1")));
  EXPECT_EQ(Header(put, "x-amz-meta-md5chksum"), Base64Encode(Md5("PAR1 bytes PAR1")));
  EXPECT_EQ(store_->Describe("users.parquet"), "gs://slack_data/prod/users.parquet");
}

TEST_F(GcsRequests, ListingIsListObjectsV2UnderThePrefix) {
  auto listing = store_->List({});
  ASSERT_TRUE(listing.ok());
  auto first = (*listing)->Next();
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->key, "users.parquet");
  EXPECT_EQ((*first)->etag, "0123456789abcdef0123456789abcdef");
  ASSERT_FALSE(sent_->empty());
  const std::string& url = sent_->front().url;
  EXPECT_EQ(url.rfind("https://storage.googleapis.com/slack_data?", 0), 0u) << url;
  EXPECT_NE(url.find("list-type=2"), std::string::npos) << url;
  EXPECT_NE(url.find("prefix=prod%2F"), std::string::npos) << url;
}

TEST_F(GcsRequests, DeletesAreOneDeletePerObjectNeverAMultiObjectPost) {
  auto failures =
      store_->Delete({"messages/dt=2025-01-01/channel=a/data.parquet", "users.parquet"});
  ASSERT_TRUE(failures.ok());
  EXPECT_TRUE(failures->empty());
  ASSERT_EQ(sent_->size(), 2u);
  for (const http::Request& request : *sent_) {
    EXPECT_EQ(request.method, "DELETE");
    EXPECT_EQ(request.url.find("?delete"), std::string::npos);
  }
  EXPECT_EQ(sent_->at(0).url,
            "https://storage.googleapis.com/slack_data/prod/messages/dt%3D2025-01-01/channel%3Da/"
            "data.parquet");
}

TEST_F(GcsRequests, BucketNamesFollowGcsRulesNotS3s) {
  store::StoreOptions options;
  options.s3.credentials = aws::MakeStaticProvider({"id", "secret", "", {}, "test"});
  EXPECT_TRUE(store::OpenStore("gs://with_underscore/x", options).ok());
  for (const char* bad : {"gs://ab", "gs://Upper", "gs://goog-bucket", "gs://-dash"}) {
    EXPECT_EQ(store::OpenStore(bad, options).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace slack_intel::testing

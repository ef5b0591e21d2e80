#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/credential_provider.h"
#include "s3/replies.h"
#include "util/adaptive_limit.h"
#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/http/retry.h"
#include "util/result.h"

namespace slack_intel::s3 {

enum class Addressing {
  kAuto,     // virtual-hosted on AWS (path-style for bucket names with dots), path elsewhere
  kPath,     // http://endpoint/bucket/key
  kVirtual,  // http://bucket.endpoint/key
};

// Where a bucket lives, learnt from redirects, shared by every Client of one sync.
class BucketRegions {
 public:
  std::optional<std::string> Get(const std::string& bucket) const;
  void Set(const std::string& bucket, const std::string& region);

 private:
  mutable std::mutex mutex_;  // guards regions_
  std::map<std::string, std::string> regions_;
};

struct ClientOptions {
  std::string region = "us-east-1";
  std::string endpoint_url;  // "" = AWS: https://s3.<region>.amazonaws.com
  Addressing addressing = Addressing::kAuto;
  // Sign "UNSIGNED-PAYLOAD" instead of hashing bodies; only honoured over HTTPS, where TLS
  // protects the bytes (Content-MD5 still lets S3 check them).
  bool unsigned_payload = false;
  std::shared_ptr<aws::CredentialProvider> credentials;  // required
  http::RetryPolicy retry;
  const Clock* clock = &SystemClock();
  std::shared_ptr<BucketRegions> bucket_regions = std::make_shared<BucketRegions>();
  // Requests in flight across every Client sharing it; halves on SlowDown. Null: no limit.
  std::shared_ptr<AdaptiveLimit> request_limit;
  // Whether the endpoint still answers, shared by every Client of one run: once it counts as
  // down (http::ServerHealth), every request fails at once with the same status.
  std::shared_ptr<http::ServerHealth> server_health = std::make_shared<http::ServerHealth>();
  // Makes the transport; one per Client. Default: http::MakeHttpClient().
  std::function<std::unique_ptr<http::HttpClient>()> make_http_client;
};

struct PutOptions {
  std::string content_type = "application/octet-stream";
  std::vector<std::pair<std::string, std::string>> metadata;  // x-amz-meta-<name>
  std::string sse;                                            // "", "AES256" or "aws:kms"
  std::string sse_kms_key_id;                                 // with sse == "aws:kms"
  std::string storage_class;  // "", "STANDARD", "INTELLIGENT_TIERING", ...
  // Store the content MD5 as x-amz-meta-md5chksum (base64, rclone's name), so the content can
  // be compared later where the ETag is not an MD5 (multipart, SSE-KMS, other stores).
  bool md5_metadata = false;
};

struct PutResult {
  std::string etag;     // without quotes
  std::string md5_hex;  // the content MD5 we sent, when we computed it
};

// What HEAD (or GET) says about an object.
struct ObjectHead {
  uint64_t size_bytes = 0;
  std::string etag;                                           // without quotes
  std::string last_modified;                                  // HTTP date as returned
  std::string sse;                                            // x-amz-server-side-encryption
  std::vector<std::pair<std::string, std::string>> metadata;  // x-amz-meta-<name>, lowercase

  // The content MD5 (hex) the object vouches for: x-amz-meta-md5chksum, else an ETag that is
  // an MD5 (one part, no SSE-KMS). "" when unknown.
  std::string ContentMd5Hex() const;
};

// The metadata name PutOptions::md5_metadata writes.
inline constexpr char kMd5MetadataName[] = "md5chksum";

struct CompletedPart {
  int part_number = 0;
  std::string etag;
};

// An S3 REST client: SigV4-signed requests over one keep-alive connection, retries with
// backoff and full jitter on transient failures, and one redo in the right region when a
// bucket turns out to live elsewhere. Not thread-safe: one per worker thread (they may share
// options, credentials and BucketRegions, which are).
//
// Errors follow s3/error.h's ToStatus(), with the operation and resource in front:
// "PUT s3://b/k: SlowDown (HTTP 503) (5 attempts)".
class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();

  // Sets `*server_date`, when given, to the reply's Date header ("" if it had none).
  Status HeadBucket(const std::string& bucket, std::string* server_date = nullptr);
  // One page of keys under `prefix`, ascending. `continuation_token` "" for the first page.
  Result<ListPage> ListObjectsV2(const std::string& bucket, const std::string& prefix,
                                 const std::string& continuation_token = "",
                                 const std::string& delimiter = "", int max_keys = 1000,
                                 const std::string& start_after = "");
  // Uploads `body` (a file range) with Content-MD5, so S3 checks the bytes it stored.
  Result<PutResult> PutObject(const std::string& bucket, const std::string& key,
                              const http::FileRange& body, const PutOptions& options);
  Result<PutResult> PutObject(const std::string& bucket, const std::string& key,
                              const std::string& body, const PutOptions& options);
  // Errors: kNotFound when the object does not exist.
  Result<ObjectHead> HeadObject(const std::string& bucket, const std::string& key);
  // Streams the object into `destination` (created or truncated). With `expected_size` (the
  // listing's), a body of another size is refused (kCorruption) before or as it arrives.
  Result<ObjectHead> GetObject(const std::string& bucket, const std::string& key,
                               const std::filesystem::path& destination,
                               std::optional<uint64_t> expected_size = std::nullopt);

  Result<std::string> CreateMultipartUpload(const std::string& bucket, const std::string& key,
                                            const PutOptions& options);
  // Returns the part's ETag.
  Result<std::string> UploadPart(const std::string& bucket, const std::string& key,
                                 const std::string& upload_id, int part_number,
                                 const http::FileRange& body);
  // REQUIRES: parts in ascending part_number. A 200 reply whose body is an error is an error.
  Result<PutResult> CompleteMultipartUpload(const std::string& bucket, const std::string& key,
                                            const std::string& upload_id,
                                            const std::vector<CompletedPart>& parts);
  Status AbortMultipartUpload(const std::string& bucket, const std::string& key,
                              const std::string& upload_id);
  // Every in-progress upload under `prefix` (all pages).
  Result<std::vector<MultipartUpload>> ListMultipartUploads(const std::string& bucket,
                                                            const std::string& prefix);
  // Deletes up to 1000 keys in one request (Quiet mode); returns the keys that failed.
  // REQUIRES: keys.size() <= 1000.
  // DeleteObject: one key (S3 answers 204 whether or not it existed). For stores without
  // DeleteObjects (GCS's XML API).
  Status DeleteObject(const std::string& bucket, const std::string& key);
  Result<std::vector<DeleteFailure>> DeleteObjects(const std::string& bucket,
                                                   const std::vector<std::string>& keys);

  // The bucket's lifecycle configuration (LifecycleConfiguration XML); "" when it has none.
  Result<std::string> GetBucketLifecycle(const std::string& bucket);
  // Replaces the bucket's lifecycle configuration, with the Content-MD5 S3 requires.
  Status PutBucketLifecycle(const std::string& bucket, const std::string& xml);

  // The region requests for `bucket` go to (after any redirect).
  std::string RegionFor(const std::string& bucket) const;

 private:
  struct Call;
  Result<http::Response> Execute(const Call& call);

  ClientOptions options_;
  std::unique_ptr<http::HttpClient> http_;
  http::Backoff backoff_;
};

// The ETag S3 gives an object assembled from `parts` whose ETags are MD5 hex digests:
// hex(md5(md5(part 1) + ... + md5(part N))) + "-N". Not a content MD5. "" when a part's
// ETag is not an MD5 hex digest.
std::string MultipartETag(const std::vector<CompletedPart>& parts);

// "s3://bucket/key" for messages.
std::string S3Url(const std::string& bucket, const std::string& key);

}  // namespace slack_intel::s3

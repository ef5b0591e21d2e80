#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "s3/client.h"

namespace slack_intel::s3 {

// S3's limits ("Amazon S3 multipart upload limits").
inline constexpr uint64_t kMinPartSizeBytes = 5ull << 20;
inline constexpr uint64_t kMaxParts = 10000;

struct UploadOptions {
  uint64_t multipart_threshold_bytes = 8ull << 20;  // aws s3's default
  uint64_t part_size_bytes = 8ull << 20;            // raised when a file would need > 10,000 parts
  int concurrency = 4;                              // parts in flight at once
  PutOptions put;
  // Called with the upload ID right after a multipart upload is created, so a caller can
  // journal it and abort it after a crash (a process killed mid-upload cannot abort it).
  std::function<void(const std::string& upload_id)> on_multipart_created;
};

// Uploads a local file to s3://bucket/key with `client`: one PutObject below the threshold,
// else a multipart upload whose parts go up in parallel, each extra worker on its own Client
// (own connection) made from `options`. Any failure aborts the multipart upload, so no stray upload
// is left behind and no partial object ever becomes visible. Errors: as Client's, with the part
// number.
Result<PutResult> UploadFile(Client& client, const ClientOptions& options,
                             const std::string& bucket, const std::string& key,
                             const std::filesystem::path& file, const UploadOptions& upload);

// The part size actually used for a file of `size_bytes`: at least the requested size and
// kMinPartSizeBytes, and large enough for kMaxParts parts.
uint64_t EffectivePartSize(uint64_t size_bytes, uint64_t requested_part_size_bytes);

}  // namespace slack_intel::s3

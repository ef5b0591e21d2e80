#include "s3/transfer.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "util/digest.h"

namespace slack_intel::s3 {

uint64_t EffectivePartSize(uint64_t size_bytes, uint64_t requested_part_size_bytes) {
  uint64_t part = std::max(requested_part_size_bytes, kMinPartSizeBytes);
  const uint64_t needed = (size_bytes + kMaxParts - 1) / kMaxParts;
  return std::max(part, needed);
}

Result<PutResult> UploadFile(Client& client, const ClientOptions& options,
                             const std::string& bucket, const std::string& key,
                             const std::filesystem::path& file, const UploadOptions& upload) {
  std::error_code error;
  const uint64_t size = std::filesystem::file_size(file, error);
  if (error) return Status::IOError(fmt::format("{}: {}", file.string(), error.message()));
  if (size < std::max<uint64_t>(upload.multipart_threshold_bytes, 1)) {
    return client.PutObject(bucket, key, http::FileRange{file, 0, size}, upload.put);
  }
  const uint64_t part_size = EffectivePartSize(size, upload.part_size_bytes);
  const auto parts = static_cast<int>((size + part_size - 1) / part_size);
  PutOptions put = upload.put;
  std::string md5_hex;
  if (put.md5_metadata) {  // the ETag of a multipart upload is no content MD5: store one
    SLACK_INTEL_ASSIGN_OR_RETURN(std::string md5, Md5FileRange(file.string(), 0, size));
    md5_hex = HexEncode(md5);
    put.metadata.push_back({kMd5MetadataName, Base64Encode(md5)});
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(std::string upload_id,
                               client.CreateMultipartUpload(bucket, key, put));
  if (upload.on_multipart_created) upload.on_multipart_created(upload_id);

  std::vector<CompletedPart> completed(static_cast<size_t>(parts));
  std::atomic<int> next_part{1};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;  // guards first_error
  Status first_error;
  auto worker = [&] {
    Client part_client(options);  // one connection per worker, never shared
    while (!failed.load()) {
      const int number = next_part++;
      if (number > parts) return;
      const uint64_t offset = static_cast<uint64_t>(number - 1) * part_size;
      auto etag = part_client.UploadPart(bucket, key, upload_id, number,
                                         {file, offset, std::min(part_size, size - offset)});
      if (!etag.ok()) {
        std::lock_guard lock(error_mutex);
        if (first_error.ok())
          first_error = etag.status().WithContext(fmt::format("part {} of {}", number, parts));
        failed = true;
        return;
      }
      completed[static_cast<size_t>(number - 1)] = {number, *etag};
    }
  };
  {
    std::vector<std::jthread> workers;
    const int threads = std::clamp(upload.concurrency, 1, parts);
    for (int i = 0; i < threads; ++i) workers.emplace_back(worker);
  }  // joined here
  Result<PutResult> result = first_error.ok()
                                 ? client.CompleteMultipartUpload(bucket, key, upload_id, completed)
                                 : Result<PutResult>(first_error);
  if (result.ok()) result->md5_hex = md5_hex;
  if (!result.ok()) {
    // Best effort: the original error is what the user needs; a failed abort is mentioned.
    if (Status aborted = client.AbortMultipartUpload(bucket, key, upload_id); !aborted.ok()) {
      return Status(result.status().code(),
                    fmt::format("{} (and aborting upload {} failed: {})", result.status().message(),
                                upload_id, aborted.message()));
    }
  }
  return result;
}

}  // namespace slack_intel::s3

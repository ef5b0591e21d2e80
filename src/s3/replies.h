#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.h"

namespace slack_intel::s3 {

struct ObjectSummary {
  std::string key;
  uint64_t size_bytes = 0;
  std::string etag;           // without quotes
  std::string last_modified;  // ISO 8601 as S3 returns it
};

struct ListPage {
  std::vector<ObjectSummary> objects;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;  // opaque: passed back as is
};

struct MultipartUpload {
  std::string key;
  std::string upload_id;
  std::string initiated;
};

struct MultipartUploadsPage {
  std::vector<MultipartUpload> uploads;
  bool is_truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

struct DeleteFailure {
  std::string key;
  std::string code;
  std::string message;
};

// The XML replies of S3 operations (the S3 API reference's response syntax), read apart from
// the client that sent the request, so each parser is tested and fuzzed on its own. Each parses
// `body` in place (it is modified: no copy of a listing page) and returns kCorruption, without
// context (the client adds the request), for bytes that are not the reply it expects. Keys are
// URL-decoded when the reply says EncodingType url.

// ListObjectsV2.
Result<ListPage> ParseListObjectsV2(std::string& body);
// CreateMultipartUpload: the UploadId.
Result<std::string> ParseCreateMultipartUpload(std::string& body);
// CompleteMultipartUpload: the ETag without quotes, "" when the reply has none (Ceph RGW).
Result<std::string> ParseCompleteMultipartUpload(std::string& body);
// ListMultipartUploads: one page.
Result<MultipartUploadsPage> ParseListMultipartUploads(std::string& body);
// DeleteObjects (Quiet mode): the keys that failed.
Result<std::vector<DeleteFailure>> ParseDeleteObjects(std::string& body);

// `etag` without its surrounding double quotes, if it has them.
std::string Unquote(std::string etag);

}  // namespace slack_intel::s3

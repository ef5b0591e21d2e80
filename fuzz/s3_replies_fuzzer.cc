// Feeds arbitrary bytes to each parser of S3's XML replies (the first byte picks one) and to the
// error-reply parser: each must return a page or an error, never crash.

#include <cstddef>
#include <cstdint>
#include <string>

#include "s3/error.h"
#include "s3/replies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string xml(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string body = xml;
  switch (data[0] % 5) {
    case 0:
      (void)slack_intel::s3::ParseListObjectsV2(body);
      break;
    case 1:
      (void)slack_intel::s3::ParseCreateMultipartUpload(body);
      break;
    case 2:
      (void)slack_intel::s3::ParseCompleteMultipartUpload(body);
      break;
    case 3:
      (void)slack_intel::s3::ParseListMultipartUploads(body);
      break;
    default:
      (void)slack_intel::s3::ParseDeleteObjects(body);
      break;
  }
  slack_intel::http::Response response;
  response.status = 400 + data[0] % 200;
  response.body = xml;
  (void)slack_intel::s3::ParseS3Error(response);
  return 0;
}

#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace slack_intel::http {

struct Header {
  std::string name;
  std::string value;
};

// Where a request body comes from: memory, or a byte range of a file (streamed, so a 5 GiB
// part never sits in memory).
struct FileRange {
  std::filesystem::path path;
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct Request {
  std::string method = "GET";
  std::string url;  // complete and already percent-encoded
  std::vector<Header> headers;
  std::string body;                                    // used when body_file is empty
  std::optional<FileRange> body_file;                  // streamed instead of `body`
  std::optional<std::filesystem::path> response_file;  // 2xx bodies streamed here, not kept
  // The size a 2xx body streamed to response_file must have (a download whose listing gave
  // it): one announced or sent otherwise is refused before, or as soon as, it differs.
  std::optional<uint64_t> expected_body_bytes;
};

struct Response {
  long status = 0;
  std::vector<Header> headers;  // names lowercased
  std::string body;             // empty when streamed to Request::response_file

  // The first header named `name` (lowercase), if any.
  std::optional<std::string> header(std::string_view name) const;
};

// Sends one HTTP request and returns whatever status came back; only transport failures are
// errors. Implementations are not thread-safe: use one per thread (one keep-alive connection).
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Errors: kUnavailable for connection failures, resets and timeouts (worth retrying);
  // kInvalidArgument for a bad URL or a TLS certificate that does not verify (not worth it);
  // kCorruption for a malformed response, or a body over its limit or of the wrong size;
  // kIOError for local files.
  virtual Result<Response> Send(const Request& request) = 0;
};

}  // namespace slack_intel::http

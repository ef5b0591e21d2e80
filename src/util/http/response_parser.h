#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/http/http_client.h"
#include "util/result.h"

namespace slack_intel::http {

// Reads one HTTP/1.1 response from bytes as they arrive (RFC 9112): the status line, the
// header fields (names lowercased), then the body as the headers frame it: chunked,
// Content-Length, or until the connection closes. Interim 1xx responses are skipped. Body
// bytes are handed on as they come, never collected here.
class ResponseParser {
 public:
  using BodyCallback = std::function<bool(const char* data, size_t size)>;

  // `expects_no_body`: the request was HEAD, or a CONNECT answered 2xx; whatever the headers
  // say, no body follows. The callback sees each body piece after the head is complete;
  // returning false stops the parse with an error.
  ResponseParser(bool expects_no_body, BodyCallback on_body);

  // Consumes the bytes it can use and returns how many. Fewer than given only once done():
  // the rest came after the response. Errors: kCorruption for a malformed response, kAborted
  // when the body callback refused.
  Result<size_t> Feed(std::string_view bytes);

  // The connection closed. Ends a body framed by the close; anything else unfinished is an
  // error (kUnavailable: the peer went away mid-response).
  Status FinishAtClose();

  bool head_done() const { return state_ > State::kHead; }
  bool done() const { return state_ == State::kDone; }
  long status() const { return status_; }
  std::vector<Header>& headers() { return headers_; }
  // Whether the connection can carry the next request once this response is done.
  bool keep_alive() const { return keep_alive_; }

 private:
  enum class State {
    kHead,
    kFixedBody,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailers,
    kBodyToClose,
    kDone
  };

  Status ParseHead(std::string_view head);
  Status BeginBody();
  Result<size_t> FeedLine(std::string_view bytes, std::string_view* line);
  bool Emit(const char* data, size_t size);

  bool expects_no_body_;
  BodyCallback on_body_;
  State state_ = State::kHead;
  std::string pending_;  // a head or chunk line that arrived in pieces
  long status_ = 0;
  std::vector<Header> headers_;
  bool keep_alive_ = true;
  uint64_t remaining_ = 0;  // of the fixed body, or of the current chunk
};

}  // namespace slack_intel::http

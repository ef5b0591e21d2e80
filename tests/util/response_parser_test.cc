// The HTTP/1.1 response reader under the S3, Slack and Jira clients: every framing a server may
// choose, bytes arriving in any split, and the malformed or cut-off answers it must refuse.

#include "util/http/response_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace slack_intel::http {
namespace {

struct Parsed {
  Status status;
  std::string body;
  size_t used = 0;  // of all the bytes fed
  bool done = false;
  long code = 0;
  std::vector<Header> headers;
  bool keep_alive = false;
};

// Feeds `wire` in pieces of `piece` bytes (the last may be shorter), then, when asked, the
// connection's close.
Parsed Parse(const std::string& wire, size_t piece, bool head_request = false,
             bool close_after = false) {
  Parsed out;
  ResponseParser parser(head_request, [&](const char* data, size_t size) {
    out.body.append(data, size);
    return true;
  });
  for (size_t at = 0; at < wire.size() && !parser.done(); at += piece) {
    const std::string_view bytes = std::string_view(wire).substr(at, piece);
    auto used = parser.Feed(bytes);
    if (!used.ok()) {
      out.status = used.status();
      return out;
    }
    out.used += *used;
  }
  if (close_after) out.status = parser.FinishAtClose();
  out.done = parser.done();
  out.code = parser.status();
  out.headers = parser.headers();
  out.keep_alive = parser.keep_alive();
  return out;
}

std::string HeaderValue(const Parsed& parsed, const std::string& name) {
  for (const Header& h : parsed.headers)
    if (h.name == name) return h.value;
  return "<none>";
}

TEST(ResponseParser, AContentLengthBodyArrivesWholeHoweverTheBytesAreSplit) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nETag: \"abc\"\r\nContent-Length: 11\r\nX-Amz-Request-Id:  r1 \r\n\r\n"
      "hello world";
  for (size_t piece : {1, 2, 7, 64, 4096}) {
    const Parsed parsed = Parse(wire, piece);
    ASSERT_TRUE(parsed.status.ok()) << piece << ": " << parsed.status.ToString();
    EXPECT_TRUE(parsed.done);
    EXPECT_EQ(parsed.code, 200);
    EXPECT_EQ(parsed.body, "hello world");
    EXPECT_EQ(parsed.used, wire.size());
    EXPECT_EQ(HeaderValue(parsed, "etag"), "\"abc\"");  // names lowercased, values kept
    EXPECT_EQ(HeaderValue(parsed, "x-amz-request-id"), "r1");
    EXPECT_TRUE(parsed.keep_alive);
  }
}

TEST(ResponseParser, AChunkedBodyIsJoinedAndWhatFollowsItIsLeftOver) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "1\r\n \r\n"
      "A\r\n0123456789\r\n"
      "0\r\nX-Trailer: t\r\n\r\n";
  for (size_t piece : {1, 3, 4096}) {
    const Parsed parsed = Parse(wire + "HTTP/1.1 200", piece);
    ASSERT_TRUE(parsed.status.ok()) << piece << ": " << parsed.status.ToString();
    EXPECT_TRUE(parsed.done);
    EXPECT_EQ(parsed.body, "hello 0123456789");
    EXPECT_EQ(parsed.used, wire.size());  // the next response's bytes are not taken
    EXPECT_TRUE(parsed.keep_alive);
  }
}

TEST(ResponseParser, InterimResponsesAreSkipped) {
  const Parsed parsed =
      Parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", 5);
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.ToString();
  EXPECT_EQ(parsed.code, 201);
  EXPECT_EQ(parsed.body, "ok");
}

TEST(ResponseParser, HeadAnswersAndNoContentHaveNoBodyWhateverTheLengthSays) {
  const Parsed head = Parse("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", 4096, true);
  ASSERT_TRUE(head.status.ok()) << head.status.ToString();
  EXPECT_TRUE(head.done);
  EXPECT_EQ(HeaderValue(head, "content-length"), "5000");  // HeadObject reads the size here
  EXPECT_TRUE(head.body.empty());
  const Parsed empty = Parse("HTTP/1.1 204 No Content\r\n\r\n", 4096);
  EXPECT_TRUE(empty.done);
  EXPECT_TRUE(empty.keep_alive);
}

TEST(ResponseParser, ABodyWithoutFramingRunsToTheCloseAndEndsTheConnection) {
  const Parsed parsed = Parse("HTTP/1.1 200 OK\r\n\r\nall of it", 4, false, true);
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.ToString();
  EXPECT_TRUE(parsed.done);
  EXPECT_EQ(parsed.body, "all of it");
  EXPECT_FALSE(parsed.keep_alive);
}

TEST(ResponseParser, ACloseBeforeTheEndIsAFailureWorthRetrying) {
  const Parsed short_body =
      Parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345", 4096, false, true);
  EXPECT_EQ(short_body.status.code(), StatusCode::kUnavailable);
  const Parsed short_chunks =
      Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", 4096, false, true);
  EXPECT_EQ(short_chunks.status.code(), StatusCode::kUnavailable);
  const Parsed no_answer = Parse("", 1, false, true);
  EXPECT_EQ(no_answer.status.code(), StatusCode::kUnavailable);
  const Parsed half_head = Parse("HTTP/1.1 200 OK\r\nCont", 4096, false, true);
  EXPECT_EQ(half_head.status.code(), StatusCode::kUnavailable);
}

TEST(ResponseParser, ConnectionCloseAndHttp10EndTheConnection) {
  EXPECT_FALSE(
      Parse("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n", 4096).keep_alive);
  EXPECT_FALSE(Parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 4096).keep_alive);
  EXPECT_TRUE(Parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 4096)
                  .keep_alive);
}

TEST(ResponseParser, MalformedAnswersAreRefused) {
  for (const std::string wire : {
           "SSH-2.0-OpenSSH_9.2\r\n\r\n",                                        // not HTTP
           "HTTP/1.1 2x0 OK\r\n\r\n",                                            // bad status
           "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",                           // bad field
           "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",  // two lengths
           "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",                      // negative
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",        // bad chunk size
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",  // chunk too long
       }) {
    const Parsed parsed = Parse(wire, 4096);
    EXPECT_EQ(parsed.status.code(), StatusCode::kCorruption) << wire;
  }
  const Parsed endless = Parse("HTTP/1.1 200 OK\r\nX: " + std::string(70'000, 'a'), 4096);
  EXPECT_EQ(endless.status.code(), StatusCode::kCorruption);  // a head that never ends
}

TEST(ResponseParser, ABodyTheCallerRefusesStopsTheParse) {
  ResponseParser parser(false, [](const char*, size_t) { return false; });
  auto used = parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.status().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace slack_intel::http

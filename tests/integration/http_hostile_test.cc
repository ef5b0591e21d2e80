// Our HTTP client against servers that misbehave on purpose (a scripted peer on 127.0.0.1):
// bodies without end or over their limit, a byte every so often, downloads of the wrong size,
// heads too big to be real, bytes meant for a terminal, an address that never answers. Each
// ends in a clear error, in bounded time and memory.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "util/http/connection.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::http {
namespace {

using testing::ReadRequestHead;
using testing::ScriptedServer;
using testing::SendAll;
using testing::SleepUnlessStopped;

HttpOptions Direct() {
  HttpOptions options;
  options.proxies = ProxyEnvironment{"", "", "", ""};
  return options;
}

Result<Response> Get(const ScriptedServer& server, const HttpOptions& options = Direct(),
                     Request request = {}) {
  request.url = server.Url("/x");
  return MakeHttpClient(options)->Send(request);
}

// Answers the head, then sends `chunk` until the connection goes.
ScriptedServer::Serve Endless(std::string head, std::string chunk) {
  return [head, chunk](int fd, const std::atomic<bool>& stop) {
    ReadRequestHead(fd);
    if (!SendAll(fd, head)) return;
    while (!stop && SendAll(fd, chunk)) {
    }
  };
}

TEST(HttpHostile, ABodyAnnouncedOverTheMemoryLimitIsRefusedBeforeItIsRead) {
  ScriptedServer server(
      Endless("HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n", std::string(64 << 10, 'x')));
  auto got = Get(server);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  EXPECT_NE(got.status().message().find("announces 2147483648 bytes, over the 64 MiB limit"),
            std::string::npos)
      << got.status().message();
}

TEST(HttpHostile, AChunkedBodyThatNeverEndsStopsAtTheMemoryLimit) {
  const std::string chunk = "100000\r\n" + std::string(1 << 20, 'x') + "\r\n";
  ScriptedServer server(Endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunk));
  HttpOptions options = Direct();
  options.max_memory_body_bytes = 4 << 20;
  auto got = Get(server, options);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  EXPECT_NE(got.status().message().find("over the 4 MiB limit"), std::string::npos)
      << got.status().message();
}

class HttpHostileDownload : public ::testing::Test {
 protected:
  Request Download(uint64_t expected) {
    Request request;
    request.response_file = file_;
    request.expected_body_bytes = expected;
    return request;
  }
  testing::TempDir dir_;
  std::filesystem::path file_ = dir_.path() / "download";
};

TEST_F(HttpHostileDownload, AnnouncingAnotherSizeThanTheListingsIsRefusedBeforeAByteIsWritten) {
  ScriptedServer server(
      Endless("HTTP/1.1 200 OK\r\nContent-Length: 1250000000\r\n\r\n", std::string(64 << 10, 'x')));
  auto got = Get(server, Direct(), Download(64));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  EXPECT_NE(got.status().message().find("announces 1250000000 bytes where 64 were expected"),
            std::string::npos)
      << got.status().message();
  EXPECT_FALSE(std::filesystem::exists(file_) && std::filesystem::file_size(file_) > 0);
}

TEST_F(HttpHostileDownload, AChunkedBodyLongerOrShorterThanExpectedIsRefused) {
  ScriptedServer longer(Endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                                "40\r\n" + std::string(64, 'x') + "\r\n"));
  auto got = Get(longer, Direct(), Download(100));
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("more than the 100 bytes expected"), std::string::npos)
      << got.status().message();
  EXPECT_LE(std::filesystem::file_size(file_), 100u);

  ScriptedServer shorter([](int fd, const std::atomic<bool>&) {
    ReadRequestHead(fd);
    SendAll(fd,
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n");
  });
  got = Get(shorter, Direct(), Download(64));
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("sent 10 bytes where 64 were expected"), std::string::npos)
      << got.status().message();
}

// A byte every 200 ms never lets the no-data timer run out: the floor on bytes per window
// does.
TEST(HttpHostile, AServerThatTricklesAByteAtATimeIsAbandoned) {
  ScriptedServer server([](int fd, const std::atomic<bool>& stop) {
    ReadRequestHead(fd);
    for (char c : std::string("HTTP/1.1 200 OK\r\nX-Slow: ") + std::string(100000, 'a')) {
      if (!SendAll(fd, std::string(1, c)) || !SleepUnlessStopped(200, stop)) return;
    }
  });
  HttpOptions options = Direct();
  options.stall_timeout = std::chrono::milliseconds(1000);
  auto got = Get(server, options);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("too slow"), std::string::npos) << got.status().message();
}

TEST(HttpHostile, ABodyWithoutEndMeetsTheRequestDeadline) {
  ScriptedServer server(
      Endless("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", std::string(4096, 'x')));
  testing::TempDir dir;
  HttpOptions options = Direct();
  options.request_timeout = std::chrono::milliseconds(1500);
  Request request;
  request.response_file = dir.path() / "endless";  // no expected size: only the deadline
  auto got = Get(server, options, request);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("deadline"), std::string::npos) << got.status().message();
}

TEST(HttpHostile, AHeadWithThousandsOfFieldsIsMalformed) {
  std::string head = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 1000; ++i) head += "X-" + std::to_string(i) + ": y\r\n";
  ScriptedServer server(Endless(head + "Content-Length: 0\r\n\r\n", ""));
  auto got = Get(server);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  EXPECT_NE(got.status().message().find("over 256 header fields"), std::string::npos);
}

TEST(HttpHostile, AStatusLineWithTerminalControlsIsQuotedEscaped) {
  static constexpr char kHead[] = "HTTP/1.1 2\x1b[31m\0OK\r\n\r\n";
  ScriptedServer server(Endless(std::string(kHead, sizeof(kHead) - 1), ""));
  auto got = Get(server);
  ASSERT_FALSE(got.ok());
  const std::string message = got.status().message();
  EXPECT_EQ(message.find('\x1b'), std::string::npos) << message;
  EXPECT_EQ(message.find('\0'), std::string::npos);
  EXPECT_NE(message.find("\\e[31m\\x00OK"), std::string::npos) << message;
}

// Connecting to a listener whose accept queue is full hangs: the kernel drops the SYN, as for
// an address without a route. The next address is tried 250 ms later, not after the timeout.
TEST(HttpHostile, AnAddressThatNeverAnswersDoesNotUseUpTheConnectTimeout) {
  const int blackhole = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(blackhole, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::listen(blackhole, 0), 0);
  ASSERT_EQ(::getsockname(blackhole, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::vector<int> fillers;  // never accepted: they fill the queue
  for (int i = 0; i < 4; ++i) {
    fillers.push_back(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    ::connect(fillers.back(), reinterpret_cast<sockaddr*>(&address), length);
  }
  ScriptedServer answering(Endless("HTTP/1.1 204 No Content\r\n\r\n", ""));
  SocketAddress unreachable, reachable;
  std::memcpy(&unreachable.storage, &address, length);
  unreachable.length = length;
  address.sin_port = htons(static_cast<uint16_t>(answering.port()));
  std::memcpy(&reachable.storage, &address, length);
  reachable.length = length;

  // The premise: alone, the full listener times out.
  auto alone = ConnectToAny({unreachable}, std::chrono::milliseconds(1500));
  ASSERT_FALSE(alone.ok()) << "this kernel accepted a connection past a full backlog";
  auto connected = ConnectToAny({unreachable, reachable}, std::chrono::seconds(10));
  ASSERT_TRUE(connected.ok()) << connected.status().message();
  sockaddr_in peer{};
  socklen_t peer_length = sizeof(peer);
  ASSERT_EQ(::getpeername(*connected, reinterpret_cast<sockaddr*>(&peer), &peer_length), 0);
  EXPECT_EQ(ntohs(peer.sin_port), answering.port());
  ::close(*connected);
  for (int fd : fillers) ::close(fd);
  ::close(blackhole);
}

}  // namespace
}  // namespace slack_intel::http

// Our HTTP transport (util/http) against local servers: TLS with a certificate made for the
// test (trusted through a CA bundle, untrusted, for another host name), forward proxies for
// http and https (CONNECT), NO_PROXY, and bodies that arrive byte for byte, with nothing added.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "util/digest.h"
#include "support/files.h"
#include "support/server_process.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::http {
namespace {

using testing::ProcessResult;
using testing::RunProcess;
using testing::ServerProcess;
using testing::TempDir;

std::string Script(const char* name) {
  return std::string(SLACK_INTEL_SOURCE_DIR) + "/tests/support/" + name;
}

// A self-signed certificate (its own CA) for `subject_alt_name`; returns {cert, key}.
std::pair<std::string, std::string> MakeCertificate(const std::filesystem::path& dir,
                                                    const std::string& name,
                                                    const std::string& subject_alt_name) {
  const std::string cert = (dir / (name + ".crt")).string();
  const std::string key = (dir / (name + ".key")).string();
  ProcessResult made =
      RunProcess({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-days", "2", "-subj", "/CN=" + name, "-addext",
                  "subjectAltName=" + subject_alt_name, "-keyout", key, "-out", cert});
  if (made.exit_code != 0) throw std::runtime_error("openssl req: " + made.stderr_text);
  return {cert, key};
}

std::unique_ptr<ServerProcess> StartTlsEcho(const std::pair<std::string, std::string>& cert) {
  return ServerProcess::Start({"node", Script("echo_server.mjs")},
                              {{"TLS_CERT", cert.first}, {"TLS_KEY", cert.second}});
}

HttpOptions Direct() {
  HttpOptions options;
  options.proxies = ProxyEnvironment{"", "", "", ""};
  return options;
}

Request Get(const std::string& url) {
  Request request;
  request.url = url;
  return request;
}

// The address of a server that has just stopped: connections to it are refused.
std::string StoppedServerUrl() {
  auto server = ServerProcess::Start({"node", Script("echo_server.mjs")});
  server->Stop();
  return server->base_url();
}

nlohmann::json Echoed(const Response& response) { return nlohmann::json::parse(response.body); }

std::string EchoedBody(const Response& response) {
  return Base64Decode(Echoed(response)["body_base64"].get<std::string>()).value_or("?");
}

class HttpTls : public ::testing::Test {
 protected:
  TempDir dir_;
  std::pair<std::string, std::string> cert_ =
      MakeCertificate(dir_.path(), "localhost", "DNS:localhost,IP:127.0.0.1");
  std::unique_ptr<ServerProcess> server_ = StartTlsEcho(cert_);
  std::string url_ = "https://localhost:" + std::to_string(server_->port());
};

TEST_F(HttpTls, ACertificateTrustedThroughTheCaBundleIsAccepted) {
  HttpOptions options = Direct();
  options.ca_bundle = cert_.first;
  auto client = MakeHttpClient(options);
  for (int i = 0; i < 2; ++i) {  // the second request reuses the connection
    auto response = client->Send(Get(url_ + "/hello?x=%2F"));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(Echoed(*response)["path"], "/hello?x=%2F");  // sent as given, not re-encoded
    EXPECT_EQ(Echoed(*response)["headers"]["host"], "localhost:" + std::to_string(server_->port()));
  }
}

TEST_F(HttpTls, AnIpAddressIsCheckedAgainstTheCertificatesAddresses) {
  HttpOptions options = Direct();
  options.ca_bundle = cert_.first;
  auto response = MakeHttpClient(options)->Send(
      Get("https://127.0.0.1:" + std::to_string(server_->port()) + "/by-address"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
}

TEST_F(HttpTls, AnUntrustedCertificateIsRefusedWithTheRemedy) {
  auto response = MakeHttpClient(Direct())->Send(Get(url_ + "/hello"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);  // not worth retrying
  EXPECT_NE(response.status().message().find("does not verify"), std::string::npos)
      << response.status().ToString();
  EXPECT_NE(response.status().message().find("AWS_CA_BUNDLE"), std::string::npos);
}

TEST_F(HttpTls, ACertificateForAnotherHostIsRefused) {
  const auto other = MakeCertificate(dir_.path(), "elsewhere", "DNS:elsewhere.test");
  auto server = StartTlsEcho(other);
  HttpOptions options = Direct();
  options.ca_bundle = other.first;
  auto response = MakeHttpClient(options)->Send(
      Get("https://localhost:" + std::to_string(server->port()) + "/hello"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(response.status().message().find("does not verify"), std::string::npos)
      << response.status().ToString();
}

TEST(HttpBodies, AFileRangeAndAMemoryBodyArriveExactlyWithNoAddedContentType) {
  auto server = ServerProcess::Start({"node", Script("echo_server.mjs")});
  TempDir dir;
  const auto file = dir.path() / "body.bin";
  std::string bytes;
  for (int i = 0; i < 300'000; ++i) bytes.push_back(static_cast<char>(i % 251));
  std::ofstream(file, std::ios::binary) << bytes;
  auto client = MakeHttpClient(Direct());

  Request put = Get(server->base_url() + "/part");
  put.method = "PUT";
  put.body_file = FileRange{file, 1000, 200'000};
  auto sent = client->Send(put);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  const auto echoed = Echoed(*sent);
  EXPECT_TRUE(EchoedBody(*sent) == bytes.substr(1000, 200'000));
  EXPECT_EQ(echoed["headers"]["content-length"], "200000");
  EXPECT_FALSE(echoed["headers"].contains("content-type"));  // S3 would store it
  EXPECT_EQ(echoed["headers"]["accept-encoding"], "identity");

  Request post = Get(server->base_url() + "/form");
  post.method = "POST";
  post.body = "a=1&b=%20";
  post.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  sent = client->Send(post);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(EchoedBody(*sent), "a=1&b=%20");
  EXPECT_EQ(Echoed(*sent)["headers"]["content-type"], "application/x-www-form-urlencoded");
}

TEST(HttpBodies, OnlySuccessfulBodiesAreStreamedToTheResponseFile) {
  auto server = ServerProcess::Start({"node", Script("echo_server.mjs")});
  TempDir dir;
  auto client = MakeHttpClient(Direct());
  Request get = Get(server->base_url() + "/object");
  get.response_file = dir.path() / "object";
  auto ok = client->Send(get);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->body.empty());
  EXPECT_EQ(nlohmann::json::parse(testing::ReadFileBytes(dir.path() / "object"))["path"],
            "/object");
  EXPECT_EQ(ok->header("x-echo"), "yes");  // names lowercased

  get.url = server->base_url() + "/missing?status=404";
  get.response_file = dir.path() / "missing";
  auto missing = client->Send(get);
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_EQ(missing->status, 404);
  EXPECT_FALSE(missing->body.empty());  // the error body stays in memory, for the message
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "missing"));
}

TEST(HttpConnections, OneConnectionCarriesManyRequestsAndOneTheServerClosedIsReplaced) {
  auto server =
      ServerProcess::Start({"node", Script("echo_server.mjs")}, {{"KEEP_ALIVE_MS", "200"}});
  auto client = MakeHttpClient(Direct());
  std::vector<int> ports;
  for (int i = 0; i < 3; ++i) {
    if (i == 2) std::this_thread::sleep_for(std::chrono::milliseconds(600));  // idle: closed
    auto response = client->Send(Get(server->base_url() + "/n" + std::to_string(i)));
    ASSERT_TRUE(response.ok()) << i << ": " << response.status().ToString();
    EXPECT_EQ(Echoed(*response)["path"], "/n" + std::to_string(i));
    ports.push_back(Echoed(*response)["client_port"].get<int>());
  }
  EXPECT_EQ(ports[0], ports[1]);  // kept alive
  EXPECT_NE(ports[1], ports[2]);  // the server had closed it: a new one, and no error
}

TEST(HttpFailures, ARefusedConnectionIsWorthRetryingAndSaysWhere) {
  auto response = MakeHttpClient(Direct())->Send(Get(StoppedServerUrl() + "/x"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("127.0.0.1:"), std::string::npos)
      << response.status().ToString();
}

TEST(HttpFailures, AnUnreachableProxyIsNamedInTheError) {
  HttpOptions options;
  options.proxies = ProxyEnvironment{StoppedServerUrl(), "", "", ""};
  auto response = MakeHttpClient(options)->Send(Get("http://example.invalid/x"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("through the proxy 127.0.0.1:"), std::string::npos)
      << response.status().ToString();
}

std::vector<std::string> SeenBy(const ServerProcess& proxy) {
  auto seen = MakeHttpClient(Direct())->Send(Get(proxy.base_url() + "/seen"));
  if (!seen.ok()) throw std::runtime_error(seen.status().ToString());
  return nlohmann::json::parse(seen->body).get<std::vector<std::string>>();
}

TEST(HttpProxy, PlainHttpGoesThroughTheProxyInAbsoluteForm) {
  auto server = ServerProcess::Start({"node", Script("echo_server.mjs")});
  auto proxy = ServerProcess::Start({"node", Script("forward_proxy.mjs")});
  HttpOptions options;
  options.proxies = ProxyEnvironment{proxy->base_url(), "", "", ""};
  auto response = MakeHttpClient(options)->Send(Get(server->base_url() + "/via?a=%2F"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(Echoed(*response)["path"], "/via?a=%2F");
  EXPECT_EQ(SeenBy(*proxy), std::vector<std::string>{"GET " + server->base_url() + "/via?a=%2F"});
}

TEST_F(HttpTls, HttpsGoesThroughTheProxyInACONNECTTunnelWithItsCredentials) {
  auto proxy =
      ServerProcess::Start({"node", Script("forward_proxy.mjs")}, {{"PROXY_AUTH", "me:p@ss"}});
  HttpOptions options;
  options.ca_bundle = cert_.first;
  const std::string proxy_url = "http://me:p%40ss@127.0.0.1:" + std::to_string(proxy->port());
  options.proxies = ProxyEnvironment{"", proxy_url, "", ""};
  auto response = MakeHttpClient(options)->Send(Get(url_ + "/tunnel"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(Echoed(*response)["path"], "/tunnel");
  EXPECT_EQ(SeenBy(*proxy),
            std::vector<std::string>{"CONNECT localhost:" + std::to_string(server_->port())});
}

TEST(HttpProxy, NoProxyHostsGoDirect) {
  auto server = ServerProcess::Start({"node", Script("echo_server.mjs")});
  auto proxy = ServerProcess::Start({"node", Script("forward_proxy.mjs")});
  HttpOptions options;
  options.proxies = ProxyEnvironment{proxy->base_url(), "", "", "example.com, 127.0.0.1"};
  auto response = MakeHttpClient(options)->Send(Get(server->base_url() + "/direct"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(SeenBy(*proxy).empty());
}

}  // namespace
}  // namespace slack_intel::http

#include "support/s3_test_server.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

namespace slack_intel::testing {

S3TestServer LoadS3TestServer() {
  const char* env_file = std::getenv("SLACK_INTEL_TEST_S3_ENV");
  if (env_file == nullptr) {
    throw std::runtime_error(
        "SLACK_INTEL_TEST_S3_ENV is not set: run this test through ctest, whose s3_server "
        "fixture starts the local Ceph S3 server");
  }
  std::ifstream in(env_file);
  if (!in) throw std::runtime_error(std::string("cannot read ") + env_file);
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(in, line);) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  S3TestServer server{values["S3_ENDPOINT"], values["S3_ACCESS_KEY"], values["S3_SECRET_KEY"],
                      values["S3_REGION"]};
  if (server.endpoint.empty() || server.access_key.empty() || server.secret_key.empty()) {
    throw std::runtime_error(std::string("incomplete S3 server settings in ") + env_file);
  }
  if (server.region.empty()) server.region = "us-east-1";
  return server;
}

std::string UniqueBucketName(std::string_view test_name) {
  static std::atomic<int> counter{0};
  std::string suffix = "-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  std::string name = "si-";
  for (char c : test_name) {
    if (name.size() + suffix.size() >= 63) break;
    name += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                : '-';
  }
  return name + suffix;
}

}  // namespace slack_intel::testing

#include "support/reference_s3_request.h"

#include <curl/curl.h>
#include <openssl/sha.h>

#include <cstdio>
#include <stdexcept>

namespace slack_intel::testing {
namespace {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string hex;
  char byte[3];
  for (unsigned char d : digest) {
    std::snprintf(byte, sizeof byte, "%02x", d);
    hex += byte;
  }
  return hex;
}

size_t AppendToString(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

HttpReply ReferenceS3Request(const S3TestServer& server, std::string_view method,
                             std::string_view path, std::string_view body,
                             std::string_view secret_key) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
  const std::string url = server.endpoint + std::string(path);
  const std::string sigv4 = "aws:amz:" + server.region + ":s3";
  const std::string user =
      server.access_key + ":" + std::string(secret_key.empty() ? server.secret_key : secret_key);
  // libcurl 7.88 signs x-amz-* headers it is given but does not add the payload hash S3
  // requires, so we supply it.
  const std::string content_hash = "x-amz-content-sha256: " + Sha256Hex(body);
  curl_slist* headers = curl_slist_append(nullptr, content_hash.c_str());
  const std::string method_text(method);
  HttpReply reply;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(curl, CURLOPT_USERPWD, user.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  if (method == "PUT" || method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendToString);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

std::string S3ErrorCode(std::string_view body) {
  size_t begin = body.find("<Code>");
  if (begin == std::string_view::npos) return "";
  begin += 6;
  size_t end = body.find("</Code>", begin);
  return end == std::string_view::npos ? "" : std::string(body.substr(begin, end - begin));
}

}  // namespace slack_intel::testing

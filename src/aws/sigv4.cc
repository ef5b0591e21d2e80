#include "aws/sigv4.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "aws/hmac.h"
#include "util/digest.h"
#include "util/text.h"

namespace slack_intel::aws {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string Credentials::Redacted() const {
  std::string id = access_key_id.size() > 8 ? access_key_id.substr(0, 4) + "…" +
                                                  access_key_id.substr(access_key_id.size() - 4)
                                            : std::string("…");
  return provider.empty() ? id : fmt::format("{} from {}", id, provider);
}

std::string UriEncode(std::string_view text, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string CanonicalQueryString(const std::vector<QueryParam>& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const QueryParam& p : params)
    encoded.emplace_back(UriEncode(p.name, true), UriEncode(p.value, true));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string AmzDate(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Signature SignRequest(const SigningRequest& request, const Credentials& credentials,
                      std::vector<http::Header>& headers) {
  const std::string amz_date = AmzDate(request.now);
  const std::string date = amz_date.substr(0, 8);
  headers.push_back({"x-amz-date", amz_date});
  if (request.service == "s3")
    headers.push_back({"x-amz-content-sha256", std::string(request.payload_sha256)});
  if (!credentials.session_token.empty())
    headers.push_back({"x-amz-security-token", credentials.session_token});

  // Step 1: the canonical request.
  std::vector<std::pair<std::string, std::string>> canonical;
  for (const http::Header& h : headers) canonical.emplace_back(h.name, FoldSpaces(h.value));
  std::sort(canonical.begin(), canonical.end());
  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : canonical) {
    canonical_headers += fmt::format("{}:{}\n", name, value);
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += name;
  }
  Signature s;
  s.canonical_request = fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method, request.canonical_uri,
                                    request.canonical_query, canonical_headers, signed_headers,
                                    request.payload_sha256);
  // Step 2: the string to sign.
  const std::string scope =
      fmt::format("{}/{}/{}/aws4_request", date, request.region, request.service);
  s.string_to_sign = fmt::format("AWS4-HMAC-SHA256\n{}\n{}\n{}", amz_date, scope,
                                 HexEncode(Sha256(s.canonical_request)));
  // Step 3: the signing key and the signature.
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, date);
  key = HmacSha256(key, request.region);
  key = HmacSha256(key, request.service);
  key = HmacSha256(key, "aws4_request");
  s.signature = HexEncode(HmacSha256(key, s.string_to_sign));
  s.authorization = fmt::format("AWS4-HMAC-SHA256 Credential={}/{},SignedHeaders={},Signature={}",
                                credentials.access_key_id, scope, signed_headers, s.signature);
  headers.push_back({"authorization", s.authorization});
  return s;
}

}  // namespace slack_intel::aws

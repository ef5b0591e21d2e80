#include "s3/client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <pugixml.hpp>
#include <set>

#include "aws/sigv4.h"
#include "s3/error.h"
#include "s3/replies.h"
#include "util/digest.h"
#include "util/http/socket_http_client.h"
#include "util/http/url.h"

namespace slack_intel::s3 {
namespace {

struct Endpoint {
  std::string scheme;     // "https"
  std::string host;       // "s3.us-east-1.amazonaws.com" or "127.0.0.1:7480"
  std::string base_path;  // "" or "/prefix" for endpoints behind a path
};

Endpoint ParseEndpoint(const std::string& url, const std::string& region) {
  if (url.empty()) return {"https", fmt::format("s3.{}.amazonaws.com", region), ""};
  Endpoint e;
  std::string rest = url;
  if (size_t p = rest.find("://"); p != std::string::npos) {
    e.scheme = rest.substr(0, p);
    rest = rest.substr(p + 3);
  } else {
    e.scheme = "https";
  }
  size_t slash = rest.find('/');
  e.host = rest.substr(0, slash);
  if (slash != std::string::npos) {
    e.base_path = rest.substr(slash);
    while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();
  }
  return e;
}

bool IsAwsHost(const std::string& host) {
  return host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn");
}

// ", which is N s behind/ahead of the server" from the reply's Date header, or "".
std::string ClockSkew(const http::Response& response, std::chrono::system_clock::time_point now) {
  auto date = response.header("date");
  if (!date) return "";
  std::tm tm{};
  if (strptime(date->c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return "";
  const auto server = std::chrono::system_clock::from_time_t(timegm(&tm));
  const auto skew = std::chrono::duration_cast<std::chrono::seconds>(now - server).count();
  if (std::abs(skew) < 5) return ", which agrees with the server's";
  return fmt::format(", which is {} s {} the server's", std::abs(skew),
                     skew < 0 ? "behind" : "ahead of");
}

void AddPutHeaders(const PutOptions& options, std::vector<http::Header>& headers) {
  headers.push_back({"content-type", options.content_type});
  for (const auto& [name, value] : options.metadata)
    headers.push_back({"x-amz-meta-" + name, value});
  if (!options.sse.empty()) headers.push_back({"x-amz-server-side-encryption", options.sse});
  if (!options.sse_kms_key_id.empty()) {
    headers.push_back({"x-amz-server-side-encryption-aws-kms-key-id", options.sse_kms_key_id});
  }
  if (!options.storage_class.empty())
    headers.push_back({"x-amz-storage-class", options.storage_class});
}

ObjectHead HeadFromResponse(const http::Response& response) {
  ObjectHead head;
  head.etag = Unquote(response.header("etag").value_or(""));
  head.last_modified = response.header("last-modified").value_or("");
  head.sse = response.header("x-amz-server-side-encryption").value_or("");
  if (auto length = response.header("content-length"))
    head.size_bytes = std::strtoull(length->c_str(), nullptr, 10);
  for (const http::Header& h : response.headers) {  // names come lowercased
    if (h.name.starts_with("x-amz-meta-")) head.metadata.push_back({h.name.substr(11), h.value});
  }
  return head;
}

}  // namespace

std::optional<std::string> BucketRegions::Get(const std::string& bucket) const {
  std::lock_guard lock(mutex_);
  auto it = regions_.find(bucket);
  if (it == regions_.end()) return std::nullopt;
  return it->second;
}

void BucketRegions::Set(const std::string& bucket, const std::string& region) {
  std::lock_guard lock(mutex_);
  regions_[bucket] = region;
}

std::string MultipartETag(const std::vector<CompletedPart>& parts) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string digests;
  for (const CompletedPart& part : parts) {
    if (part.etag.size() != 32) return "";  // not an MD5 (SSE-KMS, some stores): unknown
    for (size_t i = 0; i < 32; i += 2) {
      const int hi = nibble(part.etag[i]), lo = nibble(part.etag[i + 1]);
      if (hi < 0 || lo < 0) return "";
      digests += static_cast<char>(hi << 4 | lo);
    }
  }
  return fmt::format("{}-{}", HexEncode(Md5(digests)), parts.size());
}

std::string S3Url(const std::string& bucket, const std::string& key) {
  return key.empty() ? fmt::format("s3://{}", bucket) : fmt::format("s3://{}/{}", bucket, key);
}

struct Client::Call {
  Call(std::string m, std::string b, std::string k = "")
      : method(std::move(m)), bucket(std::move(b)), key(std::move(k)) {}
  std::string method;
  std::string bucket;
  std::string key;  // raw; "" for bucket-level operations
  std::vector<aws::QueryParam> query;
  std::vector<http::Header> headers;
  std::string body;
  std::optional<http::FileRange> body_file;
  std::string payload_sha256 = std::string(aws::kEmptyPayloadSha256);
  std::optional<std::filesystem::path> response_file;
  std::optional<uint64_t> expected_body_bytes;
  bool error_may_come_with_200 = false;  // CompleteMultipartUpload
  std::string action;  // the IAM action, for AccessDenied messages: "s3:PutObject"
  std::string what() const { return fmt::format("{} {}", method, S3Url(bucket, key)); }
};

Client::Client(ClientOptions options)
    : options_(std::move(options)),
      http_(options_.make_http_client ? options_.make_http_client() : http::MakeHttpClient()),
      backoff_(options_.retry) {}

Client::~Client() = default;

std::string Client::RegionFor(const std::string& bucket) const {
  return options_.bucket_regions->Get(bucket).value_or(options_.region);
}

Result<http::Response> Client::Execute(const Call& call) {
  bool redirected = false;
  http::Retrier retrier(
      backoff_, *options_.clock, options_.server_health.get(),
      "the S3 endpoint " + ParseEndpoint(options_.endpoint_url, RegionFor(call.bucket)).host);
  for (;;) {
    if (Status down = retrier.BeforeAttempt(); !down.ok()) return down.WithContext(call.what());
    auto credentials = options_.credentials->Get();
    if (!credentials.ok()) return credentials.status().WithContext(call.what());
    const std::string region = RegionFor(call.bucket);
    const Endpoint endpoint = ParseEndpoint(options_.endpoint_url, region);
    const bool virtual_host =
        options_.addressing == Addressing::kVirtual ||
        (options_.addressing == Addressing::kAuto && IsAwsHost(endpoint.host) &&
         call.bucket.find('.') == std::string::npos && !call.bucket.empty());
    std::string host = endpoint.host;
    std::string path = endpoint.base_path;
    if (virtual_host) {
      host = call.bucket + "." + host;
    } else if (!call.bucket.empty()) {
      path += "/" + call.bucket;
    }
    // Each key segment is encoded once; '/' stays a separator.
    if (!call.key.empty()) path += "/" + aws::UriEncode(call.key, false);
    if (path.empty()) path = "/";
    const std::string query = aws::CanonicalQueryString(call.query);

    http::Request request;
    request.method = call.method;
    request.url =
        fmt::format("{}://{}{}{}{}", endpoint.scheme, host, path, query.empty() ? "" : "?", query);
    request.headers = call.headers;
    request.headers.push_back({"host", host});
    request.body = call.body;
    request.body_file = call.body_file;
    request.response_file = call.response_file;
    request.expected_body_bytes = call.expected_body_bytes;
    const bool has_body = !call.body.empty() || call.body_file.has_value();
    const std::string payload = options_.unsigned_payload && endpoint.scheme == "https" && has_body
                                    ? "UNSIGNED-PAYLOAD"
                                    : call.payload_sha256;
    aws::SignRequest({call.method, path, query, payload, region, "s3", options_.clock->Now()},
                     *credentials, request.headers);

    AdaptiveLimitSlot slot(options_.request_limit.get());
    auto sent = http_->Send(request);
    spdlog::debug("{} {} -> {}", request.method, request.url,
                  sent.ok() ? fmt::format("HTTP {}", sent->status) : sent.status().message());
    if (!sent.ok()) {
      Status final = retrier.AfterFailure(sent.status());
      if (final.ok()) continue;
      return final.WithContext(call.what());
    }
    retrier.Answered();
    http::Response& response = *sent;
    const bool ok_status = response.status / 100 == 2;
    if (ok_status &&
        !(call.error_may_come_with_200 && response.body.find("<Error>") != std::string::npos)) {
      return std::move(response);
    }
    S3Error error = ParseS3Error(response);
    if (response.status == 503 || error.code == "SlowDown") slot.set_throttled();
    if (ok_status && error.http_status == 200 && error.code.empty()) error.code = "InternalError";
    if (!redirected && !error.region.empty() && error.region != region &&
        (response.status == 301 || response.status == 307 ||
         error.code == "AuthorizationHeaderMalformed" || error.code == "PermanentRedirect")) {
      spdlog::warn("bucket {} is in region {}, not {}: using {}", call.bucket, error.region, region,
                   error.region);
      options_.bucket_regions->Set(call.bucket, error.region);
      redirected = true;
      retrier.Uncount();  // a redirect is not a failed attempt
      continue;
    }
    if (IsRetryable(error) && retrier.AfterTransientReply(http::RetryAfter(response))) continue;
    Status status = ToStatus(error);
    std::string hint;
    switch (status.code()) {
      case StatusCode::kPermissionDenied:
        hint = fmt::format(" (as {}; the IAM policy must allow {} on {})", credentials->Redacted(),
                           call.action.empty() ? "this action" : call.action,
                           call.key.empty()
                               ? fmt::format("arn:aws:s3:::{}", call.bucket)
                               : fmt::format("arn:aws:s3:::{}/{}", call.bucket, call.key));
        break;
      case StatusCode::kUnauthenticated:
        hint =
            error.code == "SignatureDoesNotMatch" || error.code == "RequestTimeTooSkewed"
                ? fmt::format(" (as {}: check the secret access key, and this machine's clock{})",
                              credentials->Redacted(), ClockSkew(response, options_.clock->Now()))
                : fmt::format(" (as {})", credentials->Redacted());
        break;
      case StatusCode::kNotFound:
        if (error.code == "NoSuchBucket")
          hint = fmt::format(" (bucket {} in region {})", call.bucket, region);
        break;
      default:
        break;
    }
    return Status(status.code(), status.message() + hint + retrier.AttemptsNote())
        .WithContext(call.what());
  }
}

Status Client::HeadBucket(const std::string& bucket, std::string* server_date) {
  Call call("HEAD", bucket);
  call.action = "s3:ListBucket";
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  if (server_date != nullptr) *server_date = response.header("date").value_or("");
  return Status::OK();
}

Result<ListPage> Client::ListObjectsV2(const std::string& bucket, const std::string& prefix,
                                       const std::string& continuation_token,
                                       const std::string& delimiter, int max_keys,
                                       const std::string& start_after) {
  Call call("GET", bucket);
  call.query = {
      {"list-type", "2"}, {"encoding-type", "url"}, {"max-keys", std::to_string(max_keys)}};
  if (!prefix.empty()) call.query.push_back({"prefix", prefix});
  if (!delimiter.empty()) call.query.push_back({"delimiter", delimiter});
  if (!continuation_token.empty()) call.query.push_back({"continuation-token", continuation_token});
  if (!start_after.empty()) call.query.push_back({"start-after", start_after});
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  auto page = ParseListObjectsV2(response.body);
  if (!page.ok()) return page.status().WithContext(call.what());
  return page;
}

Result<PutResult> Client::PutObject(const std::string& bucket, const std::string& key,
                                    const http::FileRange& body, const PutOptions& options) {
  SLACK_INTEL_ASSIGN_OR_RETURN(FileDigests digests,
                               DigestFileRange(body.path.string(), body.offset, body.length));
  Call call("PUT", bucket, key);
  call.action = "s3:PutObject";
  AddPutHeaders(options, call.headers);
  const std::string md5_base64 = Base64Encode(digests.md5);
  if (options.md5_metadata)
    call.headers.push_back({std::string("x-amz-meta-") + kMd5MetadataName, md5_base64});
  call.headers.push_back({"content-md5", md5_base64});
  call.headers.push_back({"content-length", std::to_string(body.length)});
  call.body_file = body;
  call.payload_sha256 = digests.sha256_hex;
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  return PutResult{Unquote(response.header("etag").value_or("")), HexEncode(digests.md5)};
}

Result<PutResult> Client::PutObject(const std::string& bucket, const std::string& key,
                                    const std::string& body, const PutOptions& options) {
  Call call("PUT", bucket, key);
  call.action = "s3:PutObject";
  AddPutHeaders(options, call.headers);
  const std::string md5 = Md5(body);
  if (options.md5_metadata)
    call.headers.push_back({std::string("x-amz-meta-") + kMd5MetadataName, Base64Encode(md5)});
  call.headers.push_back({"content-md5", Base64Encode(md5)});
  call.body = body;
  call.payload_sha256 = HexEncode(Sha256(body));
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  return PutResult{Unquote(response.header("etag").value_or("")), HexEncode(md5)};
}

Result<ObjectHead> Client::HeadObject(const std::string& bucket, const std::string& key) {
  Call call("HEAD", bucket, key);
  call.action = "s3:GetObject";
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  return HeadFromResponse(response);
}

Result<ObjectHead> Client::GetObject(const std::string& bucket, const std::string& key,
                                     const std::filesystem::path& destination,
                                     std::optional<uint64_t> expected_size) {
  Call call("GET", bucket, key);
  call.action = "s3:GetObject";
  call.response_file = destination;
  call.expected_body_bytes = expected_size;
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  return HeadFromResponse(response);
}

std::string ObjectHead::ContentMd5Hex() const {
  for (const auto& [name, value] : metadata) {
    if (name != kMd5MetadataName) continue;
    if (auto raw = Base64Decode(value); raw && raw->size() == 16) return HexEncode(*raw);
  }
  if (sse == "aws:kms" || sse == "aws:kms:dsse" || etag.size() != 32) return "";
  for (char c : etag)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
  return etag;
}

Result<std::string> Client::CreateMultipartUpload(const std::string& bucket, const std::string& key,
                                                  const PutOptions& options) {
  Call call("POST", bucket, key);
  call.action = "s3:PutObject";
  call.query = {{"uploads", ""}};
  AddPutHeaders(options, call.headers);
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  auto upload_id = ParseCreateMultipartUpload(response.body);
  if (!upload_id.ok()) return upload_id.status().WithContext(call.what());
  return upload_id;
}

Result<std::string> Client::UploadPart(const std::string& bucket, const std::string& key,
                                       const std::string& upload_id, int part_number,
                                       const http::FileRange& body) {
  SLACK_INTEL_ASSIGN_OR_RETURN(FileDigests digests,
                               DigestFileRange(body.path.string(), body.offset, body.length));
  Call call("PUT", bucket, key);
  call.action = "s3:PutObject";
  call.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}};
  call.headers.push_back({"content-md5", Base64Encode(digests.md5)});
  call.headers.push_back({"content-length", std::to_string(body.length)});
  call.body_file = body;
  call.payload_sha256 = digests.sha256_hex;
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  std::string etag = Unquote(response.header("etag").value_or(""));
  if (etag.empty())
    return Status::Corruption(
        fmt::format("{}: part {} reply has no ETag", call.what(), part_number));
  return etag;
}

Result<PutResult> Client::CompleteMultipartUpload(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id,
                                                  const std::vector<CompletedPart>& parts) {
  Call call("POST", bucket, key);
  call.action = "s3:PutObject";
  call.query = {{"uploadId", upload_id}};
  std::string xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (const CompletedPart& p : parts) {
    xml += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>\"{}\"</ETag></Part>", p.part_number,
                       p.etag);
  }
  xml += "</CompleteMultipartUpload>";
  call.headers.push_back({"content-type", "application/xml"});
  call.body = xml;
  call.payload_sha256 = HexEncode(Sha256(xml));
  // "CompleteMultipartUpload" in the S3 API reference: the reply can be 200 with an error body.
  call.error_may_come_with_200 = true;
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  auto etag = ParseCompleteMultipartUpload(response.body);
  if (!etag.ok()) return etag.status().WithContext(call.what());
  // Ceph RGW answers <ETag></ETag>; the object's ETag is the usual md5-of-part-md5s-N.
  return PutResult{etag->empty() ? MultipartETag(parts) : *etag, ""};
}

Status Client::AbortMultipartUpload(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id) {
  Call call("DELETE", bucket, key);
  call.action = "s3:AbortMultipartUpload";
  call.query = {{"uploadId", upload_id}};
  return Execute(call).status();
}

Result<std::vector<MultipartUpload>> Client::ListMultipartUploads(const std::string& bucket,
                                                                  const std::string& prefix) {
  std::vector<MultipartUpload> uploads;
  std::string key_marker, upload_id_marker;
  std::set<std::string> markers_used;
  while (true) {
    Call call("GET", bucket);
    call.action = "s3:ListBucketMultipartUploads";
    call.query = {{"uploads", ""}, {"encoding-type", "url"}};
    if (!prefix.empty()) call.query.push_back({"prefix", prefix});
    if (!key_marker.empty()) call.query.push_back({"key-marker", key_marker});
    if (!upload_id_marker.empty()) call.query.push_back({"upload-id-marker", upload_id_marker});
    SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
    auto page = ParseListMultipartUploads(response.body);
    if (!page.ok()) return page.status().WithContext(call.what());
    for (MultipartUpload& upload : page->uploads) uploads.push_back(std::move(upload));
    if (!page->is_truncated) return uploads;
    key_marker = std::move(page->next_key_marker);
    upload_id_marker = std::move(page->next_upload_id_marker);
    if (!markers_used.insert(key_marker + '\n' + upload_id_marker).second) {
      return Status::Corruption(fmt::format(
          "{}: the upload listing names the same markers again: its pages would never end",
          call.what()));
    }
  }
}

Status Client::DeleteObject(const std::string& bucket, const std::string& key) {
  Call call("DELETE", bucket, key);
  call.action = "s3:DeleteObject";
  return Execute(call).status();
}

Result<std::vector<DeleteFailure>> Client::DeleteObjects(const std::string& bucket,
                                                         const std::vector<std::string>& keys) {
  if (keys.empty()) return std::vector<DeleteFailure>{};
  if (keys.size() > 1000) return Status::InvalidArgument("DeleteObjects takes at most 1000 keys");
  Call call("POST", bucket);
  call.action = "s3:DeleteObject";
  call.query = {{"delete", ""}};
  pugi::xml_document request;
  pugi::xml_node root = request.append_child("Delete");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  root.append_child("Quiet").text() = "true";
  for (const std::string& key : keys)
    root.append_child("Object").append_child("Key").text() = key.c_str();
  struct Writer : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override {
      out.append(static_cast<const char*>(data), size);
    }
  } writer;
  request.save(writer, "", pugi::format_raw | pugi::format_no_declaration);
  call.body = writer.out;
  call.headers.push_back({"content-type", "application/xml"});
  call.headers.push_back({"content-md5", Base64Encode(Md5(call.body))});  // required
  call.payload_sha256 = HexEncode(Sha256(call.body));
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  auto failures = ParseDeleteObjects(response.body);
  if (!failures.ok()) return failures.status().WithContext(call.what());
  return failures;
}

Result<std::string> Client::GetBucketLifecycle(const std::string& bucket) {
  Call call("GET", bucket);
  call.action = "s3:GetLifecycleConfiguration";
  call.query = {{"lifecycle", ""}};
  auto response = Execute(call);
  if (!response.ok()) {
    const Status& status = response.status();
    if (status.code() == StatusCode::kNotFound &&
        status.message().find("NoSuchLifecycleConfiguration") != std::string::npos) {
      return std::string();
    }
    return status;
  }
  return std::move(response->body);
}

Status Client::PutBucketLifecycle(const std::string& bucket, const std::string& xml) {
  Call call("PUT", bucket);
  call.action = "s3:PutLifecycleConfiguration";
  call.query = {{"lifecycle", ""}};
  call.body = xml;
  call.headers.push_back({"content-type", "application/xml"});
  call.headers.push_back({"content-md5", Base64Encode(Md5(call.body))});  // required
  call.payload_sha256 = HexEncode(Sha256(call.body));
  return Execute(call).status();
}

}  // namespace slack_intel::s3

#include "azure/blob_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <pugixml.hpp>

#include "aws/sigv4.h"
#include "azure/shared_key.h"
#include "util/digest.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::azure {
namespace {

// An error reply: the x-ms-error-code header, else the body's <Error><Code>.
struct BlobError {
  std::string code;
  std::string message;
};

BlobError ParseError(const http::Response& response) {
  BlobError error;
  error.code = response.header("x-ms-error-code").value_or("");
  pugi::xml_document doc;
  if (doc.load_buffer(response.body.data(), response.body.size())) {
    if (error.code.empty()) error.code = doc.child("Error").child_value("Code");
    error.message = doc.child("Error").child_value("Message");
    // The service appends "\nRequestId:...\nTime:..." to its messages.
    error.message = error.message.substr(0, error.message.find('\n'));
  }
  return error;
}

// Azure says AuthenticationFailed for a bad signature; Azurite says AuthorizationFailure with
// Azure's message.
bool SignatureRefused(const BlobError& error) {
  return error.code == "AuthenticationFailed" ||
         error.message.find("failed to authenticate") != std::string::npos;
}

// Azure says Md5Mismatch for a body that does not match its Content-MD5; Azurite says
// InvalidOperation "Provided contentMD5 doesn't match."
bool DigestRefused(const BlobError& error) {
  return error.code == "Md5Mismatch" || error.message.find("contentMD5") != std::string::npos;
}

// A body refused for its MD5 was changed on the way: sent again, it is likely whole (S3's
// BadDigest is retried the same way).
bool Retryable(const http::Response& response, const BlobError& error) {
  return response.status == 500 || response.status == 503 || response.status == 408 ||
         error.code == "ServerBusy" || error.code == "OperationTimedOut" ||
         error.code == "InternalError" || DigestRefused(error);
}

std::string FixFor(const BlobError& error, const StorageAccount& account,
                   const std::string& container) {
  const std::string& code = error.code;
  if (code == "ContainerNotFound") {
    return fmt::format("create it: az storage container create --account-name {} --name {}",
                       account.name, container);
  }
  if (SignatureRefused(error)) {
    return fmt::format("the {} of account {} was refused: check {} (and this machine's clock)",
                       !account.key.empty()  ? "account key"
                       : account.sas.empty() ? "managed identity's token"
                                             : "SAS token",
                       account.name, account.source);
  }
  if (code == "AuthorizationPermissionMismatch" || code == "AuthorizationFailure") {
    return account.token && account.sas.empty()
               ? "the managed identity needs the Storage Blob Data Contributor role on the "
                 "container or account"
               : "the SAS or identity lacks read, write, list or delete permission on the "
                 "container";
  }
  return "";
}

Status ToStatus(const http::Response& response, const BlobError& error,
                const StorageAccount& account, const std::string& container,
                const std::string& what) {
  std::string text = fmt::format("{}: {} (HTTP {})", what,
                                 error.code.empty() ? "error" : error.code, response.status);
  if (!error.message.empty()) text += ": " + error.message;
  if (std::string fix = FixFor(error, account, container); !fix.empty()) {
    text += " (" + fix + ")";
  }
  if (response.status == 404) return Status::NotFound(text);
  if (SignatureRefused(error)) return Status::Unauthenticated(text);
  if (DigestRefused(error)) return Status::Corruption(text);
  if (response.status == 403) return Status::PermissionDenied(text);
  if (response.status == 409 || response.status == 412) return Status::FailedPrecondition(text);
  if (response.status >= 500 || response.status == 408) return Status::Unavailable(text);
  return Status::InvalidArgument(text);
}

std::string Unquoted(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

BlobProperties PropertiesOf(const http::Response& response) {
  BlobProperties p;
  const std::string length = response.header("content-length").value_or("0");
  p.size_bytes = std::strtoull(length.c_str(), nullptr, 10);
  p.etag = Unquoted(response.header("etag").value_or(""));
  p.last_modified = response.header("last-modified").value_or("");
  p.content_md5_base64 = response.header("content-md5").value_or("");
  return p;
}

std::string HostOf(const std::string& endpoint) {
  const size_t scheme = endpoint.find("://");
  std::string rest = endpoint.substr(scheme == std::string::npos ? 0 : scheme + 3);
  return rest.substr(0, rest.find('/'));
}

}  // namespace

struct BlobClient::Call {
  Call(std::string m, std::string c, std::string b = "")
      : method(std::move(m)), container(std::move(c)), blob(std::move(b)) {}
  std::string method;
  std::string container;
  std::string blob;
  std::vector<aws::QueryParam> query;
  std::vector<http::Header> headers;
  std::string body;
  std::optional<http::FileRange> body_file;
  std::optional<std::filesystem::path> response_file;
  std::optional<uint64_t> expected_body_bytes;

  std::string what(const std::string& account) const {
    return fmt::format("{} {}", method, AzUrl(account, container, blob));
  }
};

BlobClient::BlobClient(BlobClientOptions options)
    : options_(std::move(options)),
      http_(options_.make_http_client ? options_.make_http_client() : http::MakeHttpClient({})),
      backoff_(options_.retry) {}

BlobClient::~BlobClient() = default;

Result<http::Response> BlobClient::Execute(const Call& call) {
  const StorageAccount& account = options_.account;
  const std::string what = call.what(account.name);
  http::Retrier retrier(backoff_, *options_.clock, options_.server_health.get(),
                        "the Azure Blob endpoint " + HostOf(account.blob_endpoint));
  std::string path = "/" + aws::UriEncode(call.container, true);
  if (!call.blob.empty()) path += "/" + aws::UriEncode(call.blob, false);
  std::string query;
  for (const aws::QueryParam& p : call.query) {
    query += fmt::format("{}{}={}", query.empty() ? "" : "&", aws::UriEncode(p.name, true),
                         aws::UriEncode(p.value, true));
  }
  if (account.key.empty() && !account.sas.empty()) {
    query += (query.empty() ? "" : "&") + account.sas;
  }
  for (;;) {
    if (Status down = retrier.BeforeAttempt(); !down.ok()) return down.WithContext(what);
    http::Request request;
    request.method = call.method;
    request.url = account.blob_endpoint + path + (query.empty() ? "" : "?" + query);
    request.headers = call.headers;
    request.headers.push_back(
        {"x-ms-date", HttpDate(std::chrono::duration_cast<std::chrono::seconds>(
                                   options_.clock->Now().time_since_epoch())
                                   .count())});
    request.headers.push_back({"x-ms-version", kApiVersion});
    const uint64_t length = call.body_file ? call.body_file->length : call.body.size();
    if (call.method == "PUT" || length > 0) {
      request.headers.push_back({"content-length", std::to_string(length)});
    }
    request.body = call.body;
    request.body_file = call.body_file;
    request.response_file = call.response_file;
    request.expected_body_bytes = call.expected_body_bytes;
    if (!account.key.empty()) {
      SignSharedKey(request, account.name, account.key);
    } else if (account.token && account.sas.empty()) {
      auto token = account.token->Token();
      if (!token.ok()) return token.status().WithContext(what);
      request.headers.push_back({"authorization", "Bearer " + *token});
    }

    auto sent = http_->Send(request);
    spdlog::debug("{} {} -> {}", request.method, AzUrl(account.name, call.container, call.blob),
                  sent.ok() ? fmt::format("HTTP {}", sent->status) : sent.status().message());
    if (!sent.ok()) {
      Status final = retrier.AfterFailure(sent.status());
      if (final.ok()) continue;
      return final.WithContext(what);
    }
    retrier.Answered();
    if (sent->status / 100 == 2) return std::move(*sent);
    const BlobError error = ParseError(*sent);
    if (Retryable(*sent, error) && retrier.AfterTransientReply(http::RetryAfter(*sent))) continue;
    Status status = ToStatus(*sent, error, account, call.container, what);
    return Status(status.code(), status.message() + retrier.AttemptsNote());
  }
}

Status BlobClient::CreateContainer(const std::string& container) {
  Call call("PUT", container);
  call.query = {{"restype", "container"}};
  return Execute(call).status();
}

Result<BlobPage> BlobClient::ListBlobs(const std::string& container, const std::string& prefix,
                                       const std::string& marker, int max_results) {
  Call call("GET", container);
  call.query = {
      {"restype", "container"}, {"comp", "list"}, {"maxresults", std::to_string(max_results)}};
  if (!prefix.empty()) call.query.push_back({"prefix", prefix});
  if (!marker.empty()) call.query.push_back({"marker", marker});
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  pugi::xml_document doc;
  if (!doc.load_buffer(response.body.data(), response.body.size())) {
    return Status::Corruption(
        fmt::format("{}: the blob listing is not XML", call.what(options_.account.name)));
  }
  pugi::xml_node root = doc.child("EnumerationResults");
  BlobPage page;
  for (pugi::xml_node blob : root.child("Blobs").children("Blob")) {
    pugi::xml_node p = blob.child("Properties");
    BlobItem item;
    item.name = blob.child_value("Name");
    item.properties.size_bytes = p.child("Content-Length").text().as_ullong();
    item.properties.etag = Unquoted(p.child_value("Etag"));
    item.properties.last_modified = p.child_value("Last-Modified");
    item.properties.content_md5_base64 = p.child_value("Content-MD5");
    page.blobs.push_back(std::move(item));
  }
  page.next_marker = root.child_value("NextMarker");
  return page;
}

Result<BlobProperties> BlobClient::GetProperties(const std::string& container,
                                                 const std::string& blob) {
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(Call("HEAD", container, blob)));
  return PropertiesOf(response);
}

Result<BlobProperties> BlobClient::PutBlob(const std::string& container, const std::string& blob,
                                           const http::FileRange& range,
                                           const std::string& content_md5_base64,
                                           const std::string& content_type) {
  Call call("PUT", container, blob);
  call.headers = {{"x-ms-blob-type", "BlockBlob"},
                  {"content-md5", content_md5_base64},
                  {"x-ms-blob-content-type", content_type}};
  call.body_file = range;
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  BlobProperties p = PropertiesOf(response);
  p.size_bytes = range.length;
  p.content_md5_base64 = content_md5_base64;
  return p;
}

Status BlobClient::PutBlock(const std::string& container, const std::string& blob,
                            const std::string& block_id, const http::FileRange& range,
                            const std::string& block_md5_base64) {
  Call call("PUT", container, blob);
  call.query = {{"comp", "block"}, {"blockid", block_id}};
  call.headers = {{"content-md5", block_md5_base64}};
  call.body_file = range;
  return Execute(call).status();
}

Result<BlobProperties> BlobClient::PutBlockList(const std::string& container,
                                                const std::string& blob,
                                                const std::vector<std::string>& block_ids,
                                                const std::string& content_md5_base64,
                                                const std::string& content_type) {
  Call call("PUT", container, blob);
  call.query = {{"comp", "blocklist"}};
  call.body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
  for (const std::string& id : block_ids) call.body += "<Latest>" + id + "</Latest>";
  call.body += "</BlockList>";
  call.headers = {{"content-md5", Base64Encode(Md5(call.body))},
                  {"x-ms-blob-content-md5", content_md5_base64},
                  {"x-ms-blob-content-type", content_type}};
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  BlobProperties p = PropertiesOf(response);
  p.content_md5_base64 = content_md5_base64;
  return p;
}

Result<BlobProperties> BlobClient::GetBlob(const std::string& container, const std::string& blob,
                                           const std::filesystem::path& file,
                                           uint64_t expected_size) {
  Call call("GET", container, blob);
  call.response_file = file;
  call.expected_body_bytes = expected_size;
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response response, Execute(call));
  return PropertiesOf(response);
}

Status BlobClient::DeleteBlob(const std::string& container, const std::string& blob) {
  return Execute(Call("DELETE", container, blob)).status();
}

std::string AzUrl(const std::string& account, const std::string& container,
                  const std::string& blob) {
  std::string url = fmt::format("az://{}/{}", account, container);
  if (!blob.empty()) url += "/" + blob;
  return url;
}

std::string BlockId(int index) { return Base64Encode(fmt::format("block-{:08}", index)); }

}  // namespace slack_intel::azure

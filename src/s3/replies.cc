#include "s3/replies.h"

#include <cstdlib>
#include <pugixml.hpp>
#include <string_view>

#include "util/http/url.h"

namespace slack_intel::s3 {
namespace {

// Parses `body` in place; the document points into it.
Result<pugi::xml_document> ParseXml(std::string& body) {
  pugi::xml_document doc;
  if (!doc.load_buffer_inplace(body.data(), body.size()))
    return Status::Corruption("the reply is not XML");
  return doc;
}

// Decodes keys when the reply says it URL-encoded them ("encoding-type=url").
struct KeyText {
  bool url_encoded;
  std::string operator()(const char* text) const {
    return url_encoded ? http::PercentDecode(text, true) : std::string(text);
  }
};

KeyText KeysOf(const pugi::xml_node& root) {
  return {std::string_view(root.child_value("EncodingType")) == "url"};
}

bool IsTrue(const char* text) { return std::string_view(text) == "true"; }

}  // namespace

std::string Unquote(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"')
    etag = etag.substr(1, etag.size() - 2);
  return etag;
}

Result<ListPage> ParseListObjectsV2(std::string& body) {
  SLACK_INTEL_ASSIGN_OR_RETURN(pugi::xml_document doc, ParseXml(body));
  pugi::xml_node root = doc.child("ListBucketResult");
  if (!root) return Status::Corruption("no ListBucketResult in the reply");
  const KeyText key_text = KeysOf(root);
  ListPage page;
  for (pugi::xml_node c : root.children("Contents")) {
    ObjectSummary o;
    o.key = key_text(c.child_value("Key"));
    o.size_bytes = std::strtoull(c.child_value("Size"), nullptr, 10);
    o.etag = Unquote(c.child_value("ETag"));
    o.last_modified = c.child_value("LastModified");
    page.objects.push_back(std::move(o));
  }
  for (pugi::xml_node p : root.children("CommonPrefixes"))
    page.common_prefixes.push_back(key_text(p.child_value("Prefix")));
  page.is_truncated = IsTrue(root.child_value("IsTruncated"));
  page.next_continuation_token = root.child_value("NextContinuationToken");
  if (page.is_truncated && page.next_continuation_token.empty())
    return Status::Corruption("truncated listing without a continuation token");
  return page;
}

Result<std::string> ParseCreateMultipartUpload(std::string& body) {
  SLACK_INTEL_ASSIGN_OR_RETURN(pugi::xml_document doc, ParseXml(body));
  std::string upload_id = doc.child("InitiateMultipartUploadResult").child_value("UploadId");
  if (upload_id.empty()) return Status::Corruption("no UploadId in the reply");
  return upload_id;
}

Result<std::string> ParseCompleteMultipartUpload(std::string& body) {
  SLACK_INTEL_ASSIGN_OR_RETURN(pugi::xml_document doc, ParseXml(body));
  pugi::xml_node result = doc.child("CompleteMultipartUploadResult");
  if (!result) return Status::Corruption("no CompleteMultipartUploadResult in the reply");
  return Unquote(result.child_value("ETag"));
}

Result<MultipartUploadsPage> ParseListMultipartUploads(std::string& body) {
  SLACK_INTEL_ASSIGN_OR_RETURN(pugi::xml_document doc, ParseXml(body));
  pugi::xml_node root = doc.child("ListMultipartUploadsResult");
  if (!root) return Status::Corruption("no ListMultipartUploadsResult in the reply");
  const KeyText key_text = KeysOf(root);
  MultipartUploadsPage page;
  for (pugi::xml_node u : root.children("Upload")) {
    page.uploads.push_back(
        {key_text(u.child_value("Key")), u.child_value("UploadId"), u.child_value("Initiated")});
  }
  page.is_truncated = IsTrue(root.child_value("IsTruncated"));
  page.next_key_marker = key_text(root.child_value("NextKeyMarker"));
  page.next_upload_id_marker = root.child_value("NextUploadIdMarker");
  if (page.is_truncated && page.next_key_marker.empty() && page.next_upload_id_marker.empty())
    return Status::Corruption("truncated upload listing without markers");
  return page;
}

Result<std::vector<DeleteFailure>> ParseDeleteObjects(std::string& body) {
  SLACK_INTEL_ASSIGN_OR_RETURN(pugi::xml_document doc, ParseXml(body));
  std::vector<DeleteFailure> failures;
  for (pugi::xml_node e : doc.child("DeleteResult").children("Error"))
    failures.push_back({e.child_value("Key"), e.child_value("Code"), e.child_value("Message")});
  return failures;
}

}  // namespace slack_intel::s3

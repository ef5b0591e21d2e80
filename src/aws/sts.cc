#include "aws/sts.h"

#include <fmt/format.h>

#include <pugixml.hpp>

#include "util/digest.h"

namespace slack_intel::aws {
namespace {

constexpr const char* kDefaultRegion = "us-east-1";

std::string HostOf(const std::string& url) {
  const size_t scheme = url.find("://");
  std::string rest = url.substr(scheme == std::string::npos ? 0 : scheme + 3);
  return rest.substr(0, rest.find('/'));
}

}  // namespace

std::string StsEndpoint(const Environment& env, const std::string& region) {
  for (const char* name : {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}) {
    if (std::string url = EnvValue(env, name); !url.empty()) return url;
  }
  return fmt::format("https://sts.{}.amazonaws.com", region.empty() ? kDefaultRegion : region);
}

std::string StsErrorCode(const std::string& body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return "";
  return doc.child("ErrorResponse").child("Error").child_value("Code");
}

Result<http::Response> CallSts(http::HttpClient& http, const RemoteProviderContext& context,
                               const std::string& region, const Credentials* signer,
                               const std::vector<QueryParam>& form) {
  const std::string endpoint = StsEndpoint(context.env, region);
  http::Request request;
  request.method = "POST";
  request.url = endpoint.ends_with("/") ? endpoint : endpoint + "/";
  request.body = CanonicalQueryString(form);
  request.headers = {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
  if (signer) {
    request.headers.insert(request.headers.begin(), {"host", HostOf(endpoint)});
    // "Signature Version 4 signing process" for STS: service "sts", the endpoint's region.
    SignRequest({"POST", "/", "", HexEncode(Sha256(request.body)),
                 region.empty() ? kDefaultRegion : region, "sts", context.clock->Now()},
                *signer, request.headers);
  }
  return SendWithRetries(http, request, *context.clock);
}

Status StsFailure(const http::Response& response, const std::string& what) {
  pugi::xml_document doc;
  doc.load_buffer(response.body.data(), response.body.size());
  pugi::xml_node error = doc.child("ErrorResponse").child("Error");
  const std::string code = error.child_value("Code");
  const std::string text = fmt::format(
      "{}: STS {} (HTTP {}){}", what, code.empty() ? "error" : code, response.status,
      *error.child_value("Message") ? std::string(": ") + error.child_value("Message") : "");
  if (code == "AccessDenied") return Status::PermissionDenied(text);
  if (response.status == 400 || response.status == 403) return Status::Unauthenticated(text);
  return Status::Unavailable(text);
}

Result<CallerIdentity> GetCallerIdentity(const RemoteProviderContext& context,
                                         const std::string& region,
                                         const Credentials& credentials) {
  const std::string what = "sts:GetCallerIdentity";
  auto http = NewHttpClient(context, std::chrono::seconds(5));
  SLACK_INTEL_ASSIGN_OR_RETURN(
      http::Response response,
      CallSts(*http, context, region, &credentials,
              {{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}}));
  if (response.status != 200) return StsFailure(response, what);
  pugi::xml_document doc;
  doc.load_buffer(response.body.data(), response.body.size());
  pugi::xml_node result =
      doc.child("GetCallerIdentityResponse").child("GetCallerIdentityResult");
  CallerIdentity identity{result.child_value("Arn"), result.child_value("Account"),
                          result.child_value("UserId")};
  if (identity.arn.empty()) {
    return Status::Corruption(fmt::format("{}: the reply names no Arn", what));
  }
  return identity;
}

}  // namespace slack_intel::aws

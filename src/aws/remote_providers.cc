#include "aws/remote_providers.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "util/digest.h"
#include "aws/profile_providers.h"
#include "aws/sts.h"

namespace slack_intel::aws {
namespace {

// Credentials from an STS *Response/*Result/Credentials element, or the STS error.
Result<Credentials> ParseStsReply(const http::Response& response, const std::string& action,
                                  const std::string& what) {
  if (response.status != 200) return StsFailure(response, what);
  pugi::xml_document doc;
  doc.load_buffer(response.body.data(), response.body.size());
  pugi::xml_node c = doc.child((action + "Response").c_str())
                         .child((action + "Result").c_str())
                         .child("Credentials");
  Credentials credentials;
  credentials.access_key_id = c.child_value("AccessKeyId");
  credentials.secret_access_key = c.child_value("SecretAccessKey");
  credentials.session_token = c.child_value("SessionToken");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Status::Corruption(fmt::format("{}: STS reply has no credentials", what));
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(credentials.expiration,
                               ParseIso8601Utc(c.child_value("Expiration")));
  return credentials;
}

std::string SessionName(const AssumeRoleSettings& s, const Clock& clock) {
  if (!s.role_session_name.empty()) return s.role_session_name;
  return fmt::format("slack-intel-{}", std::chrono::system_clock::to_time_t(clock.Now()));
}

class AssumeRoleProvider final : public CredentialProvider {
 public:
  AssumeRoleProvider(RemoteProviderContext context, AssumeRoleSettings settings,
                     std::shared_ptr<CredentialProvider> source)
      : context_(std::move(context)),
        settings_(std::move(settings)),
        source_(std::move(source)),
        http_(NewHttpClient(context_, std::chrono::seconds(10))) {}

  Result<Credentials> Get() override {
    const std::string what =
        fmt::format("assume role {} (profile {})", settings_.role_arn, settings_.profile);
    auto source = source_->Get();
    if (!source.ok()) return source.status().WithContext(what);
    std::vector<QueryParam> form = {
        {"Action", "AssumeRole"},
        {"Version", "2011-06-15"},
        {"RoleArn", settings_.role_arn},
        {"RoleSessionName", SessionName(settings_, *context_.clock)},
        {"DurationSeconds", std::to_string(settings_.duration_seconds)}};
    if (!settings_.external_id.empty()) form.push_back({"ExternalId", settings_.external_id});
    auto response = CallSts(*http_, context_, settings_.region, &*source, form);
    if (!response.ok()) return response.status().WithContext(what);
    SLACK_INTEL_ASSIGN_OR_RETURN(Credentials credentials,
                                 ParseStsReply(*response, "AssumeRole", what));
    credentials.provider =
        fmt::format("role {} (profile {})", settings_.role_arn, settings_.profile);
    return credentials;
  }
  std::string Describe() const override {
    return fmt::format("assume role of profile {}", settings_.profile);
  }

 private:
  RemoteProviderContext context_;
  AssumeRoleSettings settings_;
  std::shared_ptr<CredentialProvider> source_;
  std::unique_ptr<http::HttpClient> http_;
};

class WebIdentityProvider final : public CredentialProvider {
 public:
  WebIdentityProvider(RemoteProviderContext context, AssumeRoleSettings settings,
                      std::string token_file)
      : context_(std::move(context)),
        settings_(std::move(settings)),
        token_file_(std::move(token_file)),
        http_(NewHttpClient(context_, std::chrono::seconds(10))) {}

  Result<Credentials> Get() override {
    const std::string what = fmt::format("assume role {} with web identity", settings_.role_arn);
    std::ifstream in(token_file_);
    std::stringstream token;
    token << in.rdbuf();
    if (!in || token.str().empty()) {
      return Status::Unauthenticated(
          fmt::format("{}: cannot read the token file {}", what, token_file_));
    }
    std::string text = token.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    auto response =
        CallSts(*http_, context_, settings_.region, nullptr,
                {{"Action", "AssumeRoleWithWebIdentity"},
                 {"Version", "2011-06-15"},
                 {"RoleArn", settings_.role_arn},
                 {"RoleSessionName", SessionName(settings_, *context_.clock)},
                 {"DurationSeconds", std::to_string(settings_.duration_seconds)},
                 {"WebIdentityToken", text}});
    if (!response.ok()) return response.status().WithContext(what);
    SLACK_INTEL_ASSIGN_OR_RETURN(Credentials credentials,
                                 ParseStsReply(*response, "AssumeRoleWithWebIdentity", what));
    credentials.provider = fmt::format("web identity role {}", settings_.role_arn);
    return credentials;
  }
  std::string Describe() const override { return "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)"; }

 private:
  RemoteProviderContext context_;
  AssumeRoleSettings settings_;
  std::string token_file_;
  std::unique_ptr<http::HttpClient> http_;
};

Result<Credentials> CredentialsFromJson(const std::string& body, const char* token_field,
                                        const std::string& what) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  auto text = [&](const char* key) -> std::string {
    return json.is_object() && json.contains(key) && json[key].is_string()
               ? json[key].get<std::string>()
               : "";
  };
  Credentials c;
  c.access_key_id = text("AccessKeyId");
  c.secret_access_key = text("SecretAccessKey");
  c.session_token = text(token_field);
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Status::Corruption(fmt::format("{}: reply has no credentials", what));
  }
  if (std::string expiration = text("Expiration"); !expiration.empty()) {
    SLACK_INTEL_ASSIGN_OR_RETURN(c.expiration, ParseIso8601Utc(expiration));
  }
  return c;
}

class SsoProvider final : public CredentialProvider {
 public:
  SsoProvider(RemoteProviderContext context, SsoSettings settings)
      : context_(std::move(context)),
        settings_(std::move(settings)),
        http_(NewHttpClient(context_, std::chrono::seconds(10))) {}

  Result<Credentials> Get() override {
    const std::string login = fmt::format("aws sso login --profile {}", settings_.profile);
    const std::string expired =
        fmt::format("AWS credentials expired: the SSO session of profile {} has ended; run: {}",
                    settings_.profile, login);
    // ~/.aws/sso/cache/<sha1 of the session name, or of the start URL for legacy profiles>.json
    const std::string key =
        settings_.session_name.empty() ? settings_.start_url : settings_.session_name;
    std::string home = EnvValue(context_.env, "HOME");
    const std::filesystem::path cache = std::filesystem::path(home.empty() ? "." : home) /
                                        ".aws/sso/cache" / (HexEncode(Sha1(key)) + ".json");
    std::ifstream in(cache);
    if (!in) {
      return Status::Unauthenticated(fmt::format("no SSO login found for profile {} ({}); run: {}",
                                                 settings_.profile, cache.string(), login));
    }
    std::stringstream text;
    text << in.rdbuf();
    const auto json = nlohmann::json::parse(text.str(), nullptr, false);
    if (!json.is_object() || !json.contains("accessToken") || !json["accessToken"].is_string() ||
        !json.contains("expiresAt") || !json["expiresAt"].is_string()) {
      return Status::Unauthenticated(
          fmt::format("SSO cache {} is unreadable; run: {}", cache.string(), login));
    }
    std::string expires_at = json["expiresAt"];
    if (expires_at.ends_with("UTC")) expires_at = expires_at.substr(0, expires_at.size() - 3) + "Z";
    auto expires = ParseIso8601Utc(expires_at);
    if (!expires.ok() || *expires <= context_.clock->Now()) return Status::Unauthenticated(expired);

    std::string endpoint = EnvValue(context_.env, "AWS_ENDPOINT_URL_SSO");
    if (endpoint.empty()) endpoint = EnvValue(context_.env, "AWS_ENDPOINT_URL");
    if (endpoint.empty())
      endpoint = fmt::format("https://portal.sso.{}.amazonaws.com", settings_.sso_region);
    while (endpoint.ends_with("/")) endpoint.pop_back();
    http::Request request;
    request.url = fmt::format("{}/federation/credentials?{}", endpoint,
                              CanonicalQueryString({{"account_id", settings_.account_id},
                                                    {"role_name", settings_.role_name}}));
    request.headers = {{"x-amz-sso_bearer_token", json["accessToken"].get<std::string>()}};
    const std::string what =
        fmt::format("SSO role {} in account {}", settings_.role_name, settings_.account_id);
    auto response = SendWithRetries(*http_, request, *context_.clock);
    if (!response.ok()) return response.status().WithContext(what);
    if (response->status == 401) return Status::Unauthenticated(expired);
    if (response->status == 403) {
      return Status::PermissionDenied(
          fmt::format("{}: not assigned to this SSO user (HTTP 403)", what));
    }
    if (response->status != 200)
      return Status::Unavailable(fmt::format("{}: HTTP {}", what, response->status));
    const auto reply = nlohmann::json::parse(response->body, nullptr, false);
    if (!reply.is_object() || !reply.contains("roleCredentials") ||
        !reply["roleCredentials"].is_object()) {
      return Status::Corruption(fmt::format("{}: reply has no roleCredentials", what));
    }
    const auto& rc = reply["roleCredentials"];
    Credentials c;
    c.access_key_id = rc.value("accessKeyId", "");
    c.secret_access_key = rc.value("secretAccessKey", "");
    c.session_token = rc.value("sessionToken", "");
    if (c.access_key_id.empty() || c.secret_access_key.empty() || !rc.contains("expiration") ||
        !rc["expiration"].is_number()) {
      return Status::Corruption(fmt::format("{}: incomplete roleCredentials", what));
    }
    c.expiration = std::chrono::system_clock::time_point(
        std::chrono::milliseconds(rc["expiration"].get<int64_t>()));
    c.provider = fmt::format("SSO profile {}", settings_.profile);
    return c;
  }
  std::string Describe() const override { return fmt::format("SSO profile {}", settings_.profile); }

 private:
  RemoteProviderContext context_;
  SsoSettings settings_;
  std::unique_ptr<http::HttpClient> http_;
};

class ContainerProvider final : public CredentialProvider {
 public:
  explicit ContainerProvider(RemoteProviderContext context)
      : context_(std::move(context)), http_(NewHttpClient(context_, std::chrono::seconds(2))) {}

  Result<Credentials> Get() override {
    std::string url = EnvValue(context_.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (std::string relative = EnvValue(context_.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        !relative.empty()) {
      url = "http://169.254.170.2" + relative;  // "Amazon ECS task IAM role": the agent's address
    }
    if (url.empty())
      return Status::NotFound("no AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI");
    http::Request request;
    request.url = url;
    std::string token = EnvValue(context_.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (std::string file = EnvValue(context_.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        !file.empty()) {
      std::ifstream in(file);
      std::getline(in, token);
    }
    if (!token.empty()) request.headers.push_back({"authorization", token});
    auto response = SendWithRetries(*http_, request, *context_.clock);
    if (!response.ok()) return response.status().WithContext("container credentials");
    if (response->status != 200) {
      return Status::Unauthenticated(
          fmt::format("container credentials: HTTP {}", response->status));
    }
    SLACK_INTEL_ASSIGN_OR_RETURN(
        Credentials c, CredentialsFromJson(response->body, "Token", "container credentials"));
    c.provider = "container credentials";
    return c;
  }
  std::string Describe() const override { return "container credentials (ECS/EKS)"; }

 private:
  RemoteProviderContext context_;
  std::unique_ptr<http::HttpClient> http_;
};

class ImdsProvider final : public CredentialProvider {
 public:
  explicit ImdsProvider(RemoteProviderContext context)
      : context_(std::move(context)), http_(NewHttpClient(context_, std::chrono::seconds(1))) {}

  Result<Credentials> Get() override {
    if (EnvValue(context_.env, "AWS_EC2_METADATA_DISABLED") == "true") {
      return Status::NotFound("AWS_EC2_METADATA_DISABLED=true");
    }
    std::string base = EnvValue(context_.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (base.empty()) base = "http://169.254.169.254";
    while (base.ends_with("/")) base.pop_back();
    // "Use the Instance Metadata Service to access instance metadata" (IMDSv2): token first.
    http::Request token_request;
    token_request.method = "PUT";
    token_request.url = base + "/latest/api/token";
    token_request.headers = {{"x-aws-ec2-metadata-token-ttl-seconds", "21600"}};
    auto token = SendWithRetries(*http_, token_request, *context_.clock);
    if (!token.ok() || token->status != 200)
      return Status::NotFound("no instance metadata service answered");
    const http::Header auth{"x-aws-ec2-metadata-token", token->body};
    http::Request role_request;
    role_request.url = base + "/latest/meta-data/iam/security-credentials/";
    role_request.headers = {auth};
    auto role = SendWithRetries(*http_, role_request, *context_.clock);
    if (!role.ok()) return role.status().WithContext("instance metadata");
    if (role->status == 404) return Status::NotFound("the instance has no IAM role");
    std::string name = role->body.substr(0, role->body.find('\n'));
    if (role->status != 200 || name.empty()) {
      return Status::Unauthenticated(fmt::format("instance metadata: HTTP {}", role->status));
    }
    http::Request credentials_request;
    credentials_request.url = role_request.url + name;
    credentials_request.headers = {auth};
    auto reply = SendWithRetries(*http_, credentials_request, *context_.clock);
    if (!reply.ok()) return reply.status().WithContext("instance metadata");
    if (reply->status != 200) {
      return Status::Unauthenticated(
          fmt::format("instance metadata credentials: HTTP {}", reply->status));
    }
    SLACK_INTEL_ASSIGN_OR_RETURN(Credentials c,
                                 CredentialsFromJson(reply->body, "Token", "instance metadata"));
    c.provider = fmt::format("instance role {}", name);
    return c;
  }
  std::string Describe() const override { return "EC2 instance metadata (IMDSv2)"; }

 private:
  RemoteProviderContext context_;
  std::unique_ptr<http::HttpClient> http_;
};

}  // namespace

std::shared_ptr<CredentialProvider> MakeAssumeRoleProvider(
    RemoteProviderContext context, AssumeRoleSettings settings,
    std::shared_ptr<CredentialProvider> source) {
  return std::make_shared<AssumeRoleProvider>(std::move(context), std::move(settings),
                                              std::move(source));
}

std::shared_ptr<CredentialProvider> MakeWebIdentityProvider(RemoteProviderContext context,
                                                            AssumeRoleSettings settings,
                                                            std::string token_file) {
  return std::make_shared<WebIdentityProvider>(std::move(context), std::move(settings),
                                               std::move(token_file));
}

std::shared_ptr<CredentialProvider> MakeSsoProvider(RemoteProviderContext context,
                                                    SsoSettings settings) {
  return std::make_shared<SsoProvider>(std::move(context), std::move(settings));
}

std::shared_ptr<CredentialProvider> MakeContainerProvider(RemoteProviderContext context) {
  return std::make_shared<ContainerProvider>(std::move(context));
}

std::shared_ptr<CredentialProvider> MakeImdsProvider(RemoteProviderContext context) {
  return std::make_shared<ImdsProvider>(std::move(context));
}

}  // namespace slack_intel::aws

#include "aws/profile_providers.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>

namespace slack_intel::aws {
namespace {

std::string Setting(const std::optional<IniSection>& section, const char* key) {
  if (!section) return "";
  auto it = section->find(key);
  return it == section->end() ? "" : it->second;
}

class ProfileKeysProvider final : public CredentialProvider {
 public:
  ProfileKeysProvider(std::shared_ptr<const SharedConfig> config, std::string profile,
                      bool credentials_file)
      : config_(std::move(config)),
        profile_(std::move(profile)),
        credentials_file_(credentials_file) {}

  Result<Credentials> Get() override {
    const auto section = credentials_file_ ? config_->CredentialsProfile(profile_)
                                           : config_->ConfigProfile(profile_);
    Credentials c;
    c.access_key_id = Setting(section, "aws_access_key_id");
    c.secret_access_key = Setting(section, "aws_secret_access_key");
    c.session_token = Setting(section, "aws_session_token");
    c.provider = fmt::format("profile {} in {}", profile_, path().string());
    if (c.access_key_id.empty() && c.secret_access_key.empty()) {
      return Status::NotFound(section ? "no keys in the profile" : "no such profile");
    }
    if (c.access_key_id.empty() || c.secret_access_key.empty()) {
      return Status::Unauthenticated(fmt::format(
          "profile {} in {} has only one of aws_access_key_id and aws_secret_access_key", profile_,
          path().string()));
    }
    return c;
  }

  std::string Describe() const override {
    return fmt::format("profile {} in {}", profile_, path().string());
  }

 private:
  const std::filesystem::path& path() const {
    return credentials_file_ ? config_->credentials_path() : config_->config_path();
  }
  std::shared_ptr<const SharedConfig> config_;
  std::string profile_;
  bool credentials_file_;
};

class ProcessProvider final : public CredentialProvider {
 public:
  ProcessProvider(std::shared_ptr<const SharedConfig> config, std::string profile)
      : config_(std::move(config)), profile_(std::move(profile)) {}

  Result<Credentials> Get() override {
    const std::string command = Setting(config_->ConfigProfile(profile_), "credential_process");
    if (command.empty()) return Status::NotFound("no credential_process");
    std::FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
      return Status::Unauthenticated(
          fmt::format("credential_process of profile {} cannot start", profile_));
    std::string output;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    const int status = pclose(pipe);
    if (status != 0) {
      return Status::Unauthenticated(
          fmt::format("credential_process of profile {} failed (exit status {})", profile_,
                      WEXITSTATUS(status)));
    }
    const auto json = nlohmann::json::parse(output, nullptr, false);
    if (json.is_discarded() || !json.is_object() || json.value("Version", 0) != 1 ||
        !json.contains("AccessKeyId") || !json.contains("SecretAccessKey") ||
        !json["AccessKeyId"].is_string() || !json["SecretAccessKey"].is_string()) {
      return Status::Unauthenticated(
          fmt::format("credential_process of profile {} did not print Version 1 JSON with "
                      "AccessKeyId and SecretAccessKey",
                      profile_));
    }
    Credentials c;
    c.access_key_id = json["AccessKeyId"];
    c.secret_access_key = json["SecretAccessKey"];
    if (json.contains("SessionToken") && json["SessionToken"].is_string())
      c.session_token = json["SessionToken"];
    if (json.contains("Expiration") && json["Expiration"].is_string()) {
      SLACK_INTEL_ASSIGN_OR_RETURN(c.expiration, ParseIso8601Utc(json["Expiration"]));
    }
    c.provider = fmt::format("credential_process of profile {}", profile_);
    return c;
  }

  std::string Describe() const override {
    return fmt::format("credential_process of profile {}", profile_);
  }

 private:
  std::shared_ptr<const SharedConfig> config_;
  std::string profile_;
};

class CachingProvider final : public CredentialProvider {
 public:
  CachingProvider(std::shared_ptr<CredentialProvider> inner, const Clock& clock,
                  std::chrono::seconds before)
      : inner_(std::move(inner)), clock_(clock), refresh_before_(before) {}

  Result<Credentials> Get() override {
    std::lock_guard lock(mutex_);
    if (cached_ &&
        (!cached_->expiration || clock_.Now() + refresh_before_ < *cached_->expiration)) {
      return *cached_;
    }
    Result<Credentials> fresh = inner_->Get();
    if (!fresh.ok()) return fresh.status();
    cached_ = *fresh;
    return fresh;
  }

  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::shared_ptr<CredentialProvider> inner_;
  const Clock& clock_;
  const std::chrono::seconds refresh_before_;
  std::mutex mutex_;  // guards cached_, and makes concurrent callers share one refresh
  std::optional<Credentials> cached_;
};

}  // namespace

std::shared_ptr<CredentialProvider> MakeProfileKeysProvider(
    std::shared_ptr<const SharedConfig> config, std::string profile, bool from_credentials_file) {
  return std::make_shared<ProfileKeysProvider>(std::move(config), std::move(profile),
                                               from_credentials_file);
}

std::shared_ptr<CredentialProvider> MakeProcessProvider(std::shared_ptr<const SharedConfig> config,
                                                        std::string profile) {
  return std::make_shared<ProcessProvider>(std::move(config), std::move(profile));
}

std::shared_ptr<CredentialProvider> MakeCachingProvider(std::shared_ptr<CredentialProvider> inner,
                                                        const Clock& clock,
                                                        std::chrono::seconds refresh_before) {
  return std::make_shared<CachingProvider>(std::move(inner), clock, refresh_before);
}

}  // namespace slack_intel::aws

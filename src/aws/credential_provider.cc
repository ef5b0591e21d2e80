#include "aws/credential_provider.h"

#include <fmt/format.h>

namespace slack_intel::aws {
namespace {

class StaticProvider final : public CredentialProvider {
 public:
  explicit StaticProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> Get() override { return credentials_; }
  std::string Describe() const override { return "static credentials"; }

 private:
  const Credentials credentials_;
};

class EnvironmentProvider final : public CredentialProvider {
 public:
  explicit EnvironmentProvider(Environment env) : env_(std::move(env)) {}
  Result<Credentials> Get() override {
    Credentials c;
    c.access_key_id = EnvValue(env_, "AWS_ACCESS_KEY_ID");
    c.secret_access_key = EnvValue(env_, "AWS_SECRET_ACCESS_KEY");
    c.session_token = EnvValue(env_, "AWS_SESSION_TOKEN");
    c.provider = "environment";
    if (c.access_key_id.empty() && c.secret_access_key.empty()) {
      return Status::NotFound("no AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
    }
    if (c.access_key_id.empty() || c.secret_access_key.empty()) {
      return Status::Unauthenticated(
          "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (one is missing)");
    }
    return c;
  }
  std::string Describe() const override { return "environment variables"; }

 private:
  const Environment env_;
};

class ChainProvider final : public CredentialProvider {
 public:
  explicit ChainProvider(std::vector<std::shared_ptr<CredentialProvider>> providers)
      : providers_(std::move(providers)) {}

  Result<Credentials> Get() override {
    std::string looked;
    for (const auto& provider : providers_) {
      Result<Credentials> credentials = provider->Get();
      if (credentials.ok()) return credentials;
      if (credentials.status().code() != StatusCode::kNotFound) return credentials.status();
      if (!looked.empty()) looked += "; ";
      looked += fmt::format("{} ({})", provider->Describe(), credentials.status().message());
    }
    // One line, as every error we print is.
    return Status::Unauthenticated(fmt::format("no AWS credentials found; looked in: {}", looked));
  }
  std::string Describe() const override { return "credential chain"; }

 private:
  std::vector<std::shared_ptr<CredentialProvider>> providers_;
};

}  // namespace

std::shared_ptr<CredentialProvider> MakeStaticProvider(Credentials credentials) {
  return std::make_shared<StaticProvider>(std::move(credentials));
}

std::shared_ptr<CredentialProvider> MakeEnvironmentProvider(Environment env) {
  return std::make_shared<EnvironmentProvider>(std::move(env));
}

std::shared_ptr<CredentialProvider> MakeChainProvider(
    std::vector<std::shared_ptr<CredentialProvider>> providers) {
  return std::make_shared<ChainProvider>(std::move(providers));
}

}  // namespace slack_intel::aws

#include "aws/default_chain.h"

#include <fmt/format.h>

#include "aws/profile_providers.h"

namespace slack_intel::aws {
namespace {

// Role chaining deeper than this is a loop in the config (a -> b -> a).
constexpr int kMaxRoleChain = 8;

std::string Setting(const std::optional<IniSection>& section, const std::string& key) {
  if (!section) return "";
  auto it = section->find(key);
  return it == section->end() ? "" : it->second;
}

class ChainBuilder {
 public:
  ChainBuilder(const ChainOptions& options, std::shared_ptr<const SharedConfig> config)
      : options_(options), config_(std::move(config)) {}

  std::shared_ptr<CredentialProvider> Cached(std::shared_ptr<CredentialProvider> p) const {
    return MakeCachingProvider(std::move(p), *options_.context.clock);
  }

  AssumeRoleSettings RoleSettings(const std::string& profile,
                                  const std::optional<IniSection>& section) const {
    AssumeRoleSettings s;
    s.role_arn = Setting(section, "role_arn");
    s.role_session_name = Setting(section, "role_session_name");
    s.external_id = Setting(section, "external_id");
    if (std::string d = Setting(section, "duration_seconds"); !d.empty())
      s.duration_seconds = std::atoi(d.c_str());
    if (s.duration_seconds <= 0) s.duration_seconds = 3600;
    s.region = ResolveRegion("", options_.context.env, *config_, profile);
    s.profile = profile;
    return s;
  }

  // The providers a profile alone yields (no environment, no container/IMDS fallbacks):
  // used for source_profile, where the aws cli looks only at that profile.
  Result<std::shared_ptr<CredentialProvider>> ProfileProvider(const std::string& profile,
                                                              int depth) const {
    if (depth > kMaxRoleChain) {
      return Status::InvalidArgument(
          fmt::format("profile {}: source_profile chain is too deep (a loop?)", profile));
    }
    const auto section = config_->ConfigProfile(profile);
    if (!Setting(section, "role_arn").empty()) return AssumeRole(profile, section, depth);
    std::vector<std::shared_ptr<CredentialProvider>> providers;
    if (auto sso = Sso(profile, section)) providers.push_back(*sso);
    providers.push_back(MakeProfileKeysProvider(config_, profile, true));
    if (!Setting(section, "credential_process").empty())
      providers.push_back(Cached(MakeProcessProvider(config_, profile)));
    providers.push_back(MakeProfileKeysProvider(config_, profile, false));
    return MakeChainProvider(std::move(providers));
  }

  Result<std::shared_ptr<CredentialProvider>> AssumeRole(const std::string& profile,
                                                         const std::optional<IniSection>& section,
                                                         int depth) const {
    if (!Setting(section, "mfa_serial").empty()) {
      return Status::InvalidArgument(
          fmt::format("profile {} needs an MFA code (mfa_serial), which slack-intel cannot ask "
                      "for; use a profile "
                      "without MFA, or SSO",
                      profile));
    }
    std::shared_ptr<CredentialProvider> source;
    const std::string source_profile = Setting(section, "source_profile");
    const std::string credential_source = Setting(section, "credential_source");
    if (!source_profile.empty()) {
      // A profile naming itself as source uses its own static keys (aws cli behaviour).
      if (source_profile == profile) {
        source = MakeProfileKeysProvider(config_, profile, true);
      } else {
        SLACK_INTEL_ASSIGN_OR_RETURN(source, ProfileProvider(source_profile, depth + 1));
      }
    } else if (credential_source == "Environment") {
      source = MakeEnvironmentProvider(options_.context.env);
    } else if (credential_source == "Ec2InstanceMetadata") {
      source = Cached(MakeImdsProvider(options_.context));
    } else if (credential_source == "EcsContainer") {
      source = Cached(MakeContainerProvider(options_.context));
    } else {
      return Status::InvalidArgument(fmt::format(
          "profile {} has role_arn but neither source_profile nor a known credential_source "
          "(Environment, Ec2InstanceMetadata, EcsContainer)",
          profile));
    }
    if (!Setting(section, "web_identity_token_file").empty()) {
      return Cached(MakeWebIdentityProvider(options_.context, RoleSettings(profile, section),
                                            Setting(section, "web_identity_token_file")));
    }
    return Cached(MakeAssumeRoleProvider(options_.context, RoleSettings(profile, section),
                                         std::move(source)));
  }

  std::optional<std::shared_ptr<CredentialProvider>> Sso(
      const std::string& profile, const std::optional<IniSection>& section) const {
    SsoSettings s;
    s.profile = profile;
    s.session_name = Setting(section, "sso_session");
    s.account_id = Setting(section, "sso_account_id");
    s.role_name = Setting(section, "sso_role_name");
    if (!s.session_name.empty()) {
      const auto session = config_->SsoSession(s.session_name);
      s.start_url = Setting(session, "sso_start_url");
      s.sso_region = Setting(session, "sso_region");
    } else {
      s.start_url = Setting(section, "sso_start_url");
      s.sso_region = Setting(section, "sso_region");
    }
    if (s.start_url.empty() && s.session_name.empty()) return std::nullopt;
    return Cached(MakeSsoProvider(options_.context, s));
  }

  Result<std::shared_ptr<CredentialProvider>> Build() const {
    const Environment& env = options_.context.env;
    const std::string profile = ResolveProfileName(options_.profile_flag, env);
    const auto section = config_->ConfigProfile(profile);
    const bool explicit_profile =
        !options_.profile_flag.empty() || !EnvValue(env, "AWS_PROFILE").empty();
    if (explicit_profile && !section && !config_->CredentialsProfile(profile)) {
      return Status::InvalidArgument(fmt::format("AWS profile '{}' not found in {} or {}", profile,
                                                 config_->config_path().string(),
                                                 config_->credentials_path().string()));
    }
    std::vector<std::shared_ptr<CredentialProvider>> chain;
    // An explicit --profile wins over credentials in the environment, as in the aws cli.
    if (options_.profile_flag.empty())
      chain.push_back(MakeEnvironmentProvider(options_.context.env));
    if (!Setting(section, "role_arn").empty() &&
        Setting(section, "web_identity_token_file").empty()) {
      SLACK_INTEL_ASSIGN_OR_RETURN(auto role, AssumeRole(profile, section, 0));
      chain.push_back(role);
    }
    std::string token_file = EnvValue(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
    std::string role_arn = EnvValue(env, "AWS_ROLE_ARN");
    if (token_file.empty() && !Setting(section, "web_identity_token_file").empty()) {
      token_file = Setting(section, "web_identity_token_file");
      role_arn = Setting(section, "role_arn");
    }
    if (!token_file.empty() && !role_arn.empty()) {
      AssumeRoleSettings settings = RoleSettings(profile, section);
      settings.role_arn = role_arn;
      if (std::string name = EnvValue(env, "AWS_ROLE_SESSION_NAME"); !name.empty())
        settings.role_session_name = name;
      chain.push_back(Cached(MakeWebIdentityProvider(options_.context, settings, token_file)));
    }
    if (auto sso = Sso(profile, section)) chain.push_back(*sso);
    chain.push_back(MakeProfileKeysProvider(config_, profile, true));
    if (!Setting(section, "credential_process").empty())
      chain.push_back(Cached(MakeProcessProvider(config_, profile)));
    chain.push_back(MakeProfileKeysProvider(config_, profile, false));
    chain.push_back(Cached(MakeContainerProvider(options_.context)));
    chain.push_back(Cached(MakeImdsProvider(options_.context)));
    return MakeChainProvider(std::move(chain));
  }

 private:
  const ChainOptions& options_;
  std::shared_ptr<const SharedConfig> config_;
};

}  // namespace

Result<std::shared_ptr<CredentialProvider>> MakeDefaultCredentialChain(
    const ChainOptions& options) {
  SLACK_INTEL_ASSIGN_OR_RETURN(SharedConfig config, SharedConfig::Load(options.context.env));
  ChainBuilder builder(options, std::make_shared<const SharedConfig>(std::move(config)));
  return builder.Build();
}

}  // namespace slack_intel::aws

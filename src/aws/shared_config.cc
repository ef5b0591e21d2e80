#include "aws/shared_config.h"

#include <fmt/format.h>

#include <fstream>
#include <initializer_list>
#include <sstream>
#include <system_error>

extern char** environ;

namespace slack_intel::aws {
namespace {

std::filesystem::path HomePath(const Environment& env, const char* relative) {
  const std::string home = EnvValue(env, "HOME");
  return std::filesystem::path(home.empty() ? "." : home) / relative;
}

Result<IniFile> LoadIni(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return IniFile{};
  std::ifstream in(path);
  if (!in) return Status::IOError(fmt::format("cannot read {}", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  return ParseIniFile(text.str(), path.string());
}

std::optional<IniSection> Find(const IniFile& file, const std::string& name) {
  auto it = file.find(name);
  if (it == file.end()) return std::nullopt;
  return it->second;
}

}  // namespace

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view kv(*entry);
    const size_t eq = kv.find('=');
    if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

std::string EnvValue(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

Result<SharedConfig> SharedConfig::Load(const Environment& env) {
  SharedConfig config;
  const std::string config_file = EnvValue(env, "AWS_CONFIG_FILE");
  const std::string credentials_file = EnvValue(env, "AWS_SHARED_CREDENTIALS_FILE");
  config.config_path_ =
      config_file.empty() ? HomePath(env, ".aws/config") : std::filesystem::path(config_file);
  config.credentials_path_ = credentials_file.empty() ? HomePath(env, ".aws/credentials")
                                                      : std::filesystem::path(credentials_file);
  SLACK_INTEL_ASSIGN_OR_RETURN(config.config_, LoadIni(config.config_path_));
  SLACK_INTEL_ASSIGN_OR_RETURN(config.credentials_, LoadIni(config.credentials_path_));
  return config;
}

std::optional<IniSection> SharedConfig::ConfigProfile(const std::string& profile) const {
  if (profile == "default") {
    if (auto section = Find(config_, "default")) return section;
  }
  return Find(config_, "profile " + profile);
}

std::optional<IniSection> SharedConfig::CredentialsProfile(const std::string& profile) const {
  return Find(credentials_, profile);
}

std::optional<IniSection> SharedConfig::SsoSession(const std::string& name) const {
  return Find(config_, "sso-session " + name);
}

std::optional<IniSection> SharedConfig::Services(const std::string& name) const {
  return Find(config_, "services " + name);
}

namespace {

// Returns `value` after noting `from` in `*source` (when asked).
std::string From(std::string value, std::string from, std::string* source) {
  if (source != nullptr) *source = std::move(from);
  return value;
}

// The first of the variables `names` that is set, with its source; "" when none is.
std::string FirstEnv(std::initializer_list<const char*> names, const Environment& env,
                     std::string* source) {
  for (const char* name : names) {
    if (std::string value = EnvValue(env, name); !value.empty())
      return From(value, fmt::format("environment {}", name), source);
  }
  return "";
}

}  // namespace

std::string ResolveProfileName(const std::string& flag, const Environment& env,
                               std::string* source) {
  if (!flag.empty()) return From(flag, "flag", source);
  if (std::string value = FirstEnv({"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}, env, source);
      !value.empty())
    return value;
  return From("default", "default", source);
}

std::string ResolveRegion(const std::string& flag, const Environment& env,
                          const SharedConfig& config, const std::string& profile,
                          std::string* source) {
  if (!flag.empty()) return From(flag, "flag", source);
  if (std::string value = FirstEnv({"AWS_REGION", "AWS_DEFAULT_REGION"}, env, source);
      !value.empty())
    return value;
  if (auto section = config.ConfigProfile(profile)) {
    if (auto it = section->find("region"); it != section->end() && !it->second.empty())
      return From(it->second,
                  fmt::format("profile {} in {}", profile, config.config_path().string()), source);
  }
  return From("us-east-1", "default", source);
}

std::string ResolveS3Endpoint(const std::string& flag, const Environment& env,
                              const SharedConfig& config, const std::string& profile,
                              std::string* source) {
  if (!flag.empty()) return From(flag, "flag", source);
  if (std::string value = FirstEnv({"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}, env, source);
      !value.empty())
    return value;
  auto setting = [](const std::optional<IniSection>& section, const char* key) -> std::string {
    if (!section) return "";
    auto it = section->find(key);
    return it == section->end() ? "" : it->second;
  };
  const auto profile_section = config.ConfigProfile(profile);
  // "services = NAME" points at a [services NAME] section with "s3 = / endpoint_url = ...".
  if (std::string services = setting(profile_section, "services"); !services.empty()) {
    if (std::string url = setting(config.Services(services), "s3.endpoint_url"); !url.empty())
      return From(url, fmt::format("services {} in {}", services, config.config_path().string()),
                  source);
  }
  for (const char* key : {"s3.endpoint_url", "endpoint_url"}) {
    if (std::string url = setting(profile_section, key); !url.empty())
      return From(url, fmt::format("profile {} in {}", profile, config.config_path().string()),
                  source);
  }
  return From("", "default", source);
}

}  // namespace slack_intel::aws

#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "aws/environment.h"
#include "util/ini_file.h"
#include "util/result.h"

namespace slack_intel::aws {

// ~/.aws/config and ~/.aws/credentials as the aws cli reads them ("Configuration and
// credential file settings" in the AWS CLI user guide): paths from AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE; [default] / [profile NAME] / [sso-session NAME] in config,
// [NAME] in credentials. A missing file is empty, not an error.
class SharedConfig {
 public:
  // Errors: kInvalidArgument for a malformed file (with file and line), kIOError.
  static Result<SharedConfig> Load(const Environment& env);

  // The profile's settings from the config file, or nullopt when it has no section there.
  std::optional<IniSection> ConfigProfile(const std::string& profile) const;
  // The profile's section of the credentials file, if any.
  std::optional<IniSection> CredentialsProfile(const std::string& profile) const;
  std::optional<IniSection> SsoSession(const std::string& name) const;
  std::optional<IniSection> Services(const std::string& name) const;

  const std::filesystem::path& config_path() const { return config_path_; }
  const std::filesystem::path& credentials_path() const { return credentials_path_; }

 private:
  std::filesystem::path config_path_;
  std::filesystem::path credentials_path_;
  IniFile config_;
  IniFile credentials_;
};

// Each resolver below sets `*source`, when given, to where the value came from: "flag",
// "environment AWS_REGION", "profile prod in /home/u/.aws/config", or "default".

// The profile name in use: `flag` (--profile), else AWS_PROFILE, else AWS_DEFAULT_PROFILE,
// else "default".
std::string ResolveProfileName(const std::string& flag, const Environment& env,
                               std::string* source = nullptr);

// --region > AWS_REGION > AWS_DEFAULT_REGION > the profile's region > "us-east-1".
std::string ResolveRegion(const std::string& flag, const Environment& env,
                          const SharedConfig& config, const std::string& profile,
                          std::string* source = nullptr);

// --endpoint-url > AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL > the profile's endpoint_url
// (or its "s3 = endpoint_url" sub-setting) > "" (AWS by region).
std::string ResolveS3Endpoint(const std::string& flag, const Environment& env,
                              const SharedConfig& config, const std::string& profile,
                              std::string* source = nullptr);

}  // namespace slack_intel::aws

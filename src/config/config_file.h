#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace slack_intel::config {

// `.slack-intel.yaml`: settings a team would otherwise repeat on every command line
// (docs/config.md). Flags win over the environment, which wins over this file.
struct ConfigFile {
  std::filesystem::path path;  // empty when no file was found
  std::string found_by;        // how: "--config", "SLACK_INTEL_CONFIG", "working directory", ...

  // slack:
  std::optional<std::string> slack_token;  // a secret: only in a file readable by its owner
  std::optional<std::string> slack_api_url;
  // jira:
  std::optional<std::string> jira_url, jira_email, jira_api_token;
  // cache:
  std::optional<std::string> cache_path, timezone, codec, compression_level;
  // s3:
  std::optional<std::string> bucket, prefix, region, profile, endpoint_url;
  // sync:
  std::optional<std::string> sync_auto;  // "true" or "false": cache and import then sync
  std::optional<std::string> sync_dest;  // s3://, az://, gs:// or file:/// (over s3.bucket)

  std::vector<std::string> warnings;  // e.g. a token in a file others can read
};

// The YAML text of a config file; `path` names it in errors. Unknown sections or keys are
// errors (a typo must not silently sync somewhere else). Errors: kInvalidArgument naming the
// file, line and key.
Result<ConfigFile> ParseConfigFile(std::string_view yaml, const std::filesystem::path& path);

// Finds and reads the config file: `explicit_path` (--config) when given, which must exist;
// else $SLACK_INTEL_CONFIG; else ./.slack-intel.yaml; else
// $XDG_CONFIG_HOME/slack-intel/config.yaml (~/.config/...). None found: an empty ConfigFile.
Result<ConfigFile> LoadConfigFile(const std::optional<std::filesystem::path>& explicit_path);

// The value of --config in argv ("--config F" or "--config=F"), read before the full parse
// because the file supplies the flags' defaults.
std::optional<std::filesystem::path> ConfigPathFromArgs(int argc, const char* const* argv);

}  // namespace slack_intel::config

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/environment.h"
#include "config/config_file.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel config show`: the settings a command would use, and where each came from.
// Its flags are the other commands' (what would `sync --prefix dev/` use?).
struct ConfigShowOptions {
  config::ConfigFile config;  // the file main() read (CommandLine::ApplyConfig)
  std::optional<std::string> cache_path, timezone, bucket, prefix, region, profile, endpoint_url;
  bool json = false;  // --json: one JSON document on stdout
};

// One effective setting: "slack.token", its value (a secret masked), where it came from
// ("flag", "environment SLACK_TOKEN", "file /path", "default", "not set").
struct EffectiveSetting {
  std::string name, value, source;
};

// The settings `options` and `env` give, in the order `config show` prints them. Secrets are
// masked here, so no caller can print them: a Slack token shows its kind ("xoxb-…") and its
// length, any other secret its length only.
std::vector<EffectiveSetting> EffectiveSettings(const ConfigShowOptions& options,
                                                const aws::Environment& env);

// Registers `config show` on `app`; returns the `show` subcommand.
// REQUIRES: `options` outlives parsing.
CLI::App* SetUpConfigCommand(CLI::App& app, ConfigShowOptions& options);

// Prints the config file (where it was found) and the effective settings to stdout.
// Errors: kIOError (stdout).
Status RunConfigShow(const ConfigShowOptions& options);

}  // namespace slack_intel::cli

#include "cli/config_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "aws/shared_config.h"
#include "util/printable.h"

namespace slack_intel::cli {
namespace {

std::string Masked(const std::string& secret) {
  const bool slack = secret.size() > 5 &&
                     (secret.starts_with("xox") || secret.starts_with("xapp")) && secret[4] == '-';
  return fmt::format("{}… ({} characters, hidden)", slack ? secret.substr(0, 5) : "",
                     secret.size());
}

std::string FileSource(const config::ConfigFile& config) {
  return fmt::format("file {}", config.path.string());
}

// flag > environment `names` > the config file > `fallback` (source "default", or "not set"
// when the fallback is empty).
EffectiveSetting Resolve(std::string name, const std::optional<std::string>& flag,
                         std::initializer_list<const char*> names, const aws::Environment& env,
                         const std::optional<std::string>& file, const config::ConfigFile& config,
                         std::string fallback) {
  if (flag) return {std::move(name), *flag, "flag"};
  for (const char* variable : names) {
    if (std::string value = aws::EnvValue(env, variable); !value.empty())
      return {std::move(name), value, fmt::format("environment {}", variable)};
  }
  if (file) return {std::move(name), *file, FileSource(config)};
  const char* source = fallback.empty() ? "not set" : "default";
  return {std::move(name), std::move(fallback), source};
}

// The AWS settings sync would use: slack-intel's flag, else the config file's s3.* (which stand
// for sync's flags), else the aws cli's own order.
void AddAwsSettings(const ConfigShowOptions& options, const aws::Environment& env,
                    std::vector<EffectiveSetting>& out) {
  const config::ConfigFile& file = options.config;
  const auto given = [&](EffectiveSetting& setting, const std::optional<std::string>& flag,
                         const std::optional<std::string>& in_file) {
    if (flag) setting.value = *flag, setting.source = "flag";
    if (!flag && in_file) setting.value = *in_file, setting.source = FileSource(file);
    return !setting.source.empty();
  };
  EffectiveSetting profile{"aws.profile", "", ""};
  if (!given(profile, options.profile, file.profile)) {
    profile.value = aws::ResolveProfileName("", env, &profile.source);
  }
  EffectiveSetting region{"aws.region", "", ""};
  EffectiveSetting endpoint{"aws.endpoint_url", "", ""};
  const bool region_given = given(region, options.region, file.region);
  const bool endpoint_given = given(endpoint, options.endpoint_url, file.endpoint_url);
  if (!region_given || !endpoint_given) {
    auto shared = aws::SharedConfig::Load(env);
    const std::string unreadable =
        shared.ok() ? "" : fmt::format("cannot read the AWS config: {}", shared.status().message());
    if (!region_given) {
      region.source = unreadable;
      if (shared.ok())
        region.value = aws::ResolveRegion("", env, *shared, profile.value, &region.source);
    }
    if (!endpoint_given) {
      endpoint.source = unreadable;
      if (shared.ok())
        endpoint.value = aws::ResolveS3Endpoint("", env, *shared, profile.value, &endpoint.source);
    }
  }
  if (endpoint.value.empty()) endpoint.value = "(AWS, by region)";
  out.push_back(profile);
  out.push_back(region);
  out.push_back(endpoint);
}

void Print(const std::vector<EffectiveSetting>& settings, const config::ConfigFile& config) {
  if (config.path.empty()) {
    fmt::print(
        "config file: none (looked for --config, $SLACK_INTEL_CONFIG, ./.slack-intel.yaml, "
        "~/.config/slack-intel/config.yaml)\n\n");
  } else {
    fmt::print("config file: {} (found by {})\n\n", Printable(config.path.string()),
               config.found_by);
  }
  size_t name_width = 0, value_width = 0;
  for (const EffectiveSetting& s : settings) {
    name_width = std::max(name_width, s.name.size());
    value_width = std::max(value_width, std::min<size_t>(Printable(s.value).size(), 48));
  }
  for (const EffectiveSetting& s : settings) {
    fmt::print("{:<{}}  {:<{}}  {}\n", s.name, name_width, Printable(s.value), value_width,
               Printable(s.source));
  }
  for (const std::string& warning : config.warnings) fmt::print("\nwarning: {}\n", warning);
}

}  // namespace

std::vector<EffectiveSetting> EffectiveSettings(const ConfigShowOptions& options,
                                                const aws::Environment& env) {
  const config::ConfigFile& file = options.config;
  const std::optional<std::string> none;
  std::vector<EffectiveSetting> out;
  EffectiveSetting token = Resolve("slack.token", none, {"SLACK_TOKEN", "SLACK_BOT_TOKEN"}, env,
                                   file.slack_token, file, "");
  if (!token.value.empty()) token.value = Masked(token.value);
  out.push_back(token);
  out.push_back(Resolve("slack.api_url", none, {"SLACK_API_URL"}, env, file.slack_api_url, file,
                        "https://slack.com/api"));
  out.push_back(Resolve("jira.url", none, {"JIRA_URL"}, env, file.jira_url, file, ""));
  out.push_back(Resolve("jira.email", none, {"JIRA_EMAIL"}, env, file.jira_email, file, ""));
  EffectiveSetting jira_token =
      Resolve("jira.api_token", none, {"JIRA_API_TOKEN"}, env, file.jira_api_token, file, "");
  if (!jira_token.value.empty()) jira_token.value = Masked(jira_token.value);
  out.push_back(jira_token);
  out.push_back(Resolve("cache.path", options.cache_path, {}, env, file.cache_path, file, "cache"));
  out.push_back(Resolve("cache.timezone", options.timezone, {}, env, file.timezone, file, "UTC"));
  out.push_back(Resolve("cache.codec", none, {}, env, file.codec, file, "zstd"));
  out.push_back(Resolve("cache.compression_level", none, {}, env, file.compression_level, file,
                        "0 (the codec's default)"));
  out.push_back(Resolve("s3.bucket", options.bucket, {}, env, file.bucket, file, ""));
  EffectiveSetting prefix = Resolve("s3.prefix", options.prefix, {}, env, file.prefix, file, "");
  if (prefix.value.empty()) prefix.value = "(the bucket's root)";
  out.push_back(prefix);
  out.push_back(Resolve("sync.auto", none, {}, env, file.sync_auto, file, "false"));
  out.push_back(
      Resolve("sync.dest", none, {}, env, file.sync_dest, file, "(s3://s3.bucket/s3.prefix)"));
  AddAwsSettings(options, env, out);
  return out;
}

CLI::App* SetUpConfigCommand(CLI::App& app, ConfigShowOptions& options) {
  CLI::App* config = app.add_subcommand("config", "Inspect slack-intel's settings");
  config->require_subcommand(1);
  CLI::App* show = config->add_subcommand(
      "show", "Print the effective settings and where each came from (secrets masked)");
  show->add_option("--cache-path", options.cache_path, "As the other commands take it");
  show->add_option("--timezone", options.timezone, "As cache and import take it");
  show->add_option("--bucket", options.bucket, "As sync takes it");
  show->add_option("--prefix", options.prefix, "As sync takes it");
  show->add_option("--region", options.region, "As sync takes it");
  show->add_option("--profile", options.profile, "As sync takes it");
  show->add_option("--endpoint-url", options.endpoint_url, "As sync takes it");
  show->add_flag("--json", options.json, "One JSON document on stdout");
  return show;
}

Status RunConfigShow(const ConfigShowOptions& options) {
  const std::vector<EffectiveSetting> settings =
      EffectiveSettings(options, aws::ProcessEnvironment());
  if (options.json) {
    nlohmann::ordered_json doc;
    doc["config_file"] = options.config.path.empty()
                             ? nlohmann::ordered_json(nullptr)
                             : nlohmann::ordered_json(options.config.path.string());
    doc["found_by"] = options.config.found_by;
    doc["warnings"] = options.config.warnings;
    for (const EffectiveSetting& s : settings) {
      doc["settings"][s.name] = {{"value", s.value}, {"source", s.source}};
    }
    fmt::print("{}\n", doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    Print(settings, options.config);
  }
  if (std::fflush(stdout) != 0) return Status::IOError("cannot write to stdout");
  return Status::OK();
}

}  // namespace slack_intel::cli

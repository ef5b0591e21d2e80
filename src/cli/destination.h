#pragma once

#include <string>

namespace CLI {
class App;
}
namespace slack_intel::config {
struct ConfigFile;
}

namespace slack_intel::cli {

// The bucket a command works on, named by sync's flags, the config file's s3: settings as their
// defaults: what auto-sync, lifecycle and doctor share.
struct Destination {
  std::string bucket;        // --bucket
  std::string prefix;        // --prefix
  std::string region;        // --region; "" = the AWS chain decides
  std::string profile;       // --profile
  std::string endpoint_url;  // --endpoint-url; "" = AWS by region
};

// Adds --bucket, --prefix, --region, --profile and --endpoint-url; `context` starts each
// description ("With --sync: "). REQUIRES: `destination` outlives parsing.
void AddDestinationFlags(CLI::App& command, Destination& destination, const std::string& context);

// The config file's s3.bucket, s3.prefix, ... as the flags' defaults.
void SetDestinationDefaults(const config::ConfigFile& config, Destination& destination);

}  // namespace slack_intel::cli

#include "cli/destination.h"

#include <CLI/CLI.hpp>

#include "config/config_file.h"

namespace slack_intel::cli {

void AddDestinationFlags(CLI::App& command, Destination& destination, const std::string& context) {
  command.add_option("--bucket", destination.bucket,
                     context + "the bucket (default: s3.bucket of the config file)");
  command.add_option("--prefix", destination.prefix, context + "the key prefix (s3.prefix)");
  command.add_option("--region", destination.region, context + "the bucket's AWS region");
  command.add_option("--profile", destination.profile, context + "the AWS profile");
  command.add_option("--endpoint-url", destination.endpoint_url,
                     context + "an S3-compatible endpoint, e.g. http://127.0.0.1:9000");
}

void SetDestinationDefaults(const config::ConfigFile& config, Destination& destination) {
  auto set = [](const std::optional<std::string>& value, std::string& field) {
    if (value) field = *value;
  };
  set(config.bucket, destination.bucket);
  set(config.prefix, destination.prefix);
  set(config.region, destination.region);
  set(config.profile, destination.profile);
  set(config.endpoint_url, destination.endpoint_url);
}

}  // namespace slack_intel::cli

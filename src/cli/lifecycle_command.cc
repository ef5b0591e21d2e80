#include "cli/lifecycle_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "aws/environment.h"
#include "s3/bucket_name.h"
#include "s3/client.h"
#include "s3/client_config.h"
#include "s3/lifecycle.h"
#include "store/open_store.h"

namespace slack_intel::cli {

CLI::App* SetUpLifecycleCommand(CLI::App& app, LifecycleOptions& options) {
  CLI::App* command = app.add_subcommand(
      "lifecycle", "Set the bucket's lifecycle rule for the synced prefix (other rules kept)");
  AddDestinationFlags(*command, options.bucket, "");
  command
      ->add_option("--transition-days", options.transition_days,
                   "Move objects to --storage-class this many days after they were written")
      ->check(CLI::Range(1, 36500));
  command->add_option("--storage-class", options.storage_class,
                      "INTELLIGENT_TIERING, STANDARD_IA, ONEZONE_IA, GLACIER_IR, GLACIER or "
                      "DEEP_ARCHIVE");
  command
      ->add_option("--expire-days", options.expire_days,
                   "Delete objects this many days after they were written")
      ->check(CLI::Range(1, 36500));
  command->add_flag("--dry-run,--dryrun", options.dry_run,
                    "Print the resulting configuration; change nothing");
  command->footer(
      "\nExample:\n"
      "  slack-intel lifecycle --bucket my-slack-data --prefix prod/ --transition-days 30 "
      "--storage-class INTELLIGENT_TIERING --dry-run");
  return command;
}

Status RunLifecycle(const LifecycleOptions& options) {
  if (options.bucket.bucket.empty()) {
    return Status::InvalidArgument(
        "lifecycle needs the bucket: --bucket NAME (or s3.bucket in the config file)");
  }
  SLACK_INTEL_RETURN_IF_ERROR(s3::ValidateBucketName(options.bucket.bucket));
  s3::LifecycleRule rule;
  rule.prefix = store::NormalizePrefix(options.bucket.prefix);
  rule.id = s3::LifecycleRuleId(rule.prefix);
  rule.transition_days = options.transition_days;
  rule.storage_class = options.storage_class;
  rule.expire_days = options.expire_days;
  SLACK_INTEL_RETURN_IF_ERROR(s3::CheckLifecycleRule(rule));

  SLACK_INTEL_ASSIGN_OR_RETURN(
      s3::ClientOptions client_options,
      s3::ResolveClientOptions(
          {options.bucket.region, options.bucket.profile, options.bucket.endpoint_url, true},
          aws::ProcessEnvironment()));
  s3::Client client(std::move(client_options));
  const std::string where = s3::S3Url(options.bucket.bucket, "");
  auto existing = client.GetBucketLifecycle(options.bucket.bucket);
  if (!existing.ok()) {
    return existing.status().WithContext(
        fmt::format("cannot read the lifecycle configuration of {}", where));
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(std::string merged, s3::MergeLifecycleRule(*existing, rule));
  if (options.dry_run) {
    fmt::print("(dryrun) lifecycle configuration of {}:\n{}", where, merged);
  } else {
    if (Status put = client.PutBucketLifecycle(options.bucket.bucket, merged); !put.ok()) {
      return put.WithContext(fmt::format("cannot set the lifecycle configuration of {}", where));
    }
    fmt::print("lifecycle: {} rule '{}' set:{}{}\n", where, rule.id,
               rule.transition_days > 0
                   ? fmt::format(" objects under '{}' move to {} after {} days", rule.prefix,
                                 rule.storage_class, rule.transition_days)
                   : "",
               rule.expire_days > 0
                   ? fmt::format("{} expire after {} days", rule.transition_days > 0 ? ";" : "",
                                 rule.expire_days)
                   : "");
  }
  if (rule.expire_days > 0) {
    fmt::print(stderr,
               "note: sync uploads again whatever the cache still holds: expire only what the "
               "cache no longer keeps (docs/lifecycle.md)\n");
  }
  std::fflush(stdout);
  return Status::OK();
}

}  // namespace slack_intel::cli

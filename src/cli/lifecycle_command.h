#pragma once

#include <string>

#include "cli/destination.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel lifecycle`: the roadmap's lifecycle policies: one bucket lifecycle rule for the
// synced prefix, merged with the bucket's other rules (docs/lifecycle.md).
struct LifecycleOptions {
  Destination bucket;         // --bucket, --prefix (the rule's filter), ...
  int transition_days = 0;    // --transition-days
  std::string storage_class;  // --storage-class
  int expire_days = 0;        // --expire-days
  bool dry_run = false;       // --dry-run: print the configuration, write nothing
};

CLI::App* SetUpLifecycleCommand(CLI::App& app, LifecycleOptions& options);

// Reads the bucket's lifecycle configuration, puts this prefix's rule in it and writes it back
// (or prints it with --dry-run). Errors: kInvalidArgument for a rule S3 would refuse; S3's
// errors with the bucket named.
Status RunLifecycle(const LifecycleOptions& options);

}  // namespace slack_intel::cli

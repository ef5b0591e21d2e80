#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cli/destination.h"
#include "config/config_file.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel doctor`: the user guide's Troubleshooting, automated (docs/doctor.md).
struct DoctorOptions {
  std::vector<std::string> only;  // --only config,cache,slack,jira,aws; empty = all
  bool json = false;              // --json
  std::filesystem::path cache_path = "cache";
  Destination bucket;         // the bucket to check; the probe goes under its prefix
  config::ConfigFile config;  // the file main() read
};

// One check's outcome: "slack", whether it passed, what was found, and the fix when it failed.
struct CheckResult {
  std::string check;
  bool ok = false;
  std::string detail;
  std::string fix;
};

CLI::App* SetUpDoctorCommand(CLI::App& app, DoctorOptions& options);

// Runs the checks, printing a line per check (✓ or ✗, and the fix). Errors: kFailedPrecondition
// when any check failed ("2 of 7 checks failed"); kInvalidArgument for an unknown --only name.
Status RunDoctor(const DoctorOptions& options);

}  // namespace slack_intel::cli

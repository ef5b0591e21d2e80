#pragma once

#include <memory>

#include "cli/athena_ddl_command.h"
#include "cli/cache_command.h"
#include "cli/config_command.h"
#include "cli/doctor_command.h"
#include "cli/import_command.h"
#include "cli/inspect_command.h"
#include "cli/lifecycle_command.h"
#include "cli/sync_command.h"
#include "config/config_file.h"
#include "util/logging.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// The whole command line: global flags (--help, --version, -v/--verbose, --quiet) and every
// subcommand with its options struct. main() parses with app(), then calls Run().
// Not thread-safe; one per process.
class CommandLine {
 public:
  CommandLine();
  ~CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // The CLI11 application to parse argv with. Parse errors are CLI11 exceptions that the
  // caller handles (main.cc); owned by this object.
  CLI::App& app();

  // Verbosity chosen by -v (repeatable) and --quiet. REQUIRES: parsing succeeded.
  Verbosity verbosity() const;

  // Whether argv named a subcommand. REQUIRES: parsing succeeded.
  bool has_command() const;

  // Makes the config file's settings the defaults of the flags they name (so a flag given on
  // the command line still wins). REQUIRES: called before parsing.
  void ApplyConfig(const config::ConfigFile& config);

  // Runs the subcommand that was parsed and returns its status.
  // REQUIRES: parsing succeeded and has_command().
  Status Run() const;

  // Options of each subcommand, filled in by parsing; exposed for tests.
  const SyncOptions& sync_options() const { return sync_options_; }
  const CacheOptions& cache_options() const { return cache_options_; }
  const ImportOptions& import_options() const { return import_options_; }
  const InspectOptions& inspect_options() const { return inspect_options_; }
  const AthenaDdlOptions& athena_ddl_options() const { return athena_ddl_options_; }

 private:
  std::unique_ptr<CLI::App> app_;
  int verbose_count_ = 0;
  std::string config_path_;  // --config; read by main() before parsing (ConfigPathFromArgs)
  bool quiet_ = false;
  SyncOptions sync_options_;
  CacheOptions cache_options_;
  ImportOptions import_options_;
  InspectOptions inspect_options_;
  AthenaDdlOptions athena_ddl_options_;
  ConfigShowOptions config_show_options_;
  LifecycleOptions lifecycle_options_;
  DoctorOptions doctor_options_;
  CLI::App* sync_ = nullptr;
  CLI::App* cache_ = nullptr;
  CLI::App* import_ = nullptr;
  CLI::App* inspect_ = nullptr;
  CLI::App* athena_ddl_ = nullptr;
  CLI::App* config_show_ = nullptr;
  CLI::App* lifecycle_ = nullptr;
  CLI::App* doctor_ = nullptr;
  CLI::App* completion_ = nullptr;
  CLI::App* man_ = nullptr;
  std::string completion_shell_;  // completion bash|zsh
};

}  // namespace slack_intel::cli

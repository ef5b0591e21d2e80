#include "cli/command_line.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/shell_docs.h"
#include "slack_intel/version.h"

namespace slack_intel::cli {

CommandLine::CommandLine()
    : app_(std::make_unique<CLI::App>(
          "slack-intel: Slack history (and the Jira tickets it mentions) as hive-partitioned "
          "Parquet, synced to S3",
          "slack-intel")) {
  CLI::App& app = *app_;
  app.set_version_flag("--version", std::string("slack-intel ") + kVersion);
  // Global flags are accepted after the subcommand too: `slack-intel sync -v ...`.
  app.fallthrough();
  app.add_flag("-v,--verbose", verbose_count_, "More detail on stderr (repeat for debug)");
  app.add_flag("-q,--quiet", quiet_, "Errors only on stderr");
  app.add_option("--config", config_path_,
                 "Settings file (default: ./.slack-intel.yaml, then "
                 "~/.config/slack-intel/config.yaml; see docs/config.md)");
  app.require_subcommand(0, 1);  // none chosen: main() reports it
  cache_ = SetUpCacheCommand(app, cache_options_);
  import_ = SetUpImportCommand(app, import_options_);
  sync_ = SetUpSyncCommand(app, sync_options_);
  inspect_ = SetUpInspectCommand(app, inspect_options_);
  athena_ddl_ = SetUpAthenaDdlCommand(app, athena_ddl_options_);
  config_show_ = SetUpConfigCommand(app, config_show_options_);
  lifecycle_ = SetUpLifecycleCommand(app, lifecycle_options_);
  doctor_ = SetUpDoctorCommand(app, doctor_options_);
  // Generated from the definitions above; hidden from --help (the build installs them).
  completion_ = app.add_subcommand("completion", "Print a shell completion script")->group("");
  completion_->add_option("shell", completion_shell_, "bash or zsh")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}));
  man_ = app.add_subcommand("man", "Print the man page (troff)")->group("");
  app.footer(
      "\nThe user guide's workflows:\n"
      "  slack-intel cache --days 7                      # Slack -> ./cache (Parquet)\n"
      "  slack-intel sync --bucket my-slack-data --prefix prod/ --dry-run\n"
      "  slack-intel sync --bucket my-slack-data --prefix prod/\n"
      "  slack-intel cache --days 1 --sync --bucket my-slack-data --prefix prod/   # daily\n"
      "  slack-intel sync --bucket prod-data --profile production --region us-west-2 --delete\n"
      "  slack-intel athena-ddl --bucket my-slack-data --prefix prod/ --projection\n"
      "  slack-intel doctor --bucket my-slack-data       # what is wrong, and the fix\n"
      "Each command: slack-intel COMMAND --help. Docs: docs/ in the source, man slack-intel.");
}

CommandLine::~CommandLine() = default;

CLI::App& CommandLine::app() { return *app_; }

Verbosity CommandLine::verbosity() const {
  if (quiet_) return Verbosity::kQuiet;
  if (verbose_count_ >= 2) return Verbosity::kDebug;
  if (verbose_count_ == 1) return Verbosity::kVerbose;
  return Verbosity::kNormal;
}

void CommandLine::ApplyConfig(const config::ConfigFile& config) {
  auto set = [](const std::optional<std::string>& value, auto& option) {
    if (value) option = *value;
  };
  set(config.cache_path, sync_options_.cache_path);
  set(config.cache_path, cache_options_.cache_path);
  set(config.cache_path, import_options_.cache_path);
  set(config.cache_path, athena_ddl_options_.cache_path);
  set(config.timezone, cache_options_.timezone);
  set(config.timezone, import_options_.timezone);
  set(config.codec, cache_options_.codec);
  set(config.codec, import_options_.codec);
  if (config.compression_level) {  // digits only (ParseConfigFile checked)
    cache_options_.compression_level = import_options_.compression_level =
        std::stoi(*config.compression_level);
  }
  set(config.bucket, sync_options_.bucket);
  set(config.prefix, sync_options_.prefix);
  set(config.bucket, athena_ddl_options_.bucket);
  SetDestinationDefaults(config, lifecycle_options_.bucket);
  SetDestinationDefaults(config, doctor_options_.bucket);
  set(config.cache_path, doctor_options_.cache_path);
  doctor_options_.config = config;
  set(config.prefix, athena_ddl_options_.prefix);
  set(config.region, sync_options_.region);
  set(config.profile, sync_options_.profile);
  set(config.endpoint_url, sync_options_.endpoint_url);
  for (AutoSyncOptions* auto_sync : {&cache_options_.auto_sync, &import_options_.auto_sync}) {
    SetDestinationDefaults(config, auto_sync->to);
    set(config.sync_dest, auto_sync->dest);
    auto_sync->enabled = config.sync_auto == "true";
  }
  // sync.dest stands for the destination flags, over s3.bucket too (a --bucket on the command
  // line wins: the commands' parse callbacks).
  set(config.sync_dest, sync_options_.dest);
  cache_options_.config = config;
  import_options_.config = config;
  config_show_options_.config = config;
}

bool CommandLine::has_command() const { return !app_->get_subcommands().empty(); }

Status CommandLine::Run() const {
  if (sync_->parsed()) {
    SyncOptions options = sync_options_;
    options.quiet = quiet_;
    return RunSync(options);
  }
  // Auto-sync runs after the cache's lock is released, and only after a successful run.
  if (cache_->parsed()) {
    CacheOptions options = cache_options_;
    options.quiet = quiet_;
    SLACK_INTEL_RETURN_IF_ERROR(CheckAutoSync(options.auto_sync, "cache"));
    SLACK_INTEL_RETURN_IF_ERROR(RunCache(options));
    return RunAutoSync(options.auto_sync, options.cache_path, options.json, quiet_,
                       options.no_progress);
  }
  if (import_->parsed()) {
    ImportOptions options = import_options_;
    options.quiet = quiet_;
    SLACK_INTEL_RETURN_IF_ERROR(CheckAutoSync(options.auto_sync, "import"));
    SLACK_INTEL_RETURN_IF_ERROR(RunImport(options));
    return RunAutoSync(options.auto_sync, options.cache_path, options.json, quiet_,
                       options.no_progress);
  }
  if (inspect_->parsed()) return RunInspect(inspect_options_);
  if (athena_ddl_->parsed()) return RunAthenaDdl(athena_ddl_options_);
  if (config_show_->parsed()) return RunConfigShow(config_show_options_);
  if (lifecycle_->parsed()) return RunLifecycle(lifecycle_options_);
  if (doctor_->parsed()) return RunDoctor(doctor_options_);
  if (completion_->parsed() || man_->parsed()) {
    const std::string text = man_->parsed()               ? ManPage(*app_)
                             : completion_shell_ == "zsh" ? ZshCompletion(*app_)
                                                          : BashCompletion(*app_);
    fmt::print("{}", text);
    return std::fflush(stdout) == 0 ? Status::OK() : Status::IOError("cannot write to stdout");
  }
  return Status::Internal("no subcommand was parsed");
}

}  // namespace slack_intel::cli

#include "cli/import_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cache/cache_runner.h"
#include "cli/cache_output.h"
#include "cli/lock_cache.h"
#include "import/export_archive.h"
#include "import/export_source.h"

namespace slack_intel::cli {

CLI::App* SetUpImportCommand(CLI::App& app, ImportOptions& options) {
  CLI::App* import = app.add_subcommand(
      "import", "Import a Slack workspace export (ZIP or folder) into the Parquet cache");
  import->add_option("export", options.export_path, "Export ZIP file or unzipped export folder")
      ->required();
  import->add_option("--cache-path", options.cache_path, "Cache folder to write")
      ->capture_default_str();
  import->add_option("--timezone", options.timezone, "Time zone of the day partitions (IANA)")
      ->capture_default_str();
  import->add_option("--channels", options.channels, "Only these channels (names or IDs)")
      ->delimiter(',');
  import->add_option("--exclude-channels", options.exclude_channels, "Skip these channels")
      ->delimiter(',');
  import->add_flag("--no-jira", options.no_jira, "Do not write raw/jira partitions");
  import->add_flag("--no-progress", options.no_progress, "No progress line on the terminal");
  import->add_flag("--json", options.json, "One JSON object per line on stdout");
  AddCompressionFlags(*import, options.codec, options.compression_level);
  AddAutoSyncFlags(*import, options.auto_sync);
  return import;
}

Status RunImport(const ImportOptions& options) {
  SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<import::ExportArchive> archive,
                               import::ExportArchive::Open(options.export_path));
  SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<import::ExportSource> source,
                               import::ExportSource::Open(std::move(archive)));
  SLACK_INTEL_ASSIGN_OR_RETURN(cache::Calendar calendar,
                               cache::Calendar::ForZone(options.timezone));
  cache::CacheSettings settings;
  settings.cache_path = options.cache_path;
  SLACK_INTEL_ASSIGN_OR_RETURN(settings.compression,
                               ParseCompression(options.codec, options.compression_level));
  // Day files are Los Angeles days; a day file's messages fall within a day of it anywhere.
  const auto range = source->DayFileRange();
  const std::string first = range ? range->first : "1970-01-02";
  const std::string last = range ? range->second : "1970-01-02";
  SLACK_INTEL_ASSIGN_OR_RETURN(settings.first_day, calendar.AddDays(first, -1));
  SLACK_INTEL_ASSIGN_OR_RETURN(settings.last_day, calendar.AddDays(last, 1));
  SLACK_INTEL_ASSIGN_OR_RETURN(const std::string after_last,
                               calendar.AddDays(settings.last_day, 1));
  SLACK_INTEL_ASSIGN_OR_RETURN(const int64_t window_start, calendar.StartOf(settings.first_day));
  SLACK_INTEL_ASSIGN_OR_RETURN(const int64_t window_end, calendar.StartOf(after_last));
  source->SetWindow(window_start * 1'000'000, window_end * 1'000'000);
  settings.channels = options.channels;
  settings.exclude_channels = options.exclude_channels;
  settings.include_archived = true;  // history is what an export is for
  settings.thread_lookback_days = 0;
  settings.jira = !options.no_jira;
  settings.keep_rows_not_fetched = true;  // an export adds and updates, never removes
  std::unique_ptr<jira::JiraClient> jira = MakeJiraClient(options.config);
  SLACK_INTEL_ASSIGN_OR_RETURN(cache::CacheLock lock, LockCache(settings.cache_path, "import"));

  SLACK_INTEL_ASSIGN_OR_RETURN(
      cache::CacheSummary summary,
      RunCacheWithOutput(settings, calendar, *source, jira.get(),
                         {options.json, options.quiet, !options.no_progress, false}));
  const import::ImportSkips& skipped = source->skipped();
  if (options.json) {
    nlohmann::ordered_json totals = SummaryJson(settings, summary, options.timezone);
    totals["skipped"] = {{"non_day_files", skipped.non_day_files},
                         {"non_day_file_examples", skipped.examples},
                         {"direct_conversations", skipped.direct_conversations},
                         {"messages_without_ts", skipped.messages_without_ts},
                         {"replies_without_parent", skipped.orphan_replies},
                         {"channels_without_messages", skipped.empty_channels},
                         {"messages_outside_window", skipped.messages_outside_window}};
    fmt::print("{}\n", nlohmann::ordered_json{{"summary", totals}}.dump(
                           -1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else if (!options.quiet) {
    fmt::print(
        "imported {}: {} channel(s), {} message(s) ({} replies), {} Jira ticket(s); files "
        "written {}, unchanged {}\n",
        options.export_path.string(), summary.channels, summary.messages, summary.replies,
        summary.jira_tickets, summary.files_written, summary.files_unchanged);
    std::vector<std::string> notes;
    if (skipped.non_day_files > 0) {
      notes.push_back(fmt::format("{} file(s) in channel folders that are no day files (e.g. {})",
                                  skipped.non_day_files, fmt::join(skipped.examples, ", ")));
    }
    if (skipped.direct_conversations > 0) {
      notes.push_back(fmt::format("{} direct or group conversation(s) (the cache holds channels)",
                                  skipped.direct_conversations));
    }
    if (skipped.messages_without_ts > 0)
      notes.push_back(fmt::format("{} message(s) without a ts", skipped.messages_without_ts));
    if (skipped.messages_outside_window > 0) {
      notes.push_back(fmt::format(
          "{} message(s) dated more than a day away from every day file's date (between {} "
          "and {} in {})",
          skipped.messages_outside_window, settings.first_day, settings.last_day,
          options.timezone));
    }
    if (skipped.orphan_replies > 0) {
      notes.push_back(fmt::format("{} thread repl(ies) whose parent is not in the export",
                                  skipped.orphan_replies));
    }
    for (const std::string& note : notes) fmt::print("skipped: {}\n", note);
  }
  std::fflush(stdout);
  return Status::OK();
}

}  // namespace slack_intel::cli

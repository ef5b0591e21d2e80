#include "cli/cache_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cache/cache_runner.h"
#include "cli/cache_output.h"
#include "cli/lock_cache.h"
#include "jira/jira_client.h"
#include "slack/slack_client.h"
#include "util/printable.h"

namespace slack_intel::cli {

CLI::App* SetUpCacheCommand(CLI::App& app, CacheOptions& options) {
  CLI::App* cache =
      app.add_subcommand("cache", "Fetch Slack messages into the local Parquet cache");
  auto* days =
      cache->add_option("--days", options.days, "Whole calendar days to fetch, including today")
          ->check(CLI::Range(1, 36500))
          ->capture_default_str();
  auto* since = cache->add_option("--since", options.since, "First day to fetch (YYYY-MM-DD)");
  cache->add_option("--until", options.until, "Last day to fetch (YYYY-MM-DD; default today)")
      ->needs(since);
  days->excludes(since);
  cache->add_option("--channels", options.channels, "Only these channels (names or IDs)")
      ->delimiter(',');
  cache->add_option("--exclude-channels", options.exclude_channels, "Skip these channels")
      ->delimiter(',');
  cache->add_option("--cache-path", options.cache_path, "Cache folder to write")
      ->capture_default_str();
  cache->add_option("--timezone", options.timezone, "Time zone of the day partitions (IANA)")
      ->capture_default_str();
  cache->add_flag("--no-threads", options.no_threads, "Do not fetch thread replies");
  cache
      ->add_option("--thread-lookback", options.thread_lookback,
                   "Re-poll threads whose parents are up to this many days older than the window")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  cache->add_flag("--no-jira", options.no_jira, "Do not write raw/jira partitions");
  cache->add_flag("--include-archived", options.include_archived, "Also cache archived channels");
  cache->add_flag("--no-progress", options.no_progress, "No progress line on the terminal");
  cache->add_flag("--json", options.json, "One JSON object per line on stdout");
  AddCompressionFlags(*cache, options.codec, options.compression_level);
  AddAutoSyncFlags(*cache, options.auto_sync);
  return cache;
}

Status RunCache(const CacheOptions& options) {
  const std::string token = Setting({"SLACK_TOKEN", "SLACK_BOT_TOKEN"}, options.config.slack_token);
  if (token.empty()) {
    return Status::InvalidArgument(
        "no Slack token: export SLACK_TOKEN=xoxb-... or set slack.token in .slack-intel.yaml "
        "(a bot token with channels:history, groups:history, channels:read, groups:read and "
        "users:read)");
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(cache::Calendar calendar,
                               cache::Calendar::ForZone(options.timezone));
  const std::string today = calendar.DayOf(std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
  cache::CacheSettings settings;
  settings.cache_path = options.cache_path;
  SLACK_INTEL_ASSIGN_OR_RETURN(settings.compression,
                               ParseCompression(options.codec, options.compression_level));
  if (!options.since.empty()) {
    settings.first_day = options.since;
    settings.last_day = options.until.empty() ? today : options.until;
  } else {
    settings.last_day = today;
    SLACK_INTEL_ASSIGN_OR_RETURN(settings.first_day, calendar.AddDays(today, 1 - options.days));
  }
  SLACK_INTEL_RETURN_IF_ERROR(calendar.StartOf(settings.first_day).status());
  SLACK_INTEL_RETURN_IF_ERROR(calendar.StartOf(settings.last_day).status());
  settings.channels = options.channels;
  settings.exclude_channels = options.exclude_channels;
  settings.include_archived = options.include_archived;
  settings.threads = !options.no_threads;
  settings.thread_lookback_days = options.thread_lookback;
  settings.jira = !options.no_jira;

  SLACK_INTEL_ASSIGN_OR_RETURN(cache::CacheLock lock, LockCache(settings.cache_path, "cache"));
  slack::SlackClientOptions client_options;
  if (const std::string url = Setting({"SLACK_API_URL"}, options.config.slack_api_url);
      !url.empty()) {
    client_options.base_url = url;
    while (client_options.base_url.ends_with("/")) client_options.base_url.pop_back();
  }
  client_options.token = token;
  slack::SlackClient client(client_options);

  std::unique_ptr<jira::JiraClient> jira = MakeJiraClient(options.config);

  const bool json = options.json;
  const bool quiet = options.quiet;
  SLACK_INTEL_ASSIGN_OR_RETURN(cache::CacheSummary summary,
                               RunCacheWithOutput(settings, calendar, client, jira.get(),
                                                  {json, quiet, !options.no_progress}));
  if (json) {
    nlohmann::ordered_json totals = SummaryJson(settings, summary, options.timezone);
    totals["api_calls"] = summary.api.calls;
    totals["rate_limited"] = summary.api.rate_limited;
    totals["rate_limit_wait_seconds"] = summary.api.rate_limit_wait_seconds;
    totals["messages_without_ts"] = summary.api.messages_without_ts;
    fmt::print("{}\n", nlohmann::ordered_json{{"summary", totals}}.dump());
  } else if (!quiet) {
    fmt::print(
        "cached {} .. {}: {} channel(s), {} message(s) ({} replies), {} Jira ticket(s); files "
        "written {}, unchanged {}, removed {}; {} API call(s), {} rate-limited{}{}\n",
        settings.first_day, settings.last_day, summary.channels, summary.messages, summary.replies,
        summary.jira_tickets, summary.files_written, summary.files_unchanged, summary.files_removed,
        summary.api.calls, summary.api.rate_limited,
        summary.api.messages_without_ts == 0
            ? ""
            : fmt::format("; {} message(s) without a valid ts skipped",
                          summary.api.messages_without_ts),
        summary.channels_skipped.empty()
            ? ""
            : Printable(fmt::format("; skipped (not a member): {}",
                                    fmt::join(summary.channels_skipped, ", "))));
  }
  std::fflush(stdout);
  return Status::OK();
}

}  // namespace slack_intel::cli

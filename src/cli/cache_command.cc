#include "cli/cache_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>

#include "cache/cache_runner.h"
#include "cli/progress_line.h"
#include "jira/jira_client.h"
#include "util/redact.h"

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
  return cache;
}

namespace {

// The environment's value, else the config file's, else "".
std::string Setting(std::initializer_list<const char*> names,
                    const std::optional<std::string>& configured) {
  for (const char* name : names) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return value;
  }
  return configured.value_or("");
}

}  // namespace

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

  slack::SlackClientOptions client_options;
  if (const std::string url = Setting({"SLACK_API_URL"}, options.config.slack_api_url);
      !url.empty()) {
    client_options.base_url = url;
    while (client_options.base_url.ends_with("/")) client_options.base_url.pop_back();
  }
  client_options.token = token;
  slack::SlackClient client(client_options);

  // Jira fields when all three are set (JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN).
  std::unique_ptr<jira::JiraClient> jira;
  const std::string jira_url = Setting({"JIRA_URL"}, options.config.jira_url);
  const std::string jira_email = Setting({"JIRA_EMAIL"}, options.config.jira_email);
  const std::string jira_token = Setting({"JIRA_API_TOKEN"}, options.config.jira_api_token);
  if (!jira_url.empty() && !jira_email.empty() && !jira_token.empty()) {
    jira::JiraClientOptions jira_options;
    jira_options.base_url = jira_url;
    while (jira_options.base_url.ends_with("/")) jira_options.base_url.pop_back();
    jira_options.email = jira_email;
    jira_options.api_token = jira_token;
    jira = std::make_unique<jira::JiraClient>(jira_options);
  }

  const bool json = options.json;
  const bool quiet = options.quiet;
  cache::CacheProgress progress;
  ProgressLine progress_line(
      [&](double elapsed) {
        const auto seconds = static_cast<int64_t>(elapsed);
        return fmt::format("channels {}/{}  messages {}  API calls {}  rate-limited {}  {}:{:02}",
                           progress.channels_done.load(), progress.channels_total.load(),
                           progress.messages.load(), progress.api_calls.load(),
                           progress.rate_limited.load(), seconds / 60, seconds % 60);
      },
      !quiet && !json && !options.no_progress && ::isatty(STDERR_FILENO));
  auto print = [&](const cache::CacheEvent& e) {
    using Kind = cache::CacheEvent::Kind;
    if (json) {
      static constexpr const char* kNames[] = {"channel_done", "channel_skipped", "file_written",
                                               "file_removed"};
      nlohmann::ordered_json line = {{"event", kNames[static_cast<int>(e.kind)]}};
      if (!e.channel.empty()) line["channel"] = e.channel;
      if (!e.path.empty()) line["path"] = e.path;
      if (e.kind == Kind::kChannelDone) line["messages"] = e.messages;
      if (!e.reason.empty()) line["reason"] = e.reason;
      fmt::print("{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else if (e.kind == Kind::kChannelSkipped) {
      fmt::print(stderr, "warning: skipped #{}: {}\n", e.channel, e.reason);
    } else if (!quiet && e.kind == Kind::kChannelDone) {
      fmt::print("#{}: {} message(s)\n", e.channel, e.messages);
    }
  };
  auto summary = cache::RunCache(
      settings, calendar, client, jira.get(),
      [&](const cache::CacheEvent& e) { progress_line.Print([&] { print(e); }); }, &progress);
  if (!summary.ok())
    return Status(summary.status().code(), RedactSecrets(summary.status().message()));
  if (json) {
    nlohmann::ordered_json totals = {
        {"first_day", settings.first_day},
        {"last_day", settings.last_day},
        {"timezone", options.timezone},
        {"channels", summary->channels},
        {"channels_skipped", summary->channels_skipped},
        {"messages", summary->messages},
        {"replies", summary->replies},
        {"threads_polled", summary->threads_polled},
        {"jira_tickets", summary->jira_tickets},
        {"files_written", summary->files_written},
        {"files_unchanged", summary->files_unchanged},
        {"files_removed", summary->files_removed},
        {"api_calls", summary->api.calls},
        {"rate_limited", summary->api.rate_limited},
        {"rate_limit_wait_seconds", summary->api.rate_limit_wait_seconds}};
    fmt::print("{}\n", nlohmann::ordered_json{{"summary", totals}}.dump());
  } else if (!quiet) {
    fmt::print(
        "cached {} .. {}: {} channel(s), {} message(s) ({} replies), {} Jira ticket(s); files "
        "written {}, unchanged {}, removed {}; {} API call(s), {} rate-limited{}\n",
        settings.first_day, settings.last_day, summary->channels, summary->messages,
        summary->replies, summary->jira_tickets, summary->files_written, summary->files_unchanged,
        summary->files_removed, summary->api.calls, summary->api.rate_limited,
        summary->channels_skipped.empty()
            ? ""
            : fmt::format("; skipped (not a member): {}",
                          fmt::join(summary->channels_skipped, ", ")));
  }
  std::fflush(stdout);
  return Status::OK();
}

}  // namespace slack_intel::cli

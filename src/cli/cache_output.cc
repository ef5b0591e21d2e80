#include "cli/cache_output.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/progress_line.h"
#include "parquet/compression.h"
#include "util/printable.h"
#include "util/redact.h"

namespace slack_intel::cli {

std::string Setting(std::initializer_list<const char*> names,
                    const std::optional<std::string>& configured) {
  for (const char* name : names) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return value;
  }
  return configured.value_or("");
}

Result<cache::Compression> ParseCompression(const std::string& codec, int level) {
  static const std::map<std::string, parquet::Codec> kCodecs = {
      {"zstd", parquet::Codec::kZstd},
      {"snappy", parquet::Codec::kSnappy},
      {"gzip", parquet::Codec::kGzip},
      {"none", parquet::Codec::kUncompressed}};
  const auto it = kCodecs.find(codec);
  if (it == kCodecs.end()) {
    return Status::InvalidArgument(
        fmt::format("unknown codec '{}': zstd, snappy, gzip or none", Printable(codec)));
  }
  const auto [lowest, highest] = parquet::CompressionLevels(it->second);
  if (level != 0 && (level < lowest || level > highest)) {
    return Status::InvalidArgument(
        lowest == 0 ? fmt::format("--codec {} takes no --compression-level", codec)
                    : fmt::format("--compression-level for {} is {} to {}, not {}", codec, lowest,
                                  highest, level));
  }
  return cache::Compression{it->second, level};
}

void AddCompressionFlags(CLI::App& command, std::string& codec, int& level) {
  command
      .add_option("--codec", codec,
                  "Page compression of the files written: zstd, snappy, gzip or none (the config "
                  "file's cache.codec)")
      ->check(CLI::IsMember({"zstd", "snappy", "gzip", "none"}))
      ->capture_default_str();
  command.add_option("--compression-level", level,
                     "zstd 1-22, gzip 1-9; 0: the codec's default (zstd 3, gzip 6)");
}

std::unique_ptr<jira::JiraClient> MakeJiraClient(const config::ConfigFile& config) {
  jira::JiraClientOptions options;
  options.base_url = Setting({"JIRA_URL"}, config.jira_url);
  options.email = Setting({"JIRA_EMAIL"}, config.jira_email);
  options.api_token = Setting({"JIRA_API_TOKEN"}, config.jira_api_token);
  if (options.base_url.empty() || options.email.empty() || options.api_token.empty())
    return nullptr;
  while (options.base_url.ends_with("/")) options.base_url.pop_back();
  return std::make_unique<jira::JiraClient>(options);
}

Result<cache::CacheSummary> RunCacheWithOutput(const cache::CacheSettings& settings,
                                               const cache::Calendar& calendar,
                                               slack::SlackSource& source, jira::JiraClient* jira,
                                               const CacheOutputOptions& output) {
  cache::CacheProgress progress;
  ProgressLine progress_line(
      [&](double elapsed) {
        const auto seconds = static_cast<int64_t>(elapsed);
        const std::string api =
            output.api ? fmt::format("  API calls {}  rate-limited {}", progress.api_calls.load(),
                                     progress.rate_limited.load())
                       : "";
        return fmt::format("channels {}/{}  messages {}{}  {}:{:02}", progress.channels_done.load(),
                           progress.channels_total.load(), progress.messages.load(), api,
                           seconds / 60, seconds % 60);
      },
      !output.quiet && !output.json && output.progress && StderrTakesProgress());
  auto print = [&](const cache::CacheEvent& e) {
    using Kind = cache::CacheEvent::Kind;
    if (output.json) {
      static constexpr const char* kNames[] = {"channel_done", "channel_skipped", "file_written",
                                               "file_removed", "warning"};
      nlohmann::ordered_json line = {{"event", kNames[static_cast<int>(e.kind)]}};
      if (!e.channel.empty()) line["channel"] = e.channel;
      if (!e.path.empty()) line["path"] = e.path;
      if (e.kind == Kind::kChannelDone) line["messages"] = e.messages;
      if (!e.reason.empty()) line["reason"] = e.reason;
      fmt::print("{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else if (e.kind == Kind::kChannelSkipped) {
      fmt::print(stderr, "warning: skipped #{}: {}\n", Printable(e.channel), Printable(e.reason));
    } else if (e.kind == Kind::kWarning) {
      fmt::print(stderr, "warning: #{}: {}\n", Printable(e.channel), Printable(e.reason));
    } else if (!output.quiet && e.kind == Kind::kChannelDone) {
      fmt::print("#{}: {} message(s)\n", Printable(e.channel), e.messages);
    }
  };
  auto summary = cache::RunCache(
      settings, calendar, source, jira,
      [&](const cache::CacheEvent& e) { progress_line.Print([&] { print(e); }); }, &progress);
  if (!summary.ok())
    return Status(summary.status().code(), RedactSecrets(summary.status().message()));
  return summary;
}

nlohmann::ordered_json SummaryJson(const cache::CacheSettings& settings,
                                   const cache::CacheSummary& summary,
                                   const std::string& timezone) {
  return {{"first_day", settings.first_day},
          {"last_day", settings.last_day},
          {"timezone", timezone},
          {"channels", summary.channels},
          {"channels_skipped", summary.channels_skipped},
          {"messages", summary.messages},
          {"replies", summary.replies},
          {"threads_polled", summary.threads_polled},
          {"jira_tickets", summary.jira_tickets},
          {"files_written", summary.files_written},
          {"files_unchanged", summary.files_unchanged},
          {"files_removed", summary.files_removed}};
}

}  // namespace slack_intel::cli

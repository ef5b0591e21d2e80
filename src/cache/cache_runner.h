#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "cache/calendar.h"
#include "cache/tables.h"
#include "jira/jira_client.h"
#include "slack/slack_source.h"

namespace slack_intel::cache {

struct CacheSettings {
  std::filesystem::path cache_path;
  std::string first_day;                      // "YYYY-MM-DD", inclusive, in the calendar's zone
  std::string last_day;                       // inclusive
  std::vector<std::string> channels;          // names or IDs; empty = every channel
  std::vector<std::string> exclude_channels;  // names or IDs
  bool include_archived = false;
  bool threads = true;
  int thread_lookback_days = 30;
  bool jira = true;  // raw/jira partitions of the keys mentioned
  // Keep rows the source did not return (import: an export adds and updates messages but
  // never removes cached ones). Otherwise a re-fetched day holds what Slack returns.
  bool keep_rows_not_fetched = false;
  // A partition is rewritten when its bytes would differ: new rows, or another codec or level.
  Compression compression;
};

struct CacheSummary {
  int64_t channels = 0;
  std::vector<std::string> channels_skipped;  // not_in_channel, or no folder name fits
  int64_t messages = 0;                       // rows written for the window (replies included)
  int64_t replies = 0;
  int64_t threads_polled = 0;
  int64_t files_written = 0;
  int64_t files_unchanged = 0;
  int64_t files_removed = 0;
  int64_t jira_tickets = 0;  // ticket rows written (one per ticket and day)
  int64_t jira_fetched = 0;  // tickets Jira returned fields for
  int64_t jira_calls = 0;
  slack::SlackCallStats api;
};

// Counters a progress display may read at any time while a run goes on.
struct CacheProgress {
  std::atomic<int64_t> channels_total{0};
  std::atomic<int64_t> channels_done{0};
  std::atomic<int64_t> messages{0};
  std::atomic<int64_t> api_calls{0};
  std::atomic<int64_t> rate_limited{0};
};

// One thing `cache` did, for the log and --json.
struct CacheEvent {
  enum class Kind { kChannelDone, kChannelSkipped, kFileWritten, kFileRemoved, kWarning };
  Kind kind = Kind::kChannelDone;
  std::string channel;
  std::string path;  // relative to the cache folder
  int64_t messages = 0;
  std::string reason;
};

// Fetches the window [first_day, last_day] of every selected channel and rewrites the
// partitions that changed (docs/cache-layout.md): users.parquet, each day's
// raw/messages/dt=D/channel=C/data.parquet, and raw/jira/dt=D/data.parquet. Thread replies
// land in the partition of their own ts; threads whose parents lie up to
// `thread_lookback_days` before the window are re-polled when their latest reply is in it.
// A partition keeps replies of threads that were not polled this time; everything else of a
// day in the window is what Slack returned. Identical rows give identical bytes, and a file
// whose bytes would not change is not touched.
// With `jira` (may be null), the tickets' fields are fetched; without it, rows carry the key,
// mention count and channels. A Jira failure leaves the jira partitions as they were.
// Errors: the Slack and Jira clients'; kNotFound for a named channel that does not exist;
// kCorruption for a partition file that cannot be read (nothing is overwritten).
Result<CacheSummary> RunCache(const CacheSettings& settings, const Calendar& calendar,
                              slack::SlackSource& client, jira::JiraClient* jira,
                              const std::function<void(const CacheEvent&)>& report,
                              CacheProgress* progress = nullptr);

}  // namespace slack_intel::cache

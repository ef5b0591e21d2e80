#include "cache/cache_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "cache/jira_keys.h"
#include "cache/layout.h"
#include "cache/publish.h"
#include "cache/tables.h"
#include "util/parallel_for.h"

namespace slack_intel::cache {
namespace {

namespace fs = std::filesystem;

struct TsOrder {
  bool operator()(const std::string& a, const std::string& b) const { return TsLess(a, b); }
};

MessageRow ToRow(slack::Message&& m, const slack::Channel& channel,
                 const std::unordered_map<std::string, slack::User>& users) {
  MessageRow row;
  row.timestamp = TsToIso(m.ts);
  row.is_thread_parent = m.is_thread_parent();
  row.is_thread_reply = m.is_thread_reply();
  row.reply_count = m.reply_count;
  if (auto it = users.find(m.user); it != users.end()) {
    row.user_name = it->second.name;
    row.user_real_name = it->second.real_name;
  }
  row.jira_tickets = ExtractJiraKeys(m.text);
  row.channel_id = channel.id;
  row.message_id = std::move(m.ts);
  if (!m.user.empty()) row.user_id = std::move(m.user);
  row.text = std::move(m.text);
  if (!m.thread_ts.empty()) row.thread_ts = std::move(m.thread_ts);
  if (!m.subtype.empty()) row.subtype = std::move(m.subtype);
  if (!m.bot_id.empty()) row.bot_id = std::move(m.bot_id);
  if (!m.edited_ts.empty()) row.edited_ts = std::move(m.edited_ts);
  return row;
}

// The channels to fetch: all, or the named ones (each must exist), minus the excluded.
Result<std::vector<slack::Channel>> SelectChannels(const std::vector<slack::Channel>& all,
                                                   const CacheSettings& settings) {
  auto named = [](const slack::Channel& c, const std::string& name) {
    return c.id == name || c.name == name || "#" + c.name == name;
  };
  std::vector<slack::Channel> selected;
  if (settings.channels.empty()) {
    selected = all;
  } else {
    for (const std::string& name : settings.channels) {
      auto it = std::find_if(all.begin(), all.end(),
                             [&](const slack::Channel& c) { return named(c, name); });
      if (it == all.end()) {
        return Status::NotFound(fmt::format(
            "channel '{}' does not exist, or the token cannot see it (private channels need the "
            "app invited; archived ones need --include-archived)",
            name));
      }
      selected.push_back(*it);
    }
  }
  std::erase_if(selected, [&](const slack::Channel& c) {
    return std::any_of(settings.exclude_channels.begin(), settings.exclude_channels.end(),
                       [&](const std::string& name) { return named(c, name); });
  });
  std::sort(selected.begin(), selected.end(),
            [](const slack::Channel& a, const slack::Channel& b) { return a.name < b.name; });
  selected.erase(
      std::unique(selected.begin(), selected.end(),
                  [](const slack::Channel& a, const slack::Channel& b) { return a.id == b.id; }),
      selected.end());
  return selected;
}

class CacheRun {
 public:
  CacheRun(const CacheSettings& settings, const Calendar& calendar, slack::SlackSource& client,
           jira::JiraClient* jira, const std::function<void(const CacheEvent&)>& report,
           CacheProgress* progress)
      : s_(settings),
        calendar_(calendar),
        client_(client),
        jira_(jira),
        report_(report),
        progress_(progress ? progress : &own_progress_) {}

  Result<CacheSummary> Run();

 private:
  Status CacheChannels(const std::vector<slack::Channel>& channels);
  Status Publish(const fs::path& relative, Result<std::string> bytes,
                 AtomicFileBatch* batch = nullptr);
  Status Remove(const fs::path& relative);
  using Fetched = std::map<std::string, slack::Message, TsOrder>;  // by ts
  // What a channel's partitions came to, and the batch that publishes them.
  struct ChannelWrite {
    ChannelWrite(const slack::Channel& c, std::string p) : channel(c), partition(std::move(p)) {}
    const slack::Channel& channel;
    std::string partition;  // the value of channel= in its partitions' paths
    AtomicFileBatch batch;
    int64_t messages = 0, replies = 0;
  };
  Status CacheChannel(const slack::Channel& channel);
  std::optional<std::string> PartitionValueOf(const slack::Channel& channel);
  void Skip(const slack::Channel& channel, std::string reason);
  Status WriteDay(const std::string& day, std::vector<MessageRow> rows, const Fetched& fetched,
                  const std::set<std::string>& polled, ChannelWrite& write);
  Status FinishChannel(ChannelWrite& write, int64_t threads_polled);
  struct Mentions {
    int64_t count = 0;
    std::set<std::string> channels;
  };
  using DayTickets = std::map<std::string, Mentions>;  // key -> mentions
  Result<DayTickets> TicketsOf(const std::string& day);
  Status WriteJira();
  void Report(CacheEvent event) {
    std::lock_guard lock(mutex_);
    report_(event);
  }
  void UpdateCallCounts() {
    progress_->api_calls = client_.stats().calls;
    progress_->rate_limited = client_.stats().rate_limited;
  }

  const CacheSettings& s_;
  const Calendar& calendar_;
  slack::SlackSource& client_;
  jira::JiraClient* jira_;
  const std::function<void(const CacheEvent&)>& report_;
  CacheProgress own_progress_;
  CacheProgress* progress_;
  std::mutex mutex_;  // guards summary_ and report_ while channels are fetched in parallel
  CacheSummary summary_;
  std::vector<std::string> days_;
  std::vector<int64_t> day_starts_;            // of each day, then of the day after the last
  int64_t window_start_ = 0, window_end_ = 0;  // [start, end) in Unix seconds
  std::unordered_map<std::string, slack::User> users_;
  std::unordered_map<std::string, std::string> channel_names_;  // id -> name
};

Status CacheRun::Publish(const fs::path& relative, Result<std::string> bytes,
                         AtomicFileBatch* batch) {
  if (!bytes.ok()) return bytes.status().WithContext(relative.string());
  SLACK_INTEL_ASSIGN_OR_RETURN(bool changed,
                               PublishIfChanged(s_.cache_path / relative, *bytes, batch));
  std::lock_guard lock(mutex_);
  if (changed) {
    ++summary_.files_written;
    report_({CacheEvent::Kind::kFileWritten, "", relative.generic_string(), 0, ""});
  } else {
    ++summary_.files_unchanged;
  }
  return Status::OK();
}

Status CacheRun::Remove(const fs::path& relative) {
  SLACK_INTEL_ASSIGN_OR_RETURN(bool removed, Unpublish(s_.cache_path / relative, s_.cache_path));
  if (removed) {
    std::lock_guard lock(mutex_);
    ++summary_.files_removed;
    report_({CacheEvent::Kind::kFileRemoved, "", relative.generic_string(), 0, ""});
  }
  return Status::OK();
}

void CacheRun::Skip(const slack::Channel& channel, std::string reason) {
  std::lock_guard lock(mutex_);
  summary_.channels_skipped.push_back(channel.name);
  report_({CacheEvent::Kind::kChannelSkipped, channel.name, "", 0, std::move(reason)});
}

// A channel's partitions are named after it; a name too long for a folder name (an export's
// or a hostile server's: Slack allows 80 characters) falls back to the channel's id.
std::optional<std::string> CacheRun::PartitionValueOf(const slack::Channel& channel) {
  if (ChannelFitsInFolderName(channel.name)) return channel.name;
  if (!channel.id.empty() && ChannelFitsInFolderName(channel.id)) {
    Report({CacheEvent::Kind::kWarning, channel.name, "", 0,
            fmt::format("the name is {} bytes, too long for a folder name: its partitions are "
                        "channel={}",
                        channel.name.size(), channel.id)});
    return channel.id;
  }
  Skip(channel, "neither its name nor its id fits in a folder name (255 bytes)");
  return std::nullopt;
}

Status CacheRun::CacheChannel(const slack::Channel& channel) {
  const std::optional<std::string> partition = PartitionValueOf(channel);
  if (!partition) return Status::OK();
  ChannelWrite write(channel, *partition);
  if (client_.ServesDays()) {
    for (size_t d = 0; d < days_.size(); ++d) {
      auto messages = client_.MessagesBetween(channel.id, fmt::format("{}.000000", day_starts_[d]),
                                              fmt::format("{}.999999", day_starts_[d + 1] - 1));
      if (!messages.ok()) return messages.status().WithContext("#" + channel.name);
      Fetched fetched;
      for (slack::Message& m : *messages) {
        std::string ts = m.ts;
        fetched.insert_or_assign(std::move(ts), std::move(m));
      }
      std::vector<MessageRow> rows;
      for (auto& [ts, m] : fetched) rows.push_back(ToRow(std::move(m), channel, users_));
      SLACK_INTEL_RETURN_IF_ERROR(WriteDay(days_[d], std::move(rows), fetched, {}, write));
    }
    return FinishChannel(write, 0);
  }

  const int64_t poll_from =
      s_.threads ? window_start_ - int64_t{86400} * s_.thread_lookback_days : window_start_;
  auto history = client_.History(channel.id, fmt::format("{}.000000", poll_from),
                                 fmt::format("{}.999999", window_end_ - 1));
  if (!history.ok()) {
    if (history.status().code() == StatusCode::kFailedPrecondition) {
      Skip(channel, "not_in_channel: invite the app to the channel to cache it");
      return Status::OK();
    }
    return history.status().WithContext("#" + channel.name);
  }
  UpdateCallCounts();
  auto in_window = [&](const std::string& ts) {
    const int64_t seconds = TsSeconds(ts);
    return seconds >= window_start_ && seconds < window_end_;
  };
  std::vector<std::string> threads;  // whose replies to fetch
  for (const slack::Message& parent : *history) {
    if (!s_.threads || !parent.is_thread_parent() || parent.reply_count == 0) continue;
    if (in_window(parent.ts) || parent.latest_reply.empty() ||
        TsSeconds(parent.latest_reply) >= window_start_) {
      threads.push_back(parent.ts);
    }
  }
  Fetched fetched;
  for (slack::Message& m : *history) {
    std::string ts = m.ts;
    if (in_window(ts)) fetched.insert_or_assign(std::move(ts), std::move(m));
  }
  std::set<std::string> polled;  // threads whose replies were all fetched again
  for (const std::string& parent : threads) {
    auto replies = client_.Replies(channel.id, parent);
    UpdateCallCounts();
    if (!replies.ok()) {
      if (replies.status().code() == StatusCode::kNotFound) continue;  // deleted meanwhile
      return replies.status().WithContext("#" + channel.name);
    }
    polled.insert(parent);
    for (slack::Message& reply : *replies) {
      std::string ts = reply.ts;
      if (ts != parent && in_window(ts)) fetched.insert_or_assign(std::move(ts), std::move(reply));
    }
  }
  std::map<std::string, std::vector<MessageRow>> by_day;
  for (auto& [ts, m] : fetched)
    by_day[calendar_.DayOf(TsSeconds(ts))].push_back(ToRow(std::move(m), channel, users_));
  for (const std::string& day : days_)
    SLACK_INTEL_RETURN_IF_ERROR(WriteDay(day, std::move(by_day[day]), fetched, polled, write));
  return FinishChannel(write, static_cast<int64_t>(polled.size()));
}

// One day partition of a channel: this run's rows of the day (`fetched` holds the run's
// messages by ts) merged with the rows already cached, staged in the channel's batch.
Status CacheRun::WriteDay(const std::string& day, std::vector<MessageRow> rows,
                          const Fetched& fetched, const std::set<std::string>& polled,
                          ChannelWrite& write) {
  const fs::path relative = MessagesPartitionFile(day, write.partition);
  if (auto existing = ReadWholeFile(s_.cache_path / relative); existing.ok()) {
    auto old_rows = DecodeMessages(std::move(*existing));
    if (!old_rows.ok()) {
      return Status::Corruption(
          fmt::format("cannot read {}: {} (move it away and run cache again to rebuild it)",
                      (s_.cache_path / relative).string(), old_rows.status().message()));
    }
    // Replies of threads not polled this time (parents beyond the look-back) stay.
    for (MessageRow& old : *old_rows) {
      if (fetched.count(old.message_id)) continue;
      if (s_.keep_rows_not_fetched ||
          (old.is_thread_reply && old.thread_ts && !polled.count(*old.thread_ts))) {
        rows.push_back(std::move(old));
      }
    }
  }
  for (const MessageRow& row : rows) write.replies += row.is_thread_reply ? 1 : 0;
  write.messages += static_cast<int64_t>(rows.size());
  return rows.empty()
             ? Remove(relative)
             : Publish(relative, EncodeMessages(std::move(rows), s_.compression), &write.batch);
}

// The channel's partitions reach the disk together (one flush, not one per day).
Status CacheRun::FinishChannel(ChannelWrite& write, int64_t threads_polled) {
  SLACK_INTEL_RETURN_IF_ERROR(write.batch.Commit().WithContext("#" + write.channel.name));
  std::lock_guard lock(mutex_);
  summary_.messages += write.messages;
  summary_.replies += write.replies;
  summary_.threads_polled += threads_polled;
  ++summary_.channels;
  ++progress_->channels_done;
  progress_->messages += write.messages;
  report_({CacheEvent::Kind::kChannelDone, write.channel.name, "", write.messages, ""});
  return Status::OK();
}

// Channels one by one, or as many at once as the source allows and the machine has cores
// (an export: parsing one channel's JSON while another's Parquet is encoded and written).
// The first failure stops the others from starting a channel.
Status CacheRun::CacheChannels(const std::vector<slack::Channel>& channels) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = std::min(client_.ConcurrentChannels(), cores);
  std::mutex failure_mutex;
  Status failure = Status::OK();
  std::atomic<bool> failed{false};
  ParallelFor(
      channels.size(), workers, [] { return 0; },
      [&](int&, size_t i) {
        if (failed) return;
        if (Status done = CacheChannel(channels[i]); !done.ok()) {
          std::lock_guard lock(failure_mutex);
          if (!failed.exchange(true)) failure = done;
        }
      });
  std::sort(summary_.channels_skipped.begin(), summary_.channels_skipped.end());
  return failure;
}

// The day's tickets, from every channel partition of the day on disk (not only the channels
// fetched this run, so a --channels run never shrinks the day's tickets).
Result<CacheRun::DayTickets> CacheRun::TicketsOf(const std::string& day) {
  const fs::path day_folder = s_.cache_path / kRawFolder / "messages" / fmt::format("dt={}", day);
  DayTickets tickets;
  std::error_code error;
  if (!fs::is_directory(day_folder, error)) return tickets;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(day_folder, error))
    files.push_back(entry.path() / "data.parquet");
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    auto bytes = ReadWholeFile(file);
    if (!bytes.ok()) continue;  // a folder without a file
    SLACK_INTEL_ASSIGN_OR_RETURN(auto rows, DecodeMessages(std::move(*bytes)));
    for (const MessageRow& row : rows) {
      auto name = channel_names_.find(row.channel_id);
      for (const std::string& key : row.jira_tickets) {
        Mentions& m = tickets[key];
        ++m.count;
        m.channels.insert(name != channel_names_.end() ? name->second : row.channel_id);
      }
    }
  }
  return tickets;
}

Status CacheRun::WriteJira() {
  std::map<std::string, DayTickets> by_day;
  std::set<std::string> keys;
  for (const std::string& day : days_) {
    SLACK_INTEL_ASSIGN_OR_RETURN(by_day[day], TicketsOf(day));
    for (const auto& [key, _] : by_day[day]) keys.insert(key);
  }
  std::map<std::string, jira::Issue> issues;
  if (jira_ != nullptr && !keys.empty()) {
    // Fetched before anything is written: a Jira failure must not blank fields already cached.
    auto fetched = jira_->FetchIssues(std::vector<std::string>(keys.begin(), keys.end()));
    summary_.jira_calls = jira_->calls();
    if (!fetched.ok()) return fetched.status();
    for (jira::Issue& issue : *fetched) issues[issue.key] = std::move(issue);
    summary_.jira_fetched = static_cast<int64_t>(issues.size());
  }
  for (const auto& [day, tickets] : by_day) {
    std::vector<JiraRow> rows;
    for (const auto& [key, m] : tickets) {
      JiraRow row;
      row.key = key;
      if (auto it = issues.find(key); it != issues.end()) {
        const jira::Issue& i = it->second;
        row.summary = i.summary;
        row.status = i.status;
        row.type = i.type;
        row.priority = i.priority;
        row.assignee = i.assignee;
        row.reporter = i.reporter;
        row.created = i.created;
        row.updated = i.updated;
        row.labels = i.labels;
      }
      row.mention_count = m.count;
      row.channels.assign(m.channels.begin(), m.channels.end());
      rows.push_back(std::move(row));
    }
    summary_.jira_tickets += static_cast<int64_t>(rows.size());
    const fs::path relative = JiraPartitionFile(day);
    SLACK_INTEL_RETURN_IF_ERROR(
        rows.empty() ? Remove(relative)
                     : Publish(relative, EncodeJira(std::move(rows), s_.compression)));
  }
  return Status::OK();
}

Result<CacheSummary> CacheRun::Run() {
  SLACK_INTEL_ASSIGN_OR_RETURN(window_start_, calendar_.StartOf(s_.first_day));
  SLACK_INTEL_ASSIGN_OR_RETURN(const std::string after_last, calendar_.AddDays(s_.last_day, 1));
  SLACK_INTEL_ASSIGN_OR_RETURN(window_end_, calendar_.StartOf(after_last));
  if (window_end_ <= window_start_) {
    return Status::InvalidArgument(
        fmt::format("the window {} .. {} is empty", s_.first_day, s_.last_day));
  }
  for (std::string day = s_.first_day; day != after_last;) {
    days_.push_back(day);
    SLACK_INTEL_ASSIGN_OR_RETURN(const int64_t start, calendar_.StartOf(day));
    day_starts_.push_back(start);
    SLACK_INTEL_ASSIGN_OR_RETURN(day, calendar_.AddDays(day, 1));
  }
  day_starts_.push_back(window_end_);
  SLACK_INTEL_ASSIGN_OR_RETURN(std::string team, client_.AuthTest());
  spdlog::info("caching {} .. {} ({}) of workspace {}", s_.first_day, s_.last_day, calendar_.zone(),
               team);

  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<slack::User> users, client_.ListUsers());
  std::vector<UserRow> user_rows;
  for (const slack::User& u : users) {
    users_[u.id] = u;
    auto optional = [](const std::string& s) {
      return s.empty() ? std::nullopt : std::optional<std::string>(s);
    };
    user_rows.push_back({u.id, u.name, optional(u.real_name), optional(u.display_name), u.is_bot,
                         u.deleted, optional(u.tz)});
  }
  SLACK_INTEL_RETURN_IF_ERROR(
      Publish(UsersFile(), EncodeUsers(std::move(user_rows), s_.compression)));

  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<slack::Channel> all,
                               client_.ListChannels(s_.include_archived));
  for (const slack::Channel& c : all) channel_names_[c.id] = c.name;
  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<slack::Channel> selected, SelectChannels(all, s_));
  progress_->channels_total = static_cast<int64_t>(selected.size());
  SLACK_INTEL_RETURN_IF_ERROR(CacheChannels(selected));
  if (s_.jira) SLACK_INTEL_RETURN_IF_ERROR(WriteJira());
  summary_.api = client_.stats();
  return summary_;
}

}  // namespace

Result<CacheSummary> RunCache(const CacheSettings& settings, const Calendar& calendar,
                              slack::SlackSource& client, jira::JiraClient* jira,
                              const std::function<void(const CacheEvent&)>& report,
                              CacheProgress* progress) {
  CacheRun run(settings, calendar, client, jira, report, progress);
  return run.Run();
}

}  // namespace slack_intel::cache

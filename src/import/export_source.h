#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "import/export_archive.h"
#include "slack/slack_source.h"

namespace slack_intel::import {

struct ParsedMessage;  // export_source.cc

// What an import passed over, and why (the summary shows it).
struct ImportSkips {
  int64_t non_day_files = 0;          // canvases and other files in channel folders
  std::vector<std::string> examples;  // a few of their names
  int64_t direct_conversations = 0;   // dms.json / mpims.json: not part of the cache
  int64_t messages_without_ts = 0;
  int64_t orphan_replies = 0;  // replies whose thread parent is not in the export
  int64_t empty_channels = 0;  // in channels.json but without a folder of day files
  // Messages whose ts lies outside the days imported (more than a day from any day file's
  // date): a day file that holds another day's messages.
  int64_t messages_outside_window = 0;
};

// A workspace export served the way the Web API would serve it (the Slack stand-in follows
// the same rules), so `import` writes exactly the partitions `cache` would:
// - conversations: channels.json (public) and groups.json (private); users: users.json and,
//   on Enterprise Grid, org_users.json.
// - messages: every <channel>/<YYYY-MM-DD>.json of the channel's folder (under its current
//   name, else a previous one), whatever day a message's ts falls on: Slack's exporter
//   buckets days in America/Los_Angeles, and a reply sits in its own day's file.
// - threads are reassembled across files: a parent gets thread_ts, reply_count and
//   latest_reply from the replies present; history shows parents, channel messages and
//   broadcast replies.
// A channel is read in two passes: one over all its day files builds a small index (each
// file's ts range, thread parents, each thread's reply count and latest reply), then each day
// is served from the few day files whose messages reach it, so memory holds a day's files,
// not the channel (MessagesBetween, what `cache` uses for sources that serve days).
// Channels may be read from several threads at once, one per thread. Text that is not UTF-8
// is repaired (U+FFFD).
class ExportSource : public slack::SlackSource {
 public:
  // Errors: a missing or unreadable channels.json/users.json (kCorruption naming the file).
  static Result<std::unique_ptr<ExportSource>> Open(std::unique_ptr<ExportArchive> archive);
  ~ExportSource() override;

  // The first and last day-file dates ("YYYY-MM-DD"), or nullopt when there are no messages.
  std::optional<std::pair<std::string, std::string>> DayFileRange() const;
  const ImportSkips& skipped() const { return skipped_; }
  // The ts range [from, to) (microseconds) the import writes; messages outside are counted
  // in skipped() as they are found.
  void SetWindow(int64_t from_micros, int64_t to_micros) { window_ = {from_micros, to_micros}; }

  Result<std::string> AuthTest() override { return std::string("export"); }
  Result<std::vector<slack::Channel>> ListChannels(bool include_archived) override;
  Result<std::vector<slack::User>> ListUsers() override { return users_; }
  Result<std::vector<slack::Message>> History(const std::string& channel, const std::string& oldest,
                                              const std::string& latest) override;
  // The whole channel is read for a thread: `cache` asks for days (MessagesBetween) instead.
  Result<std::vector<slack::Message>> Replies(const std::string& channel,
                                              const std::string& thread_ts) override;
  bool ServesDays() const override { return true; }
  Result<std::vector<slack::Message>> MessagesBetween(const std::string& channel,
                                                      const std::string& oldest,
                                                      const std::string& latest) override;
  const slack::SlackCallStats& stats() const override { return stats_; }
  // Each channel read at once holds its index and a day's files.
  int ConcurrentChannels() const override { return 4; }

 private:
  struct ChannelIndex;
  explicit ExportSource(std::unique_ptr<ExportArchive> archive);
  Status ReadLists();
  // The channel's index, built for the calling thread (which keeps it until it asks for
  // another channel).
  Result<std::shared_ptr<ChannelIndex>> Index(const std::string& channel_id);
  // The messages with from <= ts <= to that `wanted` accepts, in ts order, parents carrying
  // their thread's numbers; `take` moves them out (each day is asked for once).
  Result<std::vector<slack::Message>> Collect(
      ChannelIndex& index, int64_t from, int64_t to, bool take,
      const std::function<bool(const ParsedMessage&)>& wanted);
  static int64_t Micros(const std::string& ts, int64_t fallback);

  std::unique_ptr<ExportArchive> archive_;
  std::vector<slack::Channel> channels_;
  std::map<std::string, std::vector<std::string>> folders_;    // channel id -> candidate folders
  std::map<std::string, std::vector<std::string>> day_files_;  // folder -> its day files
  std::vector<slack::User> users_;
  std::mutex mutex_;  // guards indexes_, counted_ and skipped_: channels are read in parallel
  std::map<std::thread::id, std::shared_ptr<ChannelIndex>> indexes_;
  std::set<std::string> counted_;  // channels whose skips are counted
  ImportSkips skipped_;
  std::pair<int64_t, int64_t> window_{INT64_MIN, INT64_MAX};
  slack::SlackCallStats stats_;
};

}  // namespace slack_intel::import

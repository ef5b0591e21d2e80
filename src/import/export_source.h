#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "import/export_archive.h"
#include "slack/slack_source.h"

namespace slack_intel::import {

// What an import passed over, and why (the summary shows it).
struct ImportSkips {
  int64_t non_day_files = 0;          // canvases and other files in channel folders
  std::vector<std::string> examples;  // a few of their names
  int64_t direct_conversations = 0;   // dms.json / mpims.json: not part of the cache
  int64_t messages_without_ts = 0;
  int64_t orphan_replies = 0;  // replies whose thread parent is not in the export
  int64_t empty_channels = 0;  // in channels.json but without a folder of day files
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
// One channel is in memory at a time. Text that is not UTF-8 is repaired (U+FFFD).
class ExportSource : public slack::SlackSource {
 public:
  // Errors: a missing or unreadable channels.json/users.json (kCorruption naming the file).
  static Result<std::unique_ptr<ExportSource>> Open(std::unique_ptr<ExportArchive> archive);
  ~ExportSource() override;

  // The first and last day-file dates ("YYYY-MM-DD"), or nullopt when there are no messages.
  std::optional<std::pair<std::string, std::string>> DayFileRange() const;
  const ImportSkips& skipped() const { return skipped_; }

  Result<std::string> AuthTest() override { return std::string("export"); }
  Result<std::vector<slack::Channel>> ListChannels(bool include_archived) override;
  Result<std::vector<slack::User>> ListUsers() override { return users_; }
  Result<std::vector<slack::Message>> History(const std::string& channel, const std::string& oldest,
                                              const std::string& latest) override;
  Result<std::vector<slack::Message>> Replies(const std::string& channel,
                                              const std::string& thread_ts) override;
  const slack::SlackCallStats& stats() const override { return stats_; }

 private:
  struct Loaded;  // one channel's messages and threads
  explicit ExportSource(std::unique_ptr<ExportArchive> archive);
  Status ReadLists();
  Result<const Loaded*> Load(const std::string& channel_id);

  std::unique_ptr<ExportArchive> archive_;
  std::vector<slack::Channel> channels_;
  std::map<std::string, std::vector<std::string>> folders_;    // channel id -> candidate folders
  std::map<std::string, std::vector<std::string>> day_files_;  // folder -> its day files
  std::vector<slack::User> users_;
  std::unique_ptr<Loaded> loaded_;
  ImportSkips skipped_;
  slack::SlackCallStats stats_;
};

}  // namespace slack_intel::import

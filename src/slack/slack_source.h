#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "slack/slack_types.h"
#include "util/result.h"

namespace slack_intel::slack {

// Counters for the summary and the progress line.
struct SlackCallStats {
  int64_t calls = 0;
  int64_t rate_limited = 0;
  double rate_limit_wait_seconds = 0;
  int64_t messages_without_ts = 0;  // skipped: no ts, or one that is not a Slack timestamp
};

// Where `cache` reads a workspace from: the Web API (SlackClient) or a workspace export
// (import::ExportSource), so both write exactly the same partitions for the same messages.
class SlackSource {
 public:
  virtual ~SlackSource() = default;
  // The workspace's name, for logs.
  virtual Result<std::string> AuthTest() = 0;
  // Public and private channels.
  virtual Result<std::vector<Channel>> ListChannels(bool include_archived) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Messages of a channel with oldest <= ts <= latest as conversations.history gives them:
  // channel messages and thread parents (with reply_count and latest_reply), replies only when
  // broadcast. Errors: kFailedPrecondition (not a member), kNotFound.
  virtual Result<std::vector<Message>> History(const std::string& channel,
                                               const std::string& oldest,
                                               const std::string& latest) = 0;
  // A thread: its parent, then its replies, oldest first. kNotFound for an unknown thread.
  virtual Result<std::vector<Message>> Replies(const std::string& channel,
                                               const std::string& thread_ts) = 0;
  virtual const SlackCallStats& stats() const = 0;
  // How many channels may be fetched at once, History and Replies of different channels
  // called from different threads. The Web API client: one (one rate limiter, one session).
  virtual int ConcurrentChannels() const { return 1; }
  // Sources that can serve a channel a day at a time (an export, whose replies sit in the day
  // files of their own ts) say so, and MessagesBetween() then gives every message the cache
  // keeps with oldest <= ts <= latest: History()'s, and the replies its threads would add,
  // each day asked for once, in order. Memory then holds a day, not the channel. The Web API
  // cannot: a day's replies hang off threads of any age.
  virtual bool ServesDays() const { return false; }
  virtual Result<std::vector<Message>> MessagesBetween(const std::string& channel,
                                                       const std::string& oldest,
                                                       const std::string& latest) {
    (void)channel, (void)oldest, (void)latest;
    return Status::FailedPrecondition("this source serves channels, not days");
  }
};

}  // namespace slack_intel::slack

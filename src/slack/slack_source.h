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
};

}  // namespace slack_intel::slack

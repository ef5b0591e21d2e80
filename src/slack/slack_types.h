#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace slack_intel::slack {

// A message as conversations.history / conversations.replies return it, reduced to what the
// cache keeps. Strings are "" when Slack omits the field.
struct Message {
  std::string ts;    // "1452837352.000006": unique per channel
  std::string user;  // "" for bot messages without a user
  std::string text;
  std::string thread_ts;  // the parent's ts for a reply, its own ts for a thread parent
  int64_t reply_count = 0;
  std::string latest_reply;  // thread parents: ts of the newest reply
  std::string subtype;
  std::string bot_id;
  std::string edited_ts;  // edited.ts

  bool is_thread_parent() const { return !thread_ts.empty() && thread_ts == ts; }
  bool is_thread_reply() const { return !thread_ts.empty() && thread_ts != ts; }
};

struct Channel {
  std::string id;
  std::string name;
  bool is_private = false;
  bool is_archived = false;
  bool is_member = true;
};

struct User {
  std::string id;
  std::string name;
  std::string real_name;
  std::string display_name;
  bool is_bot = false;
  bool deleted = false;
  std::string tz;
};

}  // namespace slack_intel::slack

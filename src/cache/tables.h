#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "util/result.h"

namespace slack_intel::parquet {
class FileWriter;
}

namespace slack_intel::cache {

// One row of raw/messages/dt=*/channel=*/data.parquet (docs/schema.md). The first eleven
// columns are the user guide's Athena table, in its order and types; extras follow.
struct MessageRow {
  std::string message_id;              // the message's Slack ts: unique within a channel
  std::optional<std::string> user_id;  // null for bot messages without a user
  std::string text;
  std::string timestamp;  // the ts as ISO 8601 UTC, microseconds
  std::optional<std::string> thread_ts;
  bool is_thread_parent = false;
  bool is_thread_reply = false;
  int64_t reply_count = 0;
  std::optional<std::string> user_name;  // null when users.list does not know the user
  std::optional<std::string> user_real_name;
  std::vector<std::string> jira_tickets;
  std::string channel_id;
  std::optional<std::string> subtype;
  std::optional<std::string> bot_id;
  std::optional<std::string> edited_ts;
  bool operator==(const MessageRow&) const = default;
};

struct UserRow {
  std::string id;
  std::string name;
  std::optional<std::string> real_name;
  std::optional<std::string> display_name;
  bool is_bot = false;
  bool deleted = false;
  std::optional<std::string> tz;
};

// One row of raw/jira/dt=*/data.parquet: a ticket mentioned that day.
struct JiraRow {
  std::string key;
  std::optional<std::string> summary, status, type, priority, assignee, reporter, created, updated;
  std::vector<std::string> labels;
  int64_t mention_count = 0;
  std::vector<std::string> channels;  // sorted channel names
};

// How the cache's files are compressed (--codec, --compression-level; docs/schema.md).
struct Compression {
  parquet::Codec codec = parquet::Codec::kZstd;
  int level = 0;  // 0: the codec's default
};

parquet::Schema MessageSchema();
parquet::Schema UserSchema();
parquet::Schema JiraSchema();

// Parquet bytes for the rows, sorted (messages by ts, users by id, tickets by key): identical
// rows always give identical bytes. Text that is not UTF-8 is repaired (U+FFFD).
Result<std::string> EncodeMessages(std::vector<MessageRow> rows,
                                   const Compression& compression = {});
Result<std::string> EncodeUsers(std::vector<UserRow> rows, const Compression& compression = {});
Result<std::string> EncodeJira(std::vector<JiraRow> rows, const Compression& compression = {});

// Appends the row's values, one per column of MessageSchema(), to `writer` (the caller ends
// the row): how every messages file is written, the benchmark's included.
void AppendMessage(parquet::FileWriter& writer, const MessageRow& row);

// The rows of a messages file we wrote. Errors: kCorruption, kInvalidArgument (another schema).
Result<std::vector<MessageRow>> DecodeMessages(std::string bytes);

// Slack's "1452837352.000006" -> "2016-01-15T05:55:52.000006Z"; and the seconds part.
std::string TsToIso(const std::string& ts);
int64_t TsSeconds(const std::string& ts);
// Orders ts strings numerically ("999.1" < "1000.0").
bool TsLess(const std::string& a, const std::string& b);

}  // namespace slack_intel::cache

#pragma once

// Realistic Slack message rows for benchmarks: the message schema of the cache (the user's
// Athena table, then channel_id, subtype and edited_ts), a seeded generator, the rows' value
// bytes, and a newline-delimited JSON export so other engines can load the identical rows.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "parquet/file_writer.h"
#include "parquet/schema.h"
#include "util/status.h"

namespace slack_intel::bench {

// One message as the cache stores it. Optional fields are nullable columns.
struct MessageRow {
  std::string message_id;  // the message's ts
  std::optional<std::string> user_id;
  std::string text;
  std::string timestamp;  // Slack ts: "1714564800.123456"
  std::optional<std::string> thread_ts;
  bool is_thread_parent = false;
  bool is_thread_reply = false;
  int64_t reply_count = 0;
  std::optional<std::string> user_name;
  std::optional<std::string> user_real_name;
  std::vector<std::string> jira_tickets;  // keys in `text`, in order of first appearance
  std::string channel_id;
  std::optional<std::string> subtype;    // mostly null
  std::optional<std::string> edited_ts;  // mostly null
};

// message_id STRING, user_id STRING, text STRING, timestamp STRING, thread_ts STRING,
// is_thread_parent BOOLEAN, is_thread_reply BOOLEAN, reply_count INT64, user_name STRING,
// user_real_name STRING, jira_tickets LIST<STRING>, channel_id STRING, subtype STRING,
// edited_ts STRING. Every column is OPTIONAL, as in the Athena table and as DuckDB writes them.
parquet::Schema MessageSchema();

// `count` messages from ~200 users in ~60 channels, ts ascending from 2024-05-01 about 20 s
// apart. Text lengths follow a log-normal (median ~60 bytes, most 20-200) with a tail of code
// blocks and stack traces up to ~4 KB; some text is multi-byte (accents, CJK, Cyrillic, emoji);
// ~8% mention Jira keys (PROJ-123), which also fill jira_tickets. ~10% are thread replies and
// ~3% thread parents with reply_count > 0. The same count and seed always give the same rows
// (the generator uses no std:: distribution, whose output varies between libraries).
std::vector<MessageRow> GenerateMessages(size_t count, uint64_t seed);

// Sum of the value bytes of `rows`: UTF-8 bytes of each string (list elements included),
// 1 per BOOLEAN, 8 per BIGINT, 0 per null. The "input bytes" of every MB/s figure.
uint64_t ValueBytes(const std::vector<MessageRow>& rows);

// Appends one row to `writer`, whose schema must be MessageSchema().
void AppendMessage(parquet::FileWriter& writer, const MessageRow& row);

// Writes `rows` as newline-delimited JSON, one object per row with the schema's column names;
// nulls as null, the list as an array. Errors: kIOError.
Status WriteNdjson(const std::vector<MessageRow>& rows, const std::filesystem::path& path);

}  // namespace slack_intel::bench

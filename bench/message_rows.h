#pragma once

// Realistic Slack message rows for benchmarks, as the cache stores them (cache/tables.h: the
// user's Athena table, then channel_id, subtype, bot_id and edited_ts): a seeded generator, the
// rows' value bytes, and a newline-delimited JSON export so other engines can load the
// identical rows.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cache/tables.h"
#include "util/status.h"

namespace slack_intel::bench {

// One message as the cache stores it (cache/tables.h): the benchmark writes what `cache`
// and `import` write, with the same schema and the same append code.
using cache::MessageRow;

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

// Writes `rows` as newline-delimited JSON, one object per row with the schema's column names;
// nulls as null, the list as an array. Errors: kIOError.
Status WriteNdjson(const std::vector<MessageRow>& rows, const std::filesystem::path& path);

}  // namespace slack_intel::bench

#pragma once

#include <initializer_list>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "cache/cache_runner.h"
#include "config/config_file.h"
#include "jira/jira_client.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// What `cache` and `import` share on the way from a Slack source to the terminal.

// The first of the environment variables `names` that is set, else the config file's
// value, else "".
std::string Setting(std::initializer_list<const char*> names,
                    const std::optional<std::string>& configured);

// A Jira client when JIRA_URL, JIRA_EMAIL and JIRA_API_TOKEN (or the config file's jira.url,
// jira.email, jira.api_token) are all set; else null (tickets carry their key alone).
std::unique_ptr<jira::JiraClient> MakeJiraClient(const config::ConfigFile& config);

// --codec zstd|snappy|gzip|none and --compression-level N (0: the codec's default), for the
// files cache and import write. Errors: kInvalidArgument naming the codec's levels.
Result<cache::Compression> ParseCompression(const std::string& codec, int level);
// Adds --codec and --compression-level to `command`. REQUIRES: both outlive parsing.
void AddCompressionFlags(CLI::App& command, std::string& codec, int& level);

struct CacheOutputOptions {
  bool json = false;     // one JSON object per event on stdout
  bool quiet = false;    // no per-channel lines
  bool progress = true;  // a live line on stderr, when it is a terminal
  bool api = true;       // the source is the Web API: the line shows calls and rate limits
};

// Runs cache::RunCache, printing each event (a line per channel, warnings on stderr, or JSON
// lines) and keeping a progress line on a terminal. Errors have secrets redacted.
Result<cache::CacheSummary> RunCacheWithOutput(const cache::CacheSettings& settings,
                                               const cache::Calendar& calendar,
                                               slack::SlackSource& source, jira::JiraClient* jira,
                                               const CacheOutputOptions& output);

// The summary fields both commands print with --json.
nlohmann::ordered_json SummaryJson(const cache::CacheSettings& settings,
                                   const cache::CacheSummary& summary, const std::string& timezone);

}  // namespace slack_intel::cli

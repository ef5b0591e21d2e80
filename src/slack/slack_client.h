#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "slack/rate_pacer.h"
#include "slack/slack_source.h"
#include "slack/slack_types.h"
#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/http/retry.h"
#include "util/result.h"

namespace slack_intel::slack {

struct SlackClientOptions {
  std::string base_url = "https://slack.com/api";  // SLACK_API_URL; no trailing slash
  std::string token;                               // never logged
  const Clock* clock = &SystemClock();
  http::RetryPolicy retry;  // for HTTP 5xx and transport failures; 429s are always waited out
  std::function<std::unique_ptr<http::HttpClient>()>
      make_http_client;  // default: http::MakeHttpClient()
};

// A Slack Web API client: form-encoded POSTs with a bearer token, cursor paging at each
// method's largest page, and rate limits honoured: every 429 is waited out for its
// Retry-After, and each method is paced by a RatePacer (rate_pacer.h). Errors
// (docs/cache-layout.md lists them):
//   invalid_auth, token_revoked, not_authed, account_inactive -> kUnauthenticated
//   missing_scope -> kPermissionDenied naming the scope; not_in_channel -> kFailedPrecondition
//   channel_not_found, thread_not_found -> kNotFound
//   a reply that is not JSON -> kCorruption naming the method and cursor
// Not thread-safe.
// What auth.test says of a token, and the scopes Slack names in its x-oauth-scopes header.
struct TokenInfo {
  std::string team, user;
  bool bot = false;                                // a bot token (auth.test has a bot_id)
  std::optional<std::vector<std::string>> scopes;  // nullopt when the reply did not say
};

class SlackClient : public SlackSource {
 public:
  explicit SlackClient(SlackClientOptions options);
  ~SlackClient();

  // The workspace (team) name the token belongs to.
  Result<std::string> AuthTest() override;
  // auth.test in full, for `doctor`.
  Result<TokenInfo> CheckToken();
  // One conversations.history page of at most `limit` messages: how many came, and whether
  // Slack has more. `doctor` tells an app capped at 15 messages a call from one that is not.
  struct HistoryPage {
    int messages = 0;
    bool has_more = false;
  };
  Result<HistoryPage> FirstHistoryPage(const std::string& channel, int limit);
  // Public and private channels the token can see (conversations.list, every page).
  Result<std::vector<Channel>> ListChannels(bool include_archived) override;
  Result<std::vector<User>> ListUsers() override;
  // Messages of a channel with oldest <= ts <= latest (conversations.history, every page),
  // newest first as Slack returns them. "" = unbounded.
  Result<std::vector<Message>> History(const std::string& channel, const std::string& oldest,
                                       const std::string& latest) override;
  // A thread: the parent, then its replies (conversations.replies, every page).
  Result<std::vector<Message>> Replies(const std::string& channel,
                                       const std::string& thread_ts) override;

  const SlackCallStats& stats() const override { return stats_; }

 private:
  // One call, waiting out rate limits and retrying transient failures. Returns the parsed
  // reply with ok == true.
  Result<nlohmann::json> Call(const std::string& method,
                              const std::vector<std::pair<std::string, std::string>>& params);
  // Every page of a cursor-paged method; `each_page` gets every reply.
  Status CallPaged(const std::string& method,
                   std::vector<std::pair<std::string, std::string>> params,
                   const std::function<Status(const nlohmann::json&)>& each_page);

  SlackClientOptions options_;
  std::unique_ptr<http::HttpClient> http_;
  http::Backoff backoff_;
  http::ServerHealth health_;
  SlackCallStats stats_;
  RatePacer pacer_;
  std::optional<std::string> oauth_scopes_;  // the last reply's x-oauth-scopes header
};

}  // namespace slack_intel::slack

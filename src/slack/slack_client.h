#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

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
// method's largest page, and rate limits honoured: a 429 is waited out for its Retry-After
// and from then on that method is paced at its tier's rate (Slack allows bursts, so calls go
// unpaced until the first 429). Errors (docs/cache-layout.md lists them):
//   invalid_auth, token_revoked, not_authed, account_inactive -> kUnauthenticated
//   missing_scope -> kPermissionDenied naming the scope; not_in_channel -> kFailedPrecondition
//   channel_not_found, thread_not_found -> kNotFound
//   a reply that is not JSON -> kCorruption naming the method and cursor
// Not thread-safe.
class SlackClient : public SlackSource {
 public:
  explicit SlackClient(SlackClientOptions options);
  ~SlackClient();

  // The workspace (team) name the token belongs to.
  Result<std::string> AuthTest() override;
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
  // Waits, if this method is paced, until its next call is due.
  void Pace(const std::string& method);
  // After a 429: paces the method at the rate that got through in the last minute.
  void LearnRateLimit(const std::string& method);

  struct Pacing {
    std::chrono::milliseconds interval{0};
    std::chrono::system_clock::time_point next_call{};
  };

  SlackClientOptions options_;
  std::unique_ptr<http::HttpClient> http_;
  http::Backoff backoff_;
  SlackCallStats stats_;
  std::map<std::string, Pacing> pacing_;  // methods that hit a 429
  std::map<std::string, std::deque<std::chrono::system_clock::time_point>> recent_calls_;
};

// Slack's per-method rate-limit tier (2, 3 or 4), for pacing.
int MethodTier(const std::string& method);

}  // namespace slack_intel::slack

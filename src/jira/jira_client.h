#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/http/retry.h"
#include "util/result.h"

namespace slack_intel::jira {

// The fields of a ticket the cache keeps (strings as Jira gives them; null when absent).
struct Issue {
  std::string key;
  std::optional<std::string> summary, status, type, priority, assignee, reporter, created, updated;
  std::vector<std::string> labels;
};

struct JiraClientOptions {
  std::string base_url;   // JIRA_URL: "https://acme.atlassian.net", no trailing slash
  std::string email;      // JIRA_EMAIL
  std::string api_token;  // JIRA_API_TOKEN; never logged
  const Clock* clock = &SystemClock();
  http::RetryPolicy retry;
  std::function<std::unique_ptr<http::HttpClient>()>
      make_http_client;  // default: http::MakeHttpClient()
};

// Jira Cloud's enhanced search (POST /rest/api/3/search/jql; the old /search is gone): tickets
// by key, 50 keys a query, every page (nextPageToken). Keys Jira says do not exist (a 400
// naming them) are dropped and the query repeated; 429s are waited out (Retry-After), 5xx and
// dropped connections retried. Errors: kUnauthenticated (401: the email or token is wrong),
// kPermissionDenied (403), kCorruption (a reply that is not the search's JSON). Not
// thread-safe.
class JiraClient {
 public:
  explicit JiraClient(JiraClientOptions options);
  ~JiraClient();

  // The tickets that exist among `keys`, in no particular order.
  Result<std::vector<Issue>> FetchIssues(const std::vector<std::string>& keys);
  // The display name of the account the credentials belong to (GET /rest/api/3/myself).
  // Errors: kUnauthenticated (401), as Search's.
  Result<std::string> Myself();
  int64_t calls() const { return calls_; }

 private:
  Result<std::vector<Issue>> Search(std::vector<std::string> keys);
  // One request, retried under the policy and through 429s; 5xx after the last attempt and
  // transport failures are errors, any other reply is returned.
  Result<http::Response> Send(const http::Request& request);

  JiraClientOptions options_;
  std::unique_ptr<http::HttpClient> http_;
  http::Backoff backoff_;
  http::ServerHealth health_;
  int64_t calls_ = 0;
};

}  // namespace slack_intel::jira

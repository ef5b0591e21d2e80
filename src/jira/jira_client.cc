#include "jira/jira_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "util/http/basic_auth.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::jira {
namespace {

using nlohmann::json;

constexpr size_t kKeysPerQuery = 50;  // keeps the JQL short; Jira has a query-length limit
constexpr int kMaxRateLimitWaits = 100;

std::optional<std::string> Text(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// A field that is an object with a name ("status": {"name": "Done"}), or a person.
std::optional<std::string> Named(const json& fields, const char* name, const char* member) {
  auto it = fields.find(name);
  if (it == fields.end() || !it->is_object()) return std::nullopt;
  return Text(*it, member);
}

Issue ParseIssue(const json& raw) {
  Issue issue;
  issue.key = Text(raw, "key").value_or("");
  auto fields = raw.find("fields");
  if (fields == raw.end() || !fields->is_object()) return issue;
  issue.summary = Text(*fields, "summary");
  issue.status = Named(*fields, "status", "name");
  issue.type = Named(*fields, "issuetype", "name");
  issue.priority = Named(*fields, "priority", "name");
  issue.assignee = Named(*fields, "assignee", "displayName");
  issue.reporter = Named(*fields, "reporter", "displayName");
  issue.created = Text(*fields, "created");
  issue.updated = Text(*fields, "updated");
  if (auto labels = fields->find("labels"); labels != fields->end() && labels->is_array()) {
    for (const json& label : *labels)
      if (label.is_string()) issue.labels.push_back(label.get<std::string>());
    std::sort(issue.labels.begin(), issue.labels.end());
  }
  return issue;
}

// The keys a 400 says do not exist: "An issue with key 'ABC-9' does not exist for field
// 'key'." and "The issue key 'x' for field 'key' is invalid.".
std::vector<std::string> RejectedKeys(const json& reply) {
  std::vector<std::string> keys;
  auto messages = reply.find("errorMessages");
  if (messages == reply.end() || !messages->is_array()) return keys;
  for (const json& message : *messages) {
    if (!message.is_string()) continue;
    const std::string text = message.get<std::string>();
    const size_t open = text.find('\'');
    const size_t close = open == std::string::npos ? open : text.find('\'', open + 1);
    if (close != std::string::npos && (text.find("does not exist") != std::string::npos ||
                                       text.find("is invalid") != std::string::npos)) {
      keys.push_back(text.substr(open + 1, close - open - 1));
    }
  }
  return keys;
}

}  // namespace

JiraClient::JiraClient(JiraClientOptions options)
    : options_(std::move(options)),
      http_(options_.make_http_client ? options_.make_http_client() : http::MakeHttpClient()),
      backoff_(options_.retry) {}

JiraClient::~JiraClient() = default;

Result<http::Response> JiraClient::Send(const http::Request& request) {
  http::Retrier retrier(backoff_, *options_.clock, &health_, "Jira at " + options_.base_url);
  for (int waits = 0;;) {
    SLACK_INTEL_RETURN_IF_ERROR(retrier.BeforeAttempt().WithContext("jira search"));
    ++calls_;
    auto sent = http_->Send(request);
    if (!sent.ok()) {
      Status final = retrier.AfterFailure(sent.status());
      if (final.ok()) continue;
      return final.WithContext("jira search");
    }
    retrier.Answered();
    if (sent->status >= 500 && retrier.AfterTransientReply(http::RetryAfter(*sent))) continue;
    if (sent->status == 429 && ++waits < kMaxRateLimitWaits) {
      retrier.Uncount();  // waiting out a limit is not a failed attempt
      options_.clock->SleepFor(std::max<std::chrono::milliseconds>(
          std::chrono::seconds(1), http::RetryAfter(*sent).value_or(std::chrono::seconds(1))));
      continue;
    }
    if (sent->status >= 500) {
      return Status::Unavailable(
          fmt::format("jira search: HTTP {}{}", sent->status, retrier.AttemptsNote()));
    }
    return sent;
  }
}

Result<std::vector<Issue>> JiraClient::Search(std::vector<std::string> keys) {
  std::vector<Issue> issues;
  std::string page_token;
  std::set<std::string> page_tokens_used;
  while (!keys.empty()) {
    json body = {{"jql", fmt::format("key in ({})", fmt::join(keys, ","))},
                 {"fields",
                  {"summary", "status", "issuetype", "priority", "assignee", "reporter", "created",
                   "updated", "labels"}},
                 {"maxResults", 100}};
    if (!page_token.empty()) body["nextPageToken"] = page_token;
    http::Request request;
    request.method = "POST";
    request.url = options_.base_url + "/rest/api/3/search/jql";
    request.headers = {
        {"authorization", http::BasicAuthorization(options_.email, options_.api_token)},
        {"content-type", "application/json"},
        {"accept", "application/json"}};
    request.body = body.dump();
    SLACK_INTEL_ASSIGN_OR_RETURN(http::Response sent, Send(request));
    if (sent.status == 401) {
      return Status::Unauthenticated(
          "jira search: HTTP 401 (check JIRA_EMAIL and JIRA_API_TOKEN: an Atlassian API token "
          "of that account)");
    }
    if (sent.status == 403) {
      return Status::PermissionDenied(
          "jira search: HTTP 403 (the account may not browse these projects)");
    }
    const json reply = json::parse(sent.body, nullptr, false);
    if (sent.status == 400) {
      const std::vector<std::string> rejected = RejectedKeys(reply);
      if (rejected.empty() || !page_token.empty()) {
        return Status::InvalidArgument(
            fmt::format("jira search: HTTP 400: {}", sent.body.substr(0, 300)));
      }
      std::erase_if(keys, [&](const std::string& k) {
        return std::find(rejected.begin(), rejected.end(), k) != rejected.end();
      });
      spdlog::debug("jira: {} key(s) do not exist: {}", rejected.size(), fmt::join(rejected, ", "));
      continue;
    }
    if (sent.status != 200) {
      return Status::Unavailable(fmt::format("jira search: HTTP {}", sent.status));
    }
    auto list = reply.is_object() ? reply.find("issues") : reply.end();
    if (!reply.is_object() || list == reply.end() || !list->is_array()) {
      return Status::Corruption("jira search: the reply is not a search result");
    }
    for (const json& raw : *list) issues.push_back(ParseIssue(raw));
    page_token = Text(reply, "nextPageToken").value_or("");
    if (page_token.empty()) break;
    if (!page_tokens_used.insert(page_token).second) {
      return Status::Corruption(
          "jira search: the reply names a page token it gave before: its pages would never end");
    }
  }
  return issues;
}

Result<std::string> JiraClient::Myself() {
  http::Request request;
  request.method = "GET";
  request.url = options_.base_url + "/rest/api/3/myself";
  request.headers = {
      {"authorization", http::BasicAuthorization(options_.email, options_.api_token)},
      {"accept", "application/json"}};
  SLACK_INTEL_ASSIGN_OR_RETURN(http::Response sent, Send(request));
  if (sent.status == 401) {
    return Status::Unauthenticated(
        "jira: HTTP 401 (check JIRA_EMAIL and JIRA_API_TOKEN: an Atlassian API token of that "
        "account)");
  }
  if (sent.status != 200) {
    return Status::Unavailable(fmt::format("jira myself: HTTP {}", sent.status));
  }
  const json reply = json::parse(sent.body, nullptr, false);
  if (!reply.is_object()) return Status::Corruption("jira myself: the reply is not JSON");
  return Text(reply, "displayName").value_or(Text(reply, "emailAddress").value_or("?"));
}

Result<std::vector<Issue>> JiraClient::FetchIssues(const std::vector<std::string>& keys) {
  std::vector<Issue> issues;
  for (size_t start = 0; start < keys.size(); start += kKeysPerQuery) {
    std::vector<std::string> batch(
        keys.begin() + static_cast<std::ptrdiff_t>(start),
        keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), start + kKeysPerQuery)));
    SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<Issue> found, Search(std::move(batch)));
    for (Issue& issue : found) issues.push_back(std::move(issue));
  }
  return issues;
}

}  // namespace slack_intel::jira

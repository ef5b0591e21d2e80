#include "slack/slack_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "slack/slack_json.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::slack {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;
using nlohmann::json;

constexpr int kMaxRateLimitWaits = 1000;  // per call; a 429 never fails the run
constexpr auto kRateWindow = std::chrono::seconds(60);

std::string FormEncode(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    for (const std::string* part : {&name, &value}) {
      for (unsigned char c : *part) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
          out += static_cast<char>(c);
        } else {
          out += fmt::format("%{:02X}", c);
        }
      }
      if (part == &name) out += '=';
    }
  }
  return out;
}

// What to do about a Slack error code: the status a user sees, with the remedy.
Status SlackError(const std::string& method, const json& reply) {
  const std::string code = TextField(reply, "error");
  const std::string what = fmt::format("slack {}: {}", method, code);
  if (code == "invalid_auth" || code == "token_revoked" || code == "not_authed" ||
      code == "account_inactive" || code == "token_expired") {
    return Status::Unauthenticated(fmt::format(
        "{} (the Slack token in SLACK_TOKEN is not valid; create or reinstall the app's token "
        "and export it again)",
        what));
  }
  if (code == "missing_scope") {
    return Status::PermissionDenied(fmt::format(
        "{} (the token lacks the scope '{}'; add it to the Slack app and reinstall it{})", what,
        TextField(reply, "needed"),
        TextField(reply, "provided").empty() ? "" : "; it has: " + TextField(reply, "provided")));
  }
  if (code == "not_in_channel") return Status::FailedPrecondition(what);
  if (code == "channel_not_found" || code == "thread_not_found") return Status::NotFound(what);
  return Status::Unavailable(what);
}

}  // namespace

int MethodTier(const std::string& method) {
  if (method == "conversations.list" || method == "users.list") return 2;
  if (method == "conversations.history" || method == "conversations.replies") return 3;
  return 4;
}

SlackClient::SlackClient(SlackClientOptions options)
    : options_(std::move(options)),
      http_(options_.make_http_client ? options_.make_http_client() : http::MakeHttpClient()),
      backoff_(options_.retry) {}

SlackClient::~SlackClient() = default;

void SlackClient::Pace(const std::string& method) {
  auto it = pacing_.find(method);
  if (it == pacing_.end()) return;  // no 429 yet: Slack allows bursts
  const auto now = options_.clock->Now();
  if (it->second.next_call > now) {
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(it->second.next_call - now);
    stats_.rate_limit_wait_seconds += wait.count() / 1000.0;
    options_.clock->SleepFor(wait);
  }
  it->second.next_call = options_.clock->Now() + it->second.interval;
}

void SlackClient::LearnRateLimit(const std::string& method) {
  // The calls that got through in the last window are what the server allows per window:
  // from now on, calls are spaced evenly at that rate.
  const auto now = options_.clock->Now();
  auto& recent = recent_calls_[method];
  while (!recent.empty() && now - recent.front() > kRateWindow) recent.pop_front();
  const auto allowed = static_cast<int64_t>(std::max<size_t>(recent.size(), 1));
  Pacing& pacing = pacing_[method];
  pacing.interval = std::chrono::duration_cast<std::chrono::milliseconds>(kRateWindow) / allowed;
}

Result<json> SlackClient::Call(const std::string& method, const Params& params) {
  const std::string cursor = [&] {
    for (const auto& [name, value] : params)
      if (name == "cursor") return value;
    return std::string();
  }();
  const std::string where = cursor.empty() ? method : fmt::format("{} (cursor {})", method, cursor);
  int attempt = 0;
  for (int waits = 0; waits < kMaxRateLimitWaits;) {
    Pace(method);
    http::Request request;
    request.method = "POST";
    request.url = options_.base_url + "/" + method;
    request.headers = {{"authorization", "Bearer " + options_.token},
                       {"content-type", "application/x-www-form-urlencoded"}};
    request.body = FormEncode(params);
    ++stats_.calls;
    auto sent = http_->Send(request);
    const bool transient =
        !sent.ok() ? sent.status().code() == StatusCode::kUnavailable : sent->status >= 500;
    if (transient) {
      if (++attempt < std::max(1, options_.retry.max_attempts)) {
        options_.clock->SleepFor(backoff_.DelayBeforeRetry(attempt));
        continue;
      }
      return !sent.ok() ? sent.status().WithContext("slack " + where)
                        : Status::Unavailable(fmt::format("slack {}: HTTP {} ({} attempts)", where,
                                                          sent->status, attempt));
    }
    if (!sent.ok()) return sent.status().WithContext("slack " + where);
    json reply = json::parse(sent->body, nullptr, false);
    const bool limited =
        sent->status == 429 || (reply.is_object() && TextField(reply, "error") == "ratelimited");
    if (limited) {
      ++stats_.rate_limited;
      ++waits;
      LearnRateLimit(method);
      const auto retry_after = sent->header("retry-after");
      const long seconds =
          retry_after ? std::max(0L, std::strtol(retry_after->c_str(), nullptr, 10)) : 1;
      spdlog::debug("slack {}: rate limited, waiting {} s", method, seconds);
      stats_.rate_limit_wait_seconds += static_cast<double>(seconds);
      options_.clock->SleepFor(std::chrono::seconds(std::max(1L, seconds)));
      continue;
    }
    if (sent->status != 200) {
      return Status::Unavailable(fmt::format("slack {}: HTTP {}", where, sent->status));
    }
    if (!reply.is_object() || !reply.contains("ok")) {
      return Status::Corruption(
          fmt::format("slack {}: the reply is not a Slack API object", where));
    }
    if (!FlagField(reply, "ok")) return SlackError(method, reply);
    recent_calls_[method].push_back(options_.clock->Now());
    if (recent_calls_[method].size() > 10000) recent_calls_[method].pop_front();
    return reply;
  }
  return Status::Unavailable(
      fmt::format("slack {}: still rate limited after {} waits", where, kMaxRateLimitWaits));
}

Status SlackClient::CallPaged(const std::string& method, Params params,
                              const std::function<Status(const json&)>& each_page) {
  params.push_back({"cursor", ""});
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(json reply, Call(method, params));
    SLACK_INTEL_RETURN_IF_ERROR(each_page(reply));
    std::string next;
    if (auto meta = reply.find("response_metadata"); meta != reply.end() && meta->is_object())
      next = TextField(*meta, "next_cursor");
    if (next.empty()) return Status::OK();
    params.back().second = next;
  }
}

Result<std::string> SlackClient::AuthTest() {
  SLACK_INTEL_ASSIGN_OR_RETURN(json reply, Call("auth.test", {}));
  return TextField(reply, "team");
}

Result<std::vector<Channel>> SlackClient::ListChannels(bool include_archived) {
  std::vector<Channel> channels;
  SLACK_INTEL_RETURN_IF_ERROR(CallPaged("conversations.list",
                                        {{"types", "public_channel,private_channel"},
                                         {"exclude_archived", include_archived ? "false" : "true"},
                                         {"limit", "1000"}},
                                        [&](const json& page) {
                                          auto list = page.find("channels");
                                          if (list == page.end() || !list->is_array())
                                            return Status::Corruption(
                                                "slack conversations.list: no channels array");
                                          for (const json& c : *list)
                                            channels.push_back(ParseChannel(c));
                                          return Status::OK();
                                        }));
  return channels;
}

Result<std::vector<User>> SlackClient::ListUsers() {
  std::vector<User> users;
  SLACK_INTEL_RETURN_IF_ERROR(CallPaged("users.list", {{"limit", "1000"}}, [&](const json& page) {
    auto list = page.find("members");
    if (list == page.end() || !list->is_array())
      return Status::Corruption("slack users.list: no members array");
    for (const json& u : *list) users.push_back(ParseUser(u));
    return Status::OK();
  }));
  return users;
}

namespace {

Status AppendMessages(const std::string& method, const json& page, std::vector<Message>& out) {
  auto list = page.find("messages");
  if (list == page.end() || !list->is_array())
    return Status::Corruption(fmt::format("slack {}: no messages array", method));
  for (const json& m : *list) {
    if (!m.is_object() || TextField(m, "ts").empty())
      return Status::Corruption(fmt::format("slack {}: a message without ts", method));
    out.push_back(ParseMessage(m));
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<Message>> SlackClient::History(const std::string& channel,
                                                  const std::string& oldest,
                                                  const std::string& latest) {
  std::vector<Message> messages;
  Params params = {{"channel", channel}, {"limit", "999"}, {"inclusive", "true"}};
  if (!oldest.empty()) params.push_back({"oldest", oldest});
  if (!latest.empty()) params.push_back({"latest", latest});
  SLACK_INTEL_RETURN_IF_ERROR(CallPaged("conversations.history", params, [&](const json& page) {
    return AppendMessages("conversations.history", page, messages);
  }));
  return messages;
}

Result<std::vector<Message>> SlackClient::Replies(const std::string& channel,
                                                  const std::string& thread_ts) {
  std::vector<Message> messages;
  SLACK_INTEL_RETURN_IF_ERROR(CallPaged(
      "conversations.replies", {{"channel", channel}, {"ts", thread_ts}, {"limit", "1000"}},
      [&](const json& page) { return AppendMessages("conversations.replies", page, messages); }));
  // Some pages repeat the parent: keep each ts once.
  std::sort(messages.begin(), messages.end(),
            [](const Message& a, const Message& b) { return a.ts < b.ts; });
  messages.erase(std::unique(messages.begin(), messages.end(),
                             [](const Message& a, const Message& b) { return a.ts == b.ts; }),
                 messages.end());
  return messages;
}

}  // namespace slack_intel::slack

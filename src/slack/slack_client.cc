#include "slack/slack_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "slack/slack_json.h"
#include "util/http/socket_http_client.h"
#include "util/utf8.h"

namespace slack_intel::slack {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;
using nlohmann::json;

constexpr int kMaxRateLimitWaits = 1000;  // per call; a 429 never fails the run

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

SlackClient::SlackClient(SlackClientOptions options)
    : options_(std::move(options)),
      http_(options_.make_http_client ? options_.make_http_client() : http::MakeHttpClient()),
      backoff_(options_.retry),
      pacer_(*options_.clock) {}

SlackClient::~SlackClient() = default;

Result<json> SlackClient::Call(const std::string& method, const Params& params) {
  const std::string cursor = [&] {
    for (const auto& [name, value] : params)
      if (name == "cursor") return value;
    return std::string();
  }();
  const std::string where = cursor.empty() ? method : fmt::format("{} (cursor {})", method, cursor);
  http::Retrier retrier(backoff_, *options_.clock, &health_,
                        "the Slack API at " + options_.base_url);
  for (int waits = 0; waits < kMaxRateLimitWaits;) {
    SLACK_INTEL_RETURN_IF_ERROR(retrier.BeforeAttempt().WithContext("slack " + where));
    stats_.rate_limit_wait_seconds += pacer_.Wait(method).count() / 1000.0;
    http::Request request;
    request.method = "POST";
    request.url = options_.base_url + "/" + method;
    request.headers = {{"authorization", "Bearer " + options_.token},
                       {"content-type", "application/x-www-form-urlencoded"}};
    request.body = FormEncode(params);
    ++stats_.calls;
    auto sent = http_->Send(request);
    if (!sent.ok()) {
      Status final = retrier.AfterFailure(sent.status());
      if (final.ok()) continue;
      return final.WithContext("slack " + where);
    }
    retrier.Answered();
    if (sent->status >= 500) {
      if (retrier.AfterTransientReply(http::RetryAfter(*sent))) continue;
      return Status::Unavailable(
          fmt::format("slack {}: HTTP {}{}", where, sent->status, retrier.AttemptsNote()));
    }
    // Slack sends UTF-8; a stray invalid byte in one message must not fail the run (the
    // export reader repairs its files the same way).
    if (!IsValidUtf8(sent->body)) sent->body = SanitizeUtf8(sent->body);
    json reply = json::parse(sent->body, nullptr, false);
    const bool limited =
        sent->status == 429 || (reply.is_object() && TextField(reply, "error") == "ratelimited");
    if (limited) {
      ++stats_.rate_limited;
      ++waits;
      retrier.Uncount();  // waiting out a limit is not a failed attempt
      const auto retry_after = http::RetryAfter(*sent).value_or(std::chrono::seconds(1));
      pacer_.Limited(method, retry_after);
      spdlog::debug("slack {}: rate limited, Retry-After {} ms; paced at {:.1f} calls/min", method,
                    retry_after.count(), pacer_.calls_per_minute(method));
      continue;
    }
    if (sent->status != 200) {
      return Status::Unavailable(fmt::format("slack {}: HTTP {}", where, sent->status));
    }
    if (!reply.is_object() || !reply.contains("ok")) {
      return Status::Corruption(
          fmt::format("slack {}: the reply is not a Slack API object", where));
    }
    pacer_.Succeeded(method);  // answered within the limit, whatever it says
    oauth_scopes_ = sent->header("x-oauth-scopes");
    if (!FlagField(reply, "ok")) return SlackError(method, reply);
    return reply;
  }
  return Status::Unavailable(
      fmt::format("slack {}: still rate limited after {} waits", where, kMaxRateLimitWaits));
}

Status SlackClient::CallPaged(const std::string& method, Params params,
                              const std::function<Status(const json&)>& each_page) {
  params.push_back({"cursor", ""});
  std::set<std::string> cursors_used;
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(json reply, Call(method, params));
    SLACK_INTEL_RETURN_IF_ERROR(each_page(reply));
    std::string next;
    if (auto meta = reply.find("response_metadata"); meta != reply.end() && meta->is_object())
      next = TextField(*meta, "next_cursor");
    if (next.empty()) return Status::OK();
    // A cursor handed out twice would page forever.
    if (!cursors_used.insert(next).second) {
      return Status::Corruption(fmt::format(
          "slack {}: the reply names cursor {} again: its pages would never end", method, next));
    }
    params.back().second = next;
  }
}

Result<std::string> SlackClient::AuthTest() {
  SLACK_INTEL_ASSIGN_OR_RETURN(json reply, Call("auth.test", {}));
  return TextField(reply, "team");
}

Result<TokenInfo> SlackClient::CheckToken() {
  oauth_scopes_.reset();
  SLACK_INTEL_ASSIGN_OR_RETURN(json reply, Call("auth.test", {}));
  TokenInfo info;
  info.team = TextField(reply, "team");
  info.user = TextField(reply, "user");
  info.bot = !TextField(reply, "bot_id").empty();
  if (oauth_scopes_) {
    std::vector<std::string> scopes;
    std::string_view rest = *oauth_scopes_;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      std::string_view scope = rest.substr(0, comma);
      while (!scope.empty() && scope.front() == ' ') scope.remove_prefix(1);
      while (!scope.empty() && scope.back() == ' ') scope.remove_suffix(1);
      if (!scope.empty()) scopes.emplace_back(scope);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    info.scopes = std::move(scopes);
  }
  return info;
}

Result<SlackClient::HistoryPage> SlackClient::FirstHistoryPage(const std::string& channel,
                                                               int limit) {
  SLACK_INTEL_ASSIGN_OR_RETURN(
      json reply,
      Call("conversations.history", {{"channel", channel}, {"limit", std::to_string(limit)}}));
  HistoryPage page;
  if (auto list = reply.find("messages"); list != reply.end() && list->is_array())
    page.messages = static_cast<int>(list->size());
  page.has_more = FlagField(reply, "has_more");
  return page;
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

// A message without a usable ts cannot be keyed or partitioned: it is skipped, counted and
// warned about, and the rest of the page kept.
Status AppendMessages(const std::string& method, const json& page, std::vector<Message>& out,
                      SlackCallStats& stats) {
  auto list = page.find("messages");
  if (list == page.end() || !list->is_array())
    return Status::Corruption(fmt::format("slack {}: no messages array", method));
  int64_t without_ts = 0;
  for (const json& m : *list) {
    if (!m.is_object() || !TsMicros(TextField(m, "ts"))) {
      ++without_ts;
      continue;
    }
    out.push_back(ParseMessage(m));
  }
  if (without_ts > 0) {
    stats.messages_without_ts += without_ts;
    spdlog::warn("slack {}: {} message(s) without a valid ts skipped", method, without_ts);
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
    return AppendMessages("conversations.history", page, messages, stats_);
  }));
  return messages;
}

Result<std::vector<Message>> SlackClient::Replies(const std::string& channel,
                                                  const std::string& thread_ts) {
  std::vector<Message> messages;
  SLACK_INTEL_RETURN_IF_ERROR(CallPaged(
      "conversations.replies", {{"channel", channel}, {"ts", thread_ts}, {"limit", "1000"}},
      [&](const json& page) {
        return AppendMessages("conversations.replies", page, messages, stats_);
      }));
  // Some pages repeat the parent: keep each ts once.
  std::sort(messages.begin(), messages.end(),
            [](const Message& a, const Message& b) { return a.ts < b.ts; });
  messages.erase(std::unique(messages.begin(), messages.end(),
                             [](const Message& a, const Message& b) { return a.ts == b.ts; }),
                 messages.end());
  return messages;
}

}  // namespace slack_intel::slack

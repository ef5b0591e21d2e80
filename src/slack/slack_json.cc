#include "slack/slack_json.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

namespace slack_intel::slack {

using json = nlohmann::json;

std::string TextField(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool FlagField(const json& object, const char* name, bool fallback) {
  auto it = object.find(name);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

namespace {

// A string field, copied out of a const object, moved out of a mutable one.
template <typename Json>
std::string Text(Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return "";
  if constexpr (std::is_const_v<Json>) {
    return it->template get<std::string>();
  } else {
    return std::move(it->template get_ref<std::string&>());
  }
}

template <typename Json>
Message MessageFrom(Json& m) {
  Message message;
  message.ts = Text(m, "ts");
  message.user = Text(m, "user");
  message.text = Text(m, "text");
  message.thread_ts = Text(m, "thread_ts");
  if (auto it = m.find("reply_count"); it != m.end() && it->is_number_integer())
    message.reply_count = it->template get<int64_t>();
  message.latest_reply = Text(m, "latest_reply");
  message.subtype = Text(m, "subtype");
  message.bot_id = Text(m, "bot_id");
  if (auto it = m.find("edited"); it != m.end() && it->is_object())
    message.edited_ts = Text(*it, "ts");
  return message;
}

}  // namespace

Message ParseMessage(const json& m) { return MessageFrom(m); }

Message ParseMessage(json&& m) { return MessageFrom(m); }

Channel ParseChannel(const json& c) {
  return {TextField(c, "id"), TextField(c, "name"), FlagField(c, "is_private"),
          FlagField(c, "is_archived"), FlagField(c, "is_member", true)};
}

std::optional<int64_t> TsMicros(std::string_view ts) {
  const size_t dot = ts.find('.');
  const std::string_view seconds = ts.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : ts.substr(dot + 1);
  if (seconds.empty() || seconds.size() > 10 || (dot != std::string_view::npos && fraction.empty()))
    return std::nullopt;
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(seconds) || !digits(fraction)) return std::nullopt;
  int64_t value = 0;
  std::from_chars(seconds.data(), seconds.data() + seconds.size(), value);
  std::string micros(fraction.substr(0, 6));
  micros.resize(6, '0');
  int64_t part = 0;
  std::from_chars(micros.data(), micros.data() + 6, part);
  return value * 1'000'000 + part;
}

User ParseUser(const json& u) {
  User user{TextField(u, "id"),     TextField(u, "name"),    TextField(u, "real_name"), "",
            FlagField(u, "is_bot"), FlagField(u, "deleted"), TextField(u, "tz")};
  if (auto profile = u.find("profile"); profile != u.end() && profile->is_object()) {
    user.display_name = TextField(*profile, "display_name");
    if (user.real_name.empty()) user.real_name = TextField(*profile, "real_name");
  }
  return user;
}

}  // namespace slack_intel::slack

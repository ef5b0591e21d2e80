#include "slack/slack_json.h"

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

#include "slack/slack_json.h"

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

Message ParseMessage(const json& m) {
  Message message;
  message.ts = TextField(m, "ts");
  message.user = TextField(m, "user");
  message.text = TextField(m, "text");
  message.thread_ts = TextField(m, "thread_ts");
  if (auto it = m.find("reply_count"); it != m.end() && it->is_number_integer())
    message.reply_count = it->get<int64_t>();
  message.latest_reply = TextField(m, "latest_reply");
  message.subtype = TextField(m, "subtype");
  message.bot_id = TextField(m, "bot_id");
  if (auto it = m.find("edited"); it != m.end() && it->is_object())
    message.edited_ts = TextField(*it, "ts");
  return message;
}

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

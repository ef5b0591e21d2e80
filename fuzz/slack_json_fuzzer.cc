// Feeds arbitrary bytes to what reads a Slack Web API reply or an export's JSON file: the UTF-8
// repair, the JSON parse, and the message, channel and user readers with the ts parser. Each must
// produce values or nothing, never crash or throw.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "slack/slack_json.h"
#include "util/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (!slack_intel::IsValidUtf8(bytes)) bytes = slack_intel::SanitizeUtf8(bytes);
  if (!slack_intel::IsValidUtf8(bytes)) __builtin_trap();  // the repair must be complete
  const nlohmann::json reply = nlohmann::json::parse(bytes, nullptr, false);
  if (reply.is_discarded()) return 0;
  const nlohmann::json* lists[] = {&reply, nullptr, nullptr, nullptr};
  if (reply.is_object()) {
    int n = 1;
    for (const char* name : {"messages", "channels", "members"})
      if (auto it = reply.find(name); it != reply.end()) lists[n++] = &*it;
  }
  for (const nlohmann::json* list : lists) {
    if (list == nullptr || !list->is_array()) continue;
    for (const nlohmann::json& item : *list) {
      const slack_intel::slack::Message m = slack_intel::slack::ParseMessage(item);
      (void)slack_intel::slack::TsMicros(m.ts);
      (void)slack_intel::slack::TsMicros(m.thread_ts);
      (void)slack_intel::slack::ParseChannel(item);
      (void)slack_intel::slack::ParseUser(item);
    }
  }
  return 0;
}

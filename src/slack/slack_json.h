#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "slack/slack_types.h"

namespace slack_intel::slack {

// Slack's JSON objects, as the Web API returns them and a workspace export stores them (the
// same shapes). Missing or mistyped fields read as "" / false: real data omits many.
std::string TextField(const nlohmann::json& object, const char* name);
bool FlagField(const nlohmann::json& object, const char* name, bool fallback = false);
Message ParseMessage(const nlohmann::json& m);
Message ParseMessage(nlohmann::json&& m);  // moves the strings out of `m`
Channel ParseChannel(const nlohmann::json& c);
User ParseUser(const nlohmann::json& u);
// A Slack timestamp ("1452837352.000006": seconds, then up to 6 digits of microseconds; digits
// past the sixth are dropped) in microseconds; nullopt for anything else. Messages are keyed
// and partitioned by it, so one without it cannot be kept.
std::optional<int64_t> TsMicros(std::string_view ts);

}  // namespace slack_intel::slack

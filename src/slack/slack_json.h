#pragma once

#include <nlohmann/json.hpp>
#include <string>

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

}  // namespace slack_intel::slack

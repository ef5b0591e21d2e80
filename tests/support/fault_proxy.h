#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/server_process.h"

namespace slack_intel::testing {

// tests/support/fault_proxy.mjs in front of the server at `target_url` ("http://HOST:PORT",
// a path after it is ignored): point the tool at the proxy's base_url() instead, and it meets
// the faults `flags` ask for (--seed, --reset-rate, --slowdown-rate, ...).
std::unique_ptr<ServerProcess> StartFaultProxy(const std::string& target_url,
                                               std::vector<std::string> flags);

// How many faults of each kind the proxy injected ({"reset": N, ...}); null if it cannot tell.
nlohmann::json FaultCounts(const ServerProcess& proxy);

}  // namespace slack_intel::testing

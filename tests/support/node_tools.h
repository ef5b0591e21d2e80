#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace slack_intel::testing {

// Runs `node tools/<script> args...` from the source tree's tools/ folder (where its npm
// packages are installed). Throws std::runtime_error when node cannot start.
ProcessResult RunNodeTool(const std::string& script, const std::vector<std::string>& args);

// Runs tools/parquet-check/check.mjs on `paths` and returns one report per path (see
// check.mjs for the canonical value form). Throws std::runtime_error on a usage error or
// output that is not JSON.
std::vector<nlohmann::json> CheckWithIndependentReaders(const std::vector<std::string>& paths);

}  // namespace slack_intel::testing

#pragma once

#include <map>
#include <string>

namespace slack_intel::aws {

// Environment variables, captured once so providers and tests see a fixed view.
using Environment = std::map<std::string, std::string>;

// This process's environment. Thread-safe.
Environment ProcessEnvironment();

// The variable's value; "" when absent.
std::string EnvValue(const Environment& env, const std::string& name);

}  // namespace slack_intel::aws

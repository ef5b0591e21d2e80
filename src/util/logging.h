#pragma once

namespace slack_intel {

// How much the tool says on stderr. Results always go to stdout regardless.
enum class Verbosity {
  kQuiet,    // errors only
  kNormal,   // warnings and errors
  kVerbose,  // -v: progress notes
  kDebug,    // -vv: request-level detail (never secrets)
};

// Points the default spdlog logger at stderr with a terse "slack-intel: level: message"
// pattern at the given verbosity. Call once from main before any command runs; not thread-safe.
void SetUpLogging(Verbosity verbosity);

}  // namespace slack_intel

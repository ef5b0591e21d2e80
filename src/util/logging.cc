#include "util/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace slack_intel {

void SetUpLogging(Verbosity verbosity) {
  // Plain (not colour) stderr sink: stdout belongs to results and --json lines.
  auto logger = std::make_shared<spdlog::logger>("slack-intel",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("slack-intel: %l: %v");
  switch (verbosity) {
    case Verbosity::kQuiet:
      logger->set_level(spdlog::level::err);
      break;
    case Verbosity::kNormal:
      logger->set_level(spdlog::level::warn);
      break;
    case Verbosity::kVerbose:
      logger->set_level(spdlog::level::info);
      break;
    case Verbosity::kDebug:
      logger->set_level(spdlog::level::debug);
      break;
  }
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace slack_intel

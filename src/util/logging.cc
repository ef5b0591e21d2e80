#include "util/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "util/printable.h"

namespace slack_intel {
namespace {

// Plain (not colour) stderr: stdout belongs to results and --json lines. Messages may quote
// bytes from servers and files (keys, error bodies): they are escaped for the terminal first.
class PrintableStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string text = Printable({msg.payload.data(), msg.payload.size()});
    spdlog::details::log_msg escaped = msg;
    escaped.payload = text;
    spdlog::memory_buf_t line;
    formatter_->format(escaped, line);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

}  // namespace

void SetUpLogging(Verbosity verbosity) {
  auto logger =
      std::make_shared<spdlog::logger>("slack-intel", std::make_shared<PrintableStderrSink>());
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

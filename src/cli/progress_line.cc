#include "cli/progress_line.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace slack_intel::cli {

bool StderrTakesProgress() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) && !(term != nullptr && std::string_view(term) == "dumb");
}

namespace {

std::string Megabytes(uint64_t bytes) { return fmt::format("{:.1f}", bytes / 1e6); }

}  // namespace

std::string FormatProgress(uint64_t files_done, uint64_t files_total, uint64_t bytes_done,
                           uint64_t bytes_total, double elapsed_seconds, int width) {
  const double fraction =
      bytes_total > 0 ? std::min(1.0, static_cast<double>(bytes_done) / bytes_total)
                      : (files_total > 0 ? static_cast<double>(files_done) / files_total : 0.0);
  const int filled = std::clamp(static_cast<int>(fraction * width), 0, width);
  const std::string bar = fmt::format("[{:#<{}}{:.<{}}]", "", filled, "", width - filled);
  const double rate = elapsed_seconds > 0 ? bytes_done / elapsed_seconds : 0;
  std::string eta = "--:--";
  if (rate > 0 && bytes_total >= bytes_done) {
    const auto seconds = static_cast<int64_t>((bytes_total - bytes_done) / rate);
    eta = fmt::format("{}:{:02}", seconds / 60, seconds % 60);
  }
  return fmt::format("{} {}/{} files  {}/{} MB  {} MB/s  ETA {}", bar, files_done, files_total,
                     Megabytes(bytes_done), Megabytes(bytes_total), Megabytes(rate), eta);
}

ProgressLine::ProgressLine(std::function<std::string(double elapsed_seconds)> render, bool enabled)
    : render_(std::move(render)) {
  if (!enabled) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stop_; })) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      const std::string line = render_(elapsed);
      if (line.empty()) continue;
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      std::fflush(stderr);
      drawn_ = true;
    }
    Erase();
  });
}

ProgressLine::~ProgressLine() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ProgressLine::Erase() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

void ProgressLine::Print(const std::function<void()>& print) {
  std::lock_guard lock(mutex_);
  Erase();
  print();
  if (thread_.joinable()) std::fflush(stdout);  // before the next redraw on stderr
}

}  // namespace slack_intel::cli

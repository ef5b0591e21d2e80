#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace slack_intel::cli {

// "[#######.............] 120/600 files  45.2/230.0 MB  12.3 MB/s  ETA 0:15"
std::string FormatProgress(uint64_t files_done, uint64_t files_total, uint64_t bytes_done,
                           uint64_t bytes_total, double elapsed_seconds, int width = 20);

// Whether stderr can show a live line: a terminal that can erase one (TERM is not "dumb").
// Pipes, files, CI logs and journald get none. The line has no colours, so NO_COLOR has nothing
// to turn off.
bool StderrTakesProgress();

// A live progress line on stderr (a terminal), redrawn a few times a second with what
// `render(elapsed seconds)` returns ("" = nothing to show yet) until destroyed, when it is
// erased. Other output goes through Print(), which erases the line first so the two never
// interleave. Disabled, it only runs Print()'s function.
class ProgressLine {
 public:
  ProgressLine(std::function<std::string(double elapsed_seconds)> render, bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void Print(const std::function<void()>& print);

 private:
  void Erase();  // REQUIRES: mutex_ held

  const std::function<std::string(double)> render_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex mutex_;  // guards the terminal, stop_ and drawn_
  std::condition_variable wake_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace slack_intel::cli

#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace slack_intel {

// Calls fn(state, i) for every i in [0, n) on up to `threads` threads, each taking the next
// index as it gets free. Each thread first makes its own state with make_state() (say, an S3
// client: one connection per thread). Returns when all calls returned.
template <typename MakeState, typename Fn>
void ParallelFor(size_t n, int threads, MakeState make_state, Fn fn) {
  if (n == 0) return;
  std::atomic<size_t> next{0};
  auto work = [&] {
    auto state = make_state();
    for (size_t i = next++; i < n; i = next++) fn(state, i);
  };
  const size_t count = std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1, n);
  if (count == 1) return work();
  std::vector<std::jthread> pool;
  for (size_t t = 0; t < count; ++t) pool.emplace_back(work);
}

}  // namespace slack_intel

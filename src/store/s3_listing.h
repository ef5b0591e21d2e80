#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "s3/client.h"

namespace slack_intel::store {

// Streams every object under `prefix` in `bucket`, keys made relative to the prefix, in
// ascending order, with memory bounded by a few ranges rather than the bucket.
// Big listings go in parallel: `split_keys` (sorted, relative; last run's manifest is a good
// guess) cut the key space into ranges, each listed on its own connection from its start key
// (ListObjectsV2 start-after) until its last key (or, if that is gone, a key past it). Workers stay
// at most a few ranges ahead of the reader, and the result is the same as one sequential listing.
class S3Listing {
 public:
  S3Listing(const s3::ClientOptions& options, std::string bucket, std::string prefix,
            const std::vector<std::string>& split_keys, int concurrency);
  ~S3Listing();  // stops the workers (a range being listed finishes first)

  // The next object, nullopt after the last. Errors: "Cannot access S3 bucket B: <reason>".
  Result<std::optional<s3::ObjectSummary>> Next();

 private:
  struct Range {
    std::string after;                 // "" = from the first key
    std::optional<std::string> until;  // inclusive; nullopt = to the end
    std::optional<Result<std::vector<s3::ObjectSummary>>> listed;
  };
  void Work();

  const s3::ClientOptions& options_;
  const std::string bucket_, prefix_;
  const size_t ahead_;  // ranges listed beyond the one being read
  std::vector<Range> ranges_;
  std::mutex mutex_;  // guards the fields below and ranges_[i].listed
  std::condition_variable changed_;
  size_t next_to_list_ = 0, reading_ = 0, position_ = 0;
  bool stopping_ = false;
  std::vector<std::jthread> workers_;
};

}  // namespace slack_intel::store

#include "store/s3_listing.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "util/thread_name.h"

namespace slack_intel::store {
namespace {

constexpr size_t kKeysPerPage = 1000;
constexpr int kMaxEmptyPages = 1000;  // in a row; S3 may send a few while it skips deleted keys

// Keys in (after, until], or all from after when `until` is empty; relative to the prefix.
Result<std::vector<s3::ObjectSummary>> ListRange(s3::Client& client, const std::string& bucket,
                                                 const std::string& prefix,
                                                 const std::string& after,
                                                 const std::optional<std::string>& until) {
  std::vector<s3::ObjectSummary> objects;
  std::string token;
  std::set<std::string> tokens_used;
  int empty_pages = 0;
  const std::string start_after = after.empty() ? "" : prefix + after;
  // A listing whose pages never end (a token handed out twice, keys that go back, empty pages
  // without end) is an error, not a loop: S3 lists in ascending key order.
  const auto endless = [&](const std::string& why) {
    return Status::Corruption(fmt::format("the listing of {}: {}: its pages would never end",
                                          s3::S3Url(bucket, prefix), why));
  };
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(
        s3::ListPage page,
        client.ListObjectsV2(bucket, prefix, token, "", static_cast<int>(kKeysPerPage),
                             token.empty() ? start_after : ""));
    empty_pages = page.objects.empty() ? empty_pages + 1 : 0;
    if (empty_pages > kMaxEmptyPages) return endless("page after page without a key");
    for (s3::ObjectSummary& o : page.objects) {
      o.key = o.key.substr(std::min(o.key.size(), prefix.size()));
      if ((!objects.empty() && o.key <= objects.back().key) || (!after.empty() && o.key <= after))
        return endless(fmt::format("key {} comes after {}", o.key,
                                   objects.empty() ? after : objects.back().key));
      if (until && o.key > *until) return objects;  // the next range's
      const bool cut = until && o.key == *until;
      objects.push_back(std::move(o));
      // The range's last key: nothing of it can follow, so no page of the next range is read
      // (a range that lost its last key still reads one page past it).
      if (cut) return objects;
    }
    if (!page.is_truncated) return objects;
    token = page.next_continuation_token;
    if (!tokens_used.insert(token).second) return endless("a continuation token came twice");
  }
}

}  // namespace

S3Listing::S3Listing(const s3::ClientOptions& options, std::string bucket, std::string prefix,
                     const std::vector<std::string>& split_keys, int concurrency)
    : options_(options),
      bucket_(std::move(bucket)),
      prefix_(std::move(prefix)),
      ahead_(2 * static_cast<size_t>(std::max(concurrency, 1))) {
  ranges_.push_back({"", std::nullopt, std::nullopt});
  for (const std::string& key : split_keys) {
    if (key <= ranges_.back().after) continue;  // keep ranges ascending and non-empty
    ranges_.back().until = key;
    ranges_.push_back({key, std::nullopt, std::nullopt});
  }
  const size_t workers = std::min<size_t>(std::max(concurrency, 1), ranges_.size());
  for (size_t i = 0; i < workers; ++i) {
    workers_.emplace_back([this] {
      NameThisThread("si-list");
      Work();
    });
  }
}

S3Listing::~S3Listing() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  workers_.clear();  // joins
}

void S3Listing::Work() {
  s3::Client client(options_);  // one connection per worker
  while (true) {
    size_t i;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] {
        return stopping_ || next_to_list_ == ranges_.size() || next_to_list_ < reading_ + ahead_;
      });
      if (stopping_ || next_to_list_ == ranges_.size()) return;
      i = next_to_list_++;
    }
    auto listed = ListRange(client, bucket_, prefix_, ranges_[i].after, ranges_[i].until);
    {
      std::lock_guard lock(mutex_);
      ranges_[i].listed = std::move(listed);
    }
    changed_.notify_all();
  }
}

Result<std::optional<s3::ObjectSummary>> S3Listing::Next() {
  std::unique_lock lock(mutex_);
  while (reading_ < ranges_.size()) {
    changed_.wait(lock, [&] { return ranges_[reading_].listed.has_value(); });
    auto& listed = *ranges_[reading_].listed;
    if (!listed.ok()) {
      // The user guide's heading; the reason follows (an expired SSO login already says
      // "AWS credentials expired ... run aws sso login --profile P").
      return Status(listed.status().code(), fmt::format("Cannot access S3 bucket {}: {}", bucket_,
                                                        listed.status().message()));
    }
    if (position_ < listed->size()) return std::optional(std::move((*listed)[position_++]));
    ranges_[reading_].listed.reset();  // read: free it and let a worker go further ahead
    ++reading_;
    position_ = 0;
    changed_.notify_all();
  }
  return std::optional<s3::ObjectSummary>();
}

}  // namespace slack_intel::store

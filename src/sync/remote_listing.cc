#include "sync/remote_listing.h"

#include <fmt/format.h>

#include <optional>

#include "util/parallel_for.h"

namespace slack_intel::sync {
namespace {

constexpr size_t kKeysPerPage = 1000;
// Small ranges keep every connection busy; each costs about one extra page request.
constexpr size_t kPagesPerRange = 2;

// Keys in (after, until], or all from after when `until` is empty; relative to the prefix.
Result<std::vector<s3::ObjectSummary>> ListRange(s3::Client& client, const std::string& bucket,
                                                 const std::string& prefix,
                                                 const std::string& after,
                                                 const std::optional<std::string>& until) {
  std::vector<s3::ObjectSummary> objects;
  std::string token;
  const std::string start_after = after.empty() ? "" : prefix + after;
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(
        s3::ListPage page,
        client.ListObjectsV2(bucket, prefix, token, "", static_cast<int>(kKeysPerPage),
                             token.empty() ? start_after : ""));
    for (s3::ObjectSummary& o : page.objects) {
      o.key = o.key.substr(std::min(o.key.size(), prefix.size()));
      if (until && o.key > *until) return objects;  // the next range's
      objects.push_back(std::move(o));
    }
    if (!page.is_truncated) return objects;
    token = page.next_continuation_token;
  }
}

}  // namespace

Result<std::vector<s3::ObjectSummary>> ListRemote(const s3::ClientOptions& options,
                                                  const std::string& bucket,
                                                  const std::string& prefix,
                                                  const std::vector<std::string>& expected_keys,
                                                  int concurrency) {
  // Range i covers (bounds[i], bounds[i+1]]; "" starts at the beginning, nullopt has no end.
  std::vector<std::string> bounds = {""};
  const size_t per_range = kKeysPerPage * kPagesPerRange;
  if (concurrency > 1) {
    for (size_t i = per_range; i < expected_keys.size(); i += per_range)
      bounds.push_back(expected_keys[i]);
  }
  std::vector<Result<std::vector<s3::ObjectSummary>>> ranges(bounds.size(),
                                                             std::vector<s3::ObjectSummary>{});
  ParallelFor(
      bounds.size(), concurrency, [&] { return s3::Client(options); },
      [&](s3::Client& client, size_t i) {
        const std::optional<std::string> until =
            i + 1 < bounds.size() ? std::optional(bounds[i + 1]) : std::nullopt;
        ranges[i] = ListRange(client, bucket, prefix, bounds[i], until);
      });
  std::vector<s3::ObjectSummary> objects;
  for (auto& range : ranges) {
    if (!range.ok()) {
      // The user guide's heading; the reason follows (an expired SSO login already says
      // "AWS credentials expired ... run aws sso login --profile P").
      return Status(range.status().code(), fmt::format("Cannot access S3 bucket {}: {}", bucket,
                                                       range.status().message()));
    }
    for (auto& o : *range) objects.push_back(std::move(o));
  }
  return objects;
}

}  // namespace slack_intel::sync

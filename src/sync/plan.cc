#include "sync/plan.h"

#include <chrono>

#include "util/time_format.h"

namespace slack_intel::sync {
namespace {

// aws s3 sync's --compare mtime rule, to the second: the source is newer than the destination.
bool SourceIsNewer(const LocalFile& local, const s3::ObjectSummary& remote, Direction direction) {
  auto remote_time = ParseIso8601Utc(remote.last_modified);
  if (!remote_time.ok()) return true;  // cannot tell: copying is the safe side
  const int64_t remote_s =
      std::chrono::duration_cast<std::chrono::seconds>(remote_time->time_since_epoch()).count();
  const int64_t local_s = local.stamp.mtime_ns / 1'000'000'000;
  return direction == Direction::kPush ? local_s > remote_s : remote_s > local_s;
}

}  // namespace

ActionKind Judge(const LocalFile& local, const s3::ObjectSummary& remote,
                 const PlanOptions& options) {
  if (local.stamp.size_bytes != remote.size_bytes) return ActionKind::kTransfer;
  switch (options.compare) {
    case CompareMode::kSize:
      return ActionKind::kSkip;
    case CompareMode::kMtime:
      return SourceIsNewer(local, remote, options.direction) ? ActionKind::kTransfer
                                                             : ActionKind::kSkip;
    case CompareMode::kContent:
      return ActionKind::kCompare;
  }
  return ActionKind::kTransfer;
}

bool ContentMatches(const LocalDigest& local, const s3::ObjectSummary& remote,
                    const std::string& recorded_md5_hex, const std::string& recorded_etag) {
  if (local.md5_hex.empty() || remote.etag.empty()) return false;
  if (remote.etag == local.md5_hex) return true;
  if (!local.multipart_etag.empty() && remote.etag == local.multipart_etag) return true;
  return recorded_md5_hex == local.md5_hex && recorded_etag == remote.etag;
}

}  // namespace slack_intel::sync

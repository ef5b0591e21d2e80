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

}  // namespace

std::vector<Action> MakePlan(const std::vector<LocalFile>& local,
                             const std::vector<s3::ObjectSummary>& remote,
                             const PlanOptions& options) {
  const bool push = options.direction == Direction::kPush;
  std::vector<Action> plan;
  size_t l = 0, r = 0;
  while (l < local.size() || r < remote.size()) {
    if (r == remote.size() || (l < local.size() && local[l].key < remote[r].key)) {
      const ActionKind kind = push ? ActionKind::kTransfer : ActionKind::kDelete;
      if (push || options.delete_removed) plan.push_back({kind, &local[l], nullptr});
      ++l;
    } else if (l == local.size() || remote[r].key < local[l].key) {
      const ActionKind kind = push ? ActionKind::kDelete : ActionKind::kTransfer;
      if (!push || options.delete_removed) plan.push_back({kind, nullptr, &remote[r]});
      ++r;
    } else {
      plan.push_back({Judge(local[l], remote[r], options), &local[l], &remote[r]});
      ++l;
      ++r;
    }
  }
  return plan;
}

bool ContentMatches(const LocalDigest& local, const s3::ObjectSummary& remote,
                    const std::string& recorded_md5_hex, const std::string& recorded_etag) {
  if (local.md5_hex.empty() || remote.etag.empty()) return false;
  if (remote.etag == local.md5_hex) return true;
  if (!local.multipart_etag.empty() && remote.etag == local.multipart_etag) return true;
  return recorded_md5_hex == local.md5_hex && recorded_etag == remote.etag;
}

}  // namespace slack_intel::sync

#include "sync/plan.h"

namespace slack_intel::sync {

ActionKind Judge(const store::ObjectInfo& source, const store::ObjectInfo& destination,
                 CompareMode compare) {
  if (source.size_bytes != destination.size_bytes) return ActionKind::kTransfer;
  switch (compare) {
    case CompareMode::kSize:
      return ActionKind::kSkip;
    case CompareMode::kMtime: {
      // aws s3 sync's --compare mtime rule, to the second: the source is newer.
      if (source.mtime_ns == store::kUnknownTime || destination.mtime_ns == store::kUnknownTime)
        return ActionKind::kTransfer;
      constexpr int64_t kSecond = 1'000'000'000;
      return source.mtime_ns / kSecond > destination.mtime_ns / kSecond ? ActionKind::kTransfer
                                                                        : ActionKind::kSkip;
    }
    case CompareMode::kContent:
      return ActionKind::kCompare;
  }
  return ActionKind::kTransfer;
}

bool ContentMatches(const LocalDigest& local, const store::ObjectInfo& remote,
                    const std::string& recorded_md5_hex, const std::string& recorded_etag) {
  if (local.md5_hex.empty() || remote.etag.empty()) return false;
  if (remote.etag == local.md5_hex) return true;
  if (!local.multipart_etag.empty() && remote.etag == local.multipart_etag) return true;
  return recorded_md5_hex == local.md5_hex && recorded_etag == remote.etag;
}

}  // namespace slack_intel::sync

#include "sync/plan.h"

namespace slack_intel::sync {

bool NeedsUpload(const LocalEntry& local, const s3::ObjectSummary& remote) {
  if (local.file.size_bytes != remote.size_bytes) return true;
  if (remote.etag == local.md5_hex) return false;
  if (!local.multipart_etag.empty() && remote.etag == local.multipart_etag) return false;
  return true;
}

std::vector<Action> MakePlan(const std::vector<LocalEntry>& local,
                             const std::vector<s3::ObjectSummary>& remote, bool delete_removed) {
  std::vector<Action> plan;
  size_t l = 0, r = 0;
  while (l < local.size() || r < remote.size()) {
    if (r == remote.size() || (l < local.size() && local[l].file.key < remote[r].key)) {
      plan.push_back({ActionKind::kUpload, local[l].file.key, &local[l], nullptr});
      ++l;
    } else if (l == local.size() || remote[r].key < local[l].file.key) {
      if (delete_removed) plan.push_back({ActionKind::kDelete, remote[r].key, nullptr, &remote[r]});
      ++r;
    } else {
      const bool upload = NeedsUpload(local[l], remote[r]);
      plan.push_back({upload ? ActionKind::kUpload : ActionKind::kSkip, local[l].file.key,
                      &local[l], &remote[r]});
      ++l;
      ++r;
    }
  }
  return plan;
}

}  // namespace slack_intel::sync

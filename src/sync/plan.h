#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "s3/client.h"
#include "sync/local_files.h"

namespace slack_intel::sync {

// The local side of the comparison: a cache file and what we know of its content.
struct LocalEntry {
  LocalFile file;
  std::string md5_hex;         // content MD5
  std::string multipart_etag;  // the ETag a multipart upload of it with our part size gets; "" if
                               // single PUT
};

enum class ActionKind { kUpload, kSkip, kDelete };

struct Action {
  ActionKind kind = ActionKind::kSkip;
  std::string key;                            // relative to the prefix
  const LocalEntry* local = nullptr;          // kUpload, kSkip
  const s3::ObjectSummary* remote = nullptr;  // kSkip, kDelete, and kUpload when replacing
};

// Whether `local` must be uploaded over `remote`: sizes differ, or the remote ETag is neither
// the local MD5 nor the multipart ETag our part size gives. (An ETag we cannot interpret, as
// under SSE-KMS, means "upload": a wrong skip loses data, a wrong upload costs a PUT.)
bool NeedsUpload(const LocalEntry& local, const s3::ObjectSummary& remote);

// Merge-joins the two listings, both sorted by key (remote keys relative to the prefix):
// upload what is new or changed, skip what matches, delete (when `delete_removed`) what exists
// only remotely. Pure; the result points into the inputs.
std::vector<Action> MakePlan(const std::vector<LocalEntry>& local,
                             const std::vector<s3::ObjectSummary>& remote, bool delete_removed);

}  // namespace slack_intel::sync

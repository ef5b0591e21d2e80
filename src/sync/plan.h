#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "s3/client.h"
#include "sync/local_files.h"

namespace slack_intel::sync {

enum class Direction { kPush, kPull };  // cache -> bucket, bucket -> cache

// How a file present on both sides is judged (--compare).
enum class CompareMode {
  kContent,  // sizes, then content hashes (the default)
  kMtime,    // aws s3 sync's rule: sizes differ or the source is newer
  kSize,     // sizes alone
};

enum class ActionKind {
  kTransfer,  // copy source -> destination (new or changed)
  kCompare,   // same size; the content decides (resolved by hashing, see ContentMatches)
  kSkip,      // unchanged
  kDelete,    // only on the destination side, and --delete
};

struct PlanOptions {
  Direction direction = Direction::kPush;
  CompareMode compare = CompareMode::kContent;
  bool delete_removed = false;
};

// The action for a file on both sides, from the listings alone.
ActionKind Judge(const LocalFile& local, const s3::ObjectSummary& remote,
                 const PlanOptions& options);

// What we know of a local file's content.
struct LocalDigest {
  std::string md5_hex;
  std::string multipart_etag;  // with our part size; "" below the multipart threshold
};

// Whether the remote object holds `local`'s content, judged from the listing alone: its ETag
// is the file's MD5 or the multipart ETag our part size gives, or it is the very ETag the
// object had when the manifest recorded this content (`recorded_etag`, for stores and SSE-KMS
// whose ETags are no MD5s). False means "not proven": the caller may still find an MD5 in the
// object's metadata.
bool ContentMatches(const LocalDigest& local, const s3::ObjectSummary& remote,
                    const std::string& recorded_md5_hex, const std::string& recorded_etag);

}  // namespace slack_intel::sync

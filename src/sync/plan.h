#pragma once

#include <cstdint>
#include <string>

#include "store/object_store.h"

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

// The action for a key both sides hold, from the listings alone. The same rule whichever side
// is the cache: sizes first, then the compare mode (mtime: the source is newer, to the second;
// a time no store gave means copying, the safe side).
ActionKind Judge(const store::ObjectInfo& source, const store::ObjectInfo& destination,
                 CompareMode compare);

// What we know of a cache file's content.
struct LocalDigest {
  std::string md5_hex;
  std::string multipart_etag;  // what the bucket's part size gives; "" below its threshold
};

// Whether the bucket's object holds `local`'s content, judged from the listing alone: its ETag
// is the file's MD5 or the multipart ETag the bucket's part size gives, or it is the very ETag
// the object had when the manifest recorded this content (`recorded_etag`, for stores and
// SSE-KMS whose ETags are no MD5s). False means "not proven": the caller may still find an MD5
// in the object's head.
bool ContentMatches(const LocalDigest& local, const store::ObjectInfo& remote,
                    const std::string& recorded_md5_hex, const std::string& recorded_etag);

}  // namespace slack_intel::sync

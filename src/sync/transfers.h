#pragma once

#include <semaphore>

#include "sync/multipart_journal.h"
#include "sync/sync_context.h"

namespace slack_intel::sync {

// The work on one key that needs I/O: settling a same-size file by its content, and copying a
// file from the source to the destination. Any number of threads may call at once; at most
// `concurrency` copies run together, shared by the merge's workers and the early uploads.
class Transfers {
 public:
  Transfers(SyncContext& context, MultipartJournal& journal);

  // Settles a compare (the same content: skipped), then copies, or in a dry run reports, what
  // has to go.
  void Settle(Item& item);

  // Copies the item's source to the destination; the item's manifest entry becomes what was
  // copied. false: it failed (and was reported).
  bool Copy(Item& item);

  // The cache file's MD5 (the manifest's for this version, the walk's, or read now) and, with
  // `with_multipart_etag`, the ETag the bucket's parts would give it.
  Result<LocalDigest> Digest(const Item& item, bool with_multipart_etag);

 private:
  // Whether the bucket's object holds the cache file's content: its ETag proves it, or the MD5
  // its head vouches for (one HEAD for an ETag never seen before).
  Result<bool> SameContent(Item& item);

  SyncContext& context_;
  MultipartJournal& journal_;
  std::counting_semaphore<> slots_;
};

}  // namespace slack_intel::sync

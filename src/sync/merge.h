#pragma once

#include <optional>

#include "store/object_store.h"
#include "sync/plan.h"
#include "sync/sync_context.h"

namespace slack_intel::sync {

// Merges the cache's and the bucket's listings, both in ascending key order, into one stream
// of keys with what each side holds: the merge-join of the two sorted listings.
class ListingMerge {
 public:
  // `cache` may be null: a cache folder that does not exist yet holds nothing.
  ListingMerge(store::ObjectListing* cache, store::ObjectListing& bucket);

  // The next key into `item` (its other fields reset), false after the last. Errors: either
  // listing's.
  Result<bool> Next(Item& item);

 private:
  Status Fill(store::ObjectListing* listing, std::optional<store::ObjectInfo>& head);

  store::ObjectListing* cache_;
  store::ObjectListing& bucket_;
  bool started_ = false;
  std::optional<store::ObjectInfo> cache_head_, bucket_head_;
};

// Everything the plan of one key depends on, known without any I/O.
struct KeyFacts {
  bool source = false;        // the source holds the key (and may send it)
  bool destination = false;   // the destination holds it
  bool included = true;       // by --include / --exclude
  bool early_upload = false;  // the walk already started sending it
  // With both sides: Judge()'s verdict, and whether the manifest saw exactly these two
  // versions hold the same content.
  ActionKind judged = ActionKind::kTransfer;
  bool known_same = false;
};

struct KeyPlan {
  ActionKind kind = ActionKind::kSkip;
  bool ignored = false;  // nothing happens to the key (and it counts for nothing)
};

// The plan of one key: the same rules whichever way the sync goes. Excluded keys and keys on
// the destination alone without --delete are ignored; a key on the source alone is copied, on
// both it is what Judge said (a compare the manifest already settled is a skip).
KeyPlan PlanKey(const KeyFacts& facts, bool delete_removed);

// This cache file version was last seen as exactly this object: settled without any I/O.
// REQUIRES: the item has both sides.
bool KnownSame(const Item& item);

}  // namespace slack_intel::sync

#include "sync/merge.h"

namespace slack_intel::sync {

ListingMerge::ListingMerge(store::ObjectListing* cache, store::ObjectListing& bucket)
    : cache_(cache), bucket_(bucket) {}

Status ListingMerge::Fill(store::ObjectListing* listing, std::optional<store::ObjectInfo>& head) {
  if (listing == nullptr) return Status::OK();
  SLACK_INTEL_ASSIGN_OR_RETURN(head, listing->Next());
  return Status::OK();
}

Result<bool> ListingMerge::Next(Item& item) {
  item = Item{};
  if (!started_) {
    started_ = true;
    SLACK_INTEL_RETURN_IF_ERROR(Fill(cache_, cache_head_));
    SLACK_INTEL_RETURN_IF_ERROR(Fill(&bucket_, bucket_head_));
  }
  if (!cache_head_ && !bucket_head_) return false;
  const bool take_cache = cache_head_ && (!bucket_head_ || cache_head_->key <= bucket_head_->key);
  const bool take_bucket = bucket_head_ && (!cache_head_ || bucket_head_->key <= cache_head_->key);
  if (take_cache) {
    item.cache = std::move(cache_head_);
    SLACK_INTEL_RETURN_IF_ERROR(Fill(cache_, cache_head_));
  }
  if (take_bucket) {
    item.bucket = std::move(bucket_head_);
    SLACK_INTEL_RETURN_IF_ERROR(Fill(&bucket_, bucket_head_));
  }
  return true;
}

KeyPlan PlanKey(const KeyFacts& facts, bool delete_removed) {
  if (!facts.included) return {ActionKind::kSkip, true};
  if (facts.early_upload) return {ActionKind::kTransfer, false};  // planned when it started
  if (facts.source && facts.destination) {
    if (facts.judged == ActionKind::kCompare && facts.known_same) return {ActionKind::kSkip, false};
    return {facts.judged, false};
  }
  if (facts.source) return {ActionKind::kTransfer, false};
  if (facts.destination) return {ActionKind::kDelete, !delete_removed};
  return {ActionKind::kSkip, true};  // neither (a side refused): nothing to do
}

bool KnownSame(const Item& item) {
  const std::optional<ManifestEntry>& known = item.recorded;
  return known && known->stamp == item.cache->stamp && !known->md5_hex.empty() &&
         !item.bucket->etag.empty() && known->remote_etag == item.bucket->etag;
}

}  // namespace slack_intel::sync

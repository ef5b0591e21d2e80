#include "sync/sync_runner.h"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "sync/deletes.h"
#include "sync/early_uploads.h"
#include "sync/local_files.h"
#include "sync/merge.h"
#include "sync/sync_context.h"
#include "sync/sync_state.h"
#include "sync/transfers.h"
#include "sync/walk_ahead.h"
#include "util/parallel_for.h"

namespace slack_intel::sync {
namespace {

namespace fs = std::filesystem;

// How far the walk may run ahead of the merge (about 100 bytes a file, twice: queued, and
// taken by the merge): far enough that the walk of a big cache meets changed files long before
// the listing reaches them.
constexpr size_t kWalkAheadFiles = 32768;

// One run of RunSync: the merge of the two listings, a window of keys at a time, with the
// parts that do the work beside it.
class SyncRun {
 public:
  SyncRun(const SyncSettings& settings, const std::function<void(const SyncEvent&)>& report,
          SyncProgress* progress)
      : context_(settings, report, progress),
        state_(context_),
        transfers_(context_, state_.journal()),
        early_(context_, transfers_) {}
  ~SyncRun() {
    cache_listing_.reset();  // the walk first: it hands files to the early uploads
    early_.Stop();
  }

  Result<SyncSummary> Run();

 private:
  Status OpenListings();
  Result<bool> NextItem(Item& item);
  void Plan(Item& item);

  SyncContext context_;
  SyncState state_;
  Transfers transfers_;
  EarlyUploads early_;
  std::unique_ptr<store::ObjectListing> bucket_listing_;
  std::unique_ptr<store::ObjectListing> cache_listing_;  // a walk ahead; null: no cache folder
  std::unique_ptr<ListingMerge> merge_;
  uint64_t source_count_ = 0, destination_count_ = 0;  // for the --delete checks
  std::vector<std::string> deletes_;                   // run once every copy went through
};

Status SyncRun::OpenListings() {
  const SyncSettings& s = context_.settings();
  const fs::path& root = context_.cache_folder().root();
  std::error_code error;
  bool cache_exists = fs::is_directory(root, error);
  if (!cache_exists && context_.cache_is_source()) return CheckCacheFolder(root);
  if (!cache_exists && !s.dry_run) {
    fs::create_directories(root, error);  // a new machine's first pull
    if (error) {
      return Status::IOError(fmt::format("cannot create {}: {}", root.string(), error.message()));
    }
    cache_exists = true;
  }
  // The bucket's listing runs on its own connections while the cache is walked. It goes first:
  // the server's answer is what a small sync waits for longest.
  SLACK_INTEL_ASSIGN_OR_RETURN(
      bucket_listing_, s.bucket->List({state_.SplitKeys(s.listing_range_keys), s.concurrency}));
  SLACK_INTEL_ASSIGN_OR_RETURN(const bool last_run_unfinished, state_.Begin());
  if (cache_exists) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<store::ObjectListing> walk, s.cache->List({}));
    early_.Start(s.state.manifest, last_run_unfinished);
    cache_listing_ = std::make_unique<WalkAhead>(std::move(walk), kWalkAheadFiles,
                                                 [this](const store::ObjectInfo* file) {
                                                   if (file) early_.Consider(*file);
                                                 });
  }
  merge_ = std::make_unique<ListingMerge>(cache_listing_.get(), *bucket_listing_);
  return Status::OK();
}

// The next key of the merge, with what each side and the manifest hold for it, planned.
Result<bool> SyncRun::NextItem(Item& item) {
  const SyncSettings& s = context_.settings();
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(const bool more, merge_->Next(item));
    if (!more) return false;
    const std::string key = item.key();
    if (!s.filter.Includes(key)) {
      // Nothing happens to an excluded file, but the manifest keeps what it knows of it: the
      // next run that includes it must not take it for new.
      if (!item.cache) continue;
      item.recorded = state_.Recorded(key);
      item.entry = item.recorded;
      item.ignored = true;
      return true;
    }
    // A key the destination cannot hold (a bucket key that would land outside the cache) is
    // reported, and neither copied nor taken as missing (which could delete a file).
    const std::optional<store::ObjectInfo>& source = context_.SourceOf(item);
    if (source && !context_.DestinationOf(item)) {
      if (Status holds = context_.destination().CheckKey(key); !holds.ok()) {
        context_.Fail({SyncEvent::Kind::kInvalidKey, false, context_.source().Describe(key), "",
                       source->size_bytes,
                       fmt::format("refusing to {} key '{}': {}", context_.transfer_verb(), key,
                                   holds.message())});
        continue;
      }
    }
    item.recorded = state_.Recorded(key);
    if (item.cache && early_.enabled()) item.early = early_.Take(key);
    const bool uploading = item.early && item.early->uploading;
    if (source && !uploading && key.ends_with(".parquet")) {
      // A folder's file goes out only whole: a truncated or half-written Parquet file is
      // reported, unless the manifest knows this version was complete when last synced.
      if (store::LocalFolder* folder = context_.source().AsLocalFolder()) {
        const bool checked_before = item.recorded && item.recorded->stamp == source->stamp;
        if (!checked_before && !HasParquetFooter(folder->PathOf(key), source->size_bytes)) {
          context_.Fail({SyncEvent::Kind::kInvalidFile, false, context_.source().Describe(key), "",
                         source->size_bytes, ""});
          item.cache.reset();  // the folder is the cache
        }
      }
    }
    if (item.cache) item.entry = item.recorded;  // kept while the file is there
    if (context_.SourceOf(item)) ++source_count_;
    if (context_.DestinationOf(item)) ++destination_count_;
    Plan(item);
    return true;
  }
}

// Decides from the listings alone (PlanKey); same-size files are settled later (Settle).
void SyncRun::Plan(Item& item) {
  const std::optional<store::ObjectInfo>& source = context_.SourceOf(item);
  const std::optional<store::ObjectInfo>& destination = context_.DestinationOf(item);
  KeyFacts facts;
  facts.source = source.has_value();
  facts.destination = destination.has_value();
  facts.early_upload = item.early && item.early->uploading;
  if (source && destination) {
    facts.judged = Judge(*source, *destination, context_.settings().compare);
    facts.known_same = facts.judged == ActionKind::kCompare && KnownSame(item);
  }
  const KeyPlan plan = PlanKey(facts, context_.settings().delete_removed);
  item.kind = plan.kind;
  item.ignored = plan.ignored;
  if (item.ignored) return;
  if (item.kind == ActionKind::kSkip) context_.Skipped();
  if (item.kind == ActionKind::kTransfer && !facts.early_upload)
    context_.Planned(source->size_bytes);
}

Result<SyncSummary> SyncRun::Run() {
  const SyncSettings& s = context_.settings();
  SLACK_INTEL_RETURN_IF_ERROR(OpenListings());
  std::vector<Item> window;
  // Keys are planned and settled a window at a time, in key order: memory holds a window, not
  // the cache, and each window still keeps every worker busy.
  const size_t window_keys = std::max<size_t>(s.window_keys, 1);
  window.reserve(window_keys);  // `work` points into it
  for (bool more = true; more;) {
    window.clear();
    std::vector<Item*> work, early_work;
    while (window.size() < window_keys) {
      Item& item = window.emplace_back();
      SLACK_INTEL_ASSIGN_OR_RETURN(more, NextItem(item));
      if (!more) {
        window.pop_back();
        break;
      }
      if (item.ignored) continue;
      if (item.early && item.early->uploading) {
        early_work.push_back(&item);  // its uploader does the work: a worker would only wait
      } else if (item.kind == ActionKind::kCompare || item.kind == ActionKind::kTransfer) {
        work.push_back(&item);
      }
    }
    ParallelFor(
        work.size(), s.concurrency, [] { return 0; },
        [&](int&, size_t i) { transfers_.Settle(*work[i]); });
    for (Item* item : early_work) early_.Await(*item);
    // Stopped before the manifest is written: the mark it leaves makes the next run check
    // what this one uploaded instead of sending it again.
    if (Status down = s.bucket->Reachable(); !down.ok()) {
      return Status(down.code(), down.message() + "; rerun once it answers (what went up stays)")
          .WithContext(fmt::format("sync to {} stopped", s.bucket->Describe("")));
    }
    state_.Record(window);
    for (const Item& item : window) {
      if (!item.ignored && item.kind == ActionKind::kDelete) deletes_.push_back(item.key());
    }
  }
  cache_listing_.reset();
  early_.Stop();  // every one was waited for by the merge
  // A refused --delete still lets the run keep what it learnt; it fails at the end.
  const Status deletes_allowed =
      CheckDeletes(deletes_.size(), source_count_, destination_count_, s.max_delete,
                   context_.source().Describe(""), context_.destination().Describe(""));
  // Deletes only after every transfer went through: a failed run never removes anything.
  if (deletes_allowed.ok() && (s.dry_run || context_.failed() == 0)) RunDeletes(context_, deletes_);
  state_.Finish();
  SLACK_INTEL_RETURN_IF_ERROR(deletes_allowed);
  return context_.Summary();
}

}  // namespace

Result<SyncSummary> RunSync(const SyncSettings& settings,
                            const std::function<void(const SyncEvent&)>& report,
                            SyncProgress* progress) {
  SyncRun run(settings, report, progress);
  return run.Run();
}

}  // namespace slack_intel::sync

#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sync/manifest.h"
#include "sync/sync_context.h"
#include "sync/transfers.h"

namespace slack_intel::sync {

// Uploads started by the cache's walk, before the bucket's listing reaches their keys
// (docs/sync.md, "Early uploads"): a file whose stamp and MD5 both differ from the manifest's
// changed since the last run, and a file the manifest lacks is new since then; either has to
// go up whatever the listing says (at worst the PUT repeats bytes someone else uploaded), so it
// goes up now, while the walk and the listing go on. Everything else, and any doubt, is left
// to the merge, which takes what the walk learnt (Take) and waits for what it started (Await).
class EarlyUploads {
 public:
  EarlyUploads(SyncContext& context, Transfers& transfers);
  ~EarlyUploads();  // Stop()

  // Enables them if this run is one they help: the cache is the source, --compare content,
  // not a dry run, and the last run finished with a manifest (one that did not may have
  // uploaded files its manifest lacks: until a run finishes, no file looks new).
  void Start(const std::filesystem::path& manifest, bool last_run_unfinished);
  bool enabled() const { return enabled_; }

  // On the walk thread, for each cache file in key order.
  void Consider(const store::ObjectInfo& file);
  // What the walk learnt of `key`, once, for the merge; null if nothing.
  std::shared_ptr<EarlyLook> Take(const std::string& key);
  // Waits for the item's early upload to end and takes its manifest entry.
  void Await(Item& item);
  // Ends the uploads once the walk has ended: each queued one still runs.
  void Stop();

 private:
  void Uploader();  // on each uploader thread

  SyncContext& context_;
  Transfers& transfers_;
  bool enabled_ = false;                      // set before the walk starts
  std::unique_ptr<ManifestReader> recorded_;  // the walk thread's cursor
  std::mutex mutex_;                          // guards the fields below
  std::condition_variable queued_;            // uploaders wait for work (or the end)
  std::condition_variable done_;              // the merge waits for an upload to end
  std::deque<std::pair<store::ObjectInfo, std::shared_ptr<EarlyLook>>> queue_;
  std::map<std::string, std::shared_ptr<EarlyLook>> looks_;  // until the merge takes them
  bool closed_ = false;
  size_t idle_ = 0;                     // uploaders waiting for work
  std::vector<std::thread> uploaders_;  // added by the walk thread only
};

}  // namespace slack_intel::sync

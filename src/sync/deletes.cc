#include "sync/deletes.h"

#include <fmt/format.h>

#include <set>

namespace slack_intel::sync {

Status CheckDeletes(uint64_t deletes, uint64_t source_count, uint64_t destination_count,
                    std::optional<uint64_t> max_delete, const std::string& source,
                    const std::string& destination) {
  if (deletes == 0) return Status::OK();
  if (source_count == 0) {
    return Status::InvalidArgument(
        fmt::format("refusing --delete: {} holds no files, which would delete everything in {}",
                    source, destination));
  }
  const uint64_t limit = max_delete.value_or(destination_count / 2);
  if (deletes > limit) {
    return Status::InvalidArgument(
        fmt::format("refusing --delete: it would delete {} of the {} files in {} (limit {}); pass "
                    "--max-delete {} if that is intended",
                    deletes, destination_count, destination, limit, deletes));
  }
  return Status::OK();
}

void RunDeletes(SyncContext& context, const std::vector<std::string>& keys) {
  store::ObjectStore& destination = context.destination();
  if (context.settings().dry_run) {
    for (const std::string& key : keys) {
      context.Emit({SyncEvent::Kind::kDelete, true, "", destination.Describe(key), 0, ""});
      context.Deleted();
    }
    return;
  }
  auto failures = destination.Delete(keys);
  std::set<std::string> failed;
  if (!failures.ok()) {
    for (const std::string& key : keys) {
      context.Fail({SyncEvent::Kind::kDeleteFailed, false, "", destination.Describe(key), 0,
                    failures.status().message()});
    }
    return;
  }
  for (const store::DeleteFailure& f : *failures) {
    failed.insert(f.key);
    context.Fail(
        {SyncEvent::Kind::kDeleteFailed, false, "", destination.Describe(f.key), 0, f.message});
  }
  for (const std::string& key : keys) {
    if (failed.count(key)) continue;
    context.Emit({SyncEvent::Kind::kDelete, false, "", destination.Describe(key), 0, ""});
    context.Deleted();
  }
}

}  // namespace slack_intel::sync

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/sync_context.h"

namespace slack_intel::sync {

// Whether --delete may remove `deletes` of the `destination_count` objects the destination
// holds, the source holding `source_count`: never everything because the source is empty, and
// at most `max_delete` (default: half the destination). Errors: kInvalidArgument, saying how to
// allow it.
Status CheckDeletes(uint64_t deletes, uint64_t source_count, uint64_t destination_count,
                    std::optional<uint64_t> max_delete, const std::string& source,
                    const std::string& destination);

// Deletes `keys` from the destination (a dry run reports them), each reported as it goes or
// fails.
void RunDeletes(SyncContext& context, const std::vector<std::string>& keys);

}  // namespace slack_intel::sync

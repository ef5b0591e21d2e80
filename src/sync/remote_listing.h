#pragma once

#include <string>
#include <vector>

#include "s3/client.h"

namespace slack_intel::sync {

// Every object under `prefix` in `bucket`, keys made relative to the prefix, ascending.
// Big listings go in parallel: `expected_keys` (sorted, relative; the local listing is a good
// guess) splits the key space into ranges of ~2 pages, each listed on its own connection
// from its start key (ListObjectsV2 start-after) until it passes the next range's; the
// ranges are concatenated, so the result is the same as one sequential listing.
// Errors: "Cannot access S3 bucket B: <reason>".
Result<std::vector<s3::ObjectSummary>> ListRemote(const s3::ClientOptions& options,
                                                  const std::string& bucket,
                                                  const std::string& prefix,
                                                  const std::vector<std::string>& expected_keys,
                                                  int concurrency);

}  // namespace slack_intel::sync

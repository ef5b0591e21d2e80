#pragma once

#include <filesystem>
#include <string>

#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel athena-ddl`: the Athena statements for the tables sync's files make
// (docs/athena.md).
struct AthenaDdlOptions {
  std::string bucket;                          // --bucket, or s3.bucket from the config file
  std::string prefix;                          // --prefix
  std::string database;                        // --database
  bool projection = false;                     // --projection
  bool partitions = false;                     // --partitions
  std::filesystem::path cache_path = "cache";  // --cache-path: where the partitions are read
};

// Registers the `athena-ddl` subcommand on `app`. REQUIRES: `options` outlives parsing.
CLI::App* SetUpAthenaDdlCommand(CLI::App& app, AthenaDdlOptions& options);

// Prints the statements to stdout. Errors: kInvalidArgument (no or a bad bucket, a bad database
// name), kNotFound (no cache), kIOError.
Status RunAthenaDdl(const AthenaDdlOptions& options);

}  // namespace slack_intel::cli

#pragma once

#include <cstddef>
#include <filesystem>

#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel inspect FILE`: what parquet-tools shows, for files we write or read.
struct InspectOptions {
  std::filesystem::path file;  // positional
  size_t rows = 10;            // --rows: how many rows to print (0 = none)
  bool json = false;           // --json: one JSON document on stdout
};

// Registers the `inspect` subcommand on `app`. REQUIRES: `options` outlives parsing.
CLI::App* SetUpInspectCommand(CLI::App& app, InspectOptions& options);

// Prints schema, row groups (codecs, encodings, sizes, statistics) and the first rows to
// stdout. Errors: kNotFound, kIOError, kCorruption (with the reason), kInvalidArgument.
Status RunInspect(const InspectOptions& options);

}  // namespace slack_intel::cli

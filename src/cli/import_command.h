#pragma once

#include <filesystem>

#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel import`: a Slack workspace export (ZIP or folder) -> the same cache as `cache`.
struct ImportOptions {
  std::filesystem::path export_path;           // positional: EXPORT.zip or an unzipped folder
  std::filesystem::path cache_path = "cache";  // --cache-path
};

// Registers the `import` subcommand on `app`, binding its arguments to `options`.
// REQUIRES: `options` outlives parsing. Returns the subcommand (owned by `app`).
CLI::App* SetUpImportCommand(CLI::App& app, ImportOptions& options);

// Imports the export. Errors: kNotFound when the export does not exist; otherwise not built
// yet (kInternal naming its issue).
Status RunImport(const ImportOptions& options);

}  // namespace slack_intel::cli

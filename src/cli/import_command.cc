#include "cli/import_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <system_error>

namespace slack_intel::cli {

CLI::App* SetUpImportCommand(CLI::App& app, ImportOptions& options) {
  CLI::App* import = app.add_subcommand(
      "import", "Import a Slack workspace export (ZIP or folder) into the Parquet cache");
  import->add_option("export", options.export_path, "Export ZIP file or unzipped export folder")
      ->required();
  import->add_option("--cache-path", options.cache_path, "Cache folder to write")
      ->capture_default_str();
  return import;
}

Status RunImport(const ImportOptions& options) {
  std::error_code error;
  if (!std::filesystem::exists(options.export_path, error)) {
    return Status::NotFound(fmt::format("export not found: {}", options.export_path.string()));
  }
  // TODO(#7): read the export and write partitions.
  return Status::Internal("import: not implemented yet (issue #7)");
}

}  // namespace slack_intel::cli

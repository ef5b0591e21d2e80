#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace slack_intel::import {

// The files of a Slack workspace export, read in place from its ZIP (never extracted to disk)
// or from the unzipped folder. Paths are relative to the export's root (the folder holding
// channels.json, which ZIPs often nest one level down).
class ExportArchive {
 public:
  virtual ~ExportArchive() = default;

  // A ZIP file or a folder. Errors, each naming the file: kNotFound; kCorruption (not a ZIP,
  // a damaged central directory, no channels.json); kInvalidArgument (an entry whose name
  // would land outside the export: "../", absolute, backslashes: zip-slip).
  static Result<std::unique_ptr<ExportArchive>> Open(const std::filesystem::path& path);

  // Every file, relative to the root, '/'-separated, sorted.
  const std::vector<std::string>& files() const { return files_; }
  // Errors name the archive and the file: kNotFound, kCorruption (CRC, truncated), kIOError.
  // Safe to call from several threads.
  virtual Result<std::string> Read(const std::string& file) = 0;
  // "export.zip" or "export/" followed by the file, for messages.
  std::string Describe(const std::string& file) const;

 protected:
  ExportArchive(std::filesystem::path path, std::string root)
      : path_(std::move(path)), root_(std::move(root)) {}
  // Sets files_ from every path in the archive: keeps those under the root, made relative.
  void SetFiles(const std::vector<std::string>& all);

  std::filesystem::path path_;
  std::string root_;  // "" or "nested/", the prefix of channels.json
  std::vector<std::string> files_;
};

// Where channels.json sits among `paths` ("" for the top, "x/" when nested), or nullopt.
std::optional<std::string> FindExportRoot(const std::vector<std::string>& paths);

// Whether a ZIP entry name is safe to treat as a path inside the export; the reason if not.
std::optional<std::string> UnsafeEntryName(std::string_view name);

}  // namespace slack_intel::import

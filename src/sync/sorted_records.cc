#include "sync/sorted_records.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace slack_intel::sync {

bool ReadRecordHeader(std::istream& in, const std::filesystem::path& path,
                      const RecordFormat& format) {
  std::string line;
  if (!std::getline(in, line)) return false;
  const auto header = nlohmann::json::parse(line, nullptr, false);
  if (header.is_object() && header.value("format", "") == format.name &&
      header.value("version", 0) == format.version) {
    return true;
  }
  spdlog::warn("ignoring {}: not a version {} {} ({})", path.string(), format.version,
               format.name.substr(format.name.find(' ') + 1), format.consequence);
  return false;
}

void WarnDamagedRecords(const std::filesystem::path& path, const RecordFormat& format) {
  spdlog::warn("ignoring {} from a damaged line on ({})", path.string(), format.consequence);
}

Result<AtomicFileWriter> OpenRecordFile(const std::filesystem::path& path,
                                        const RecordFormat& format) {
  SLACK_INTEL_ASSIGN_OR_RETURN(AtomicFileWriter file, AtomicFileWriter::Open(path));
  SLACK_INTEL_RETURN_IF_ERROR(file.Append(
      nlohmann::json{{"format", format.name}, {"version", format.version}}.dump() + "\n"));
  return file;
}

}  // namespace slack_intel::sync

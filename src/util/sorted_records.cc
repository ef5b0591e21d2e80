#include "util/sorted_records.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace slack_intel {

bool ReadRecordHeader(std::istream& in, const std::filesystem::path& path,
                      const RecordFormat& format, DamageReport report) {
  std::string line;
  if (!std::getline(in, line)) return false;
  const auto header = nlohmann::json::parse(line, nullptr, false);
  if (header.is_object() && header.value("format", "") == format.name &&
      header.value("version", 0) == format.version) {
    return true;
  }
  if (report == DamageReport::kSilent) return false;
  spdlog::warn("ignoring {}: not a version {} {} ({})", path.string(), format.version,
               format.name.substr(format.name.find(' ') + 1), format.consequence);
  return false;
}

void WarnDamagedRecords(const std::filesystem::path& path, const RecordFormat& format) {
  spdlog::warn("ignoring {} from a damaged line on ({})", path.string(), format.consequence);
}

Result<AtomicFileWriter> OpenRecordFile(const std::filesystem::path& path,
                                        const RecordFormat& format) {
  SLACK_INTEL_ASSIGN_OR_RETURN(AtomicFileWriter file,
                               AtomicFileWriter::Open(path, AtomicFileWriter::Durability::kHint));
  SLACK_INTEL_RETURN_IF_ERROR(file.Append(
      nlohmann::json{{"format", format.name}, {"version", format.version}}.dump() + "\n"));
  return file;
}

Status RecordFileWriter::Diverge() {
  if (file_) return Status::OK();
  SLACK_INTEL_ASSIGN_OR_RETURN(AtomicFileWriter file, OpenRecordFile(path_, format_));
  std::ifstream current(path_);
  std::string line;
  std::getline(current, line);  // its header: the reader checked it, the new file has its own
  for (uint64_t i = 0; i < kept_; ++i) {
    if (!std::getline(current, line)) {
      return Status::IOError(fmt::format("cannot read {} back", path_.string()));
    }
    line += '\n';
    SLACK_INTEL_RETURN_IF_ERROR(file.Append(line));
  }
  file_.emplace(std::move(file));
  return Status::OK();
}

}  // namespace slack_intel

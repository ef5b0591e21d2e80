#include "sync/folder_index.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "sync/escaped_fields.h"

namespace slack_intel::sync {
namespace {

constexpr std::string_view kFormat = "slack-intel folder index";
constexpr int kVersion = 1;

// path, mtime, ctime, inode, then one field per entry; a folder's name ends in '/' (a name
// never holds one).
std::optional<FolderRecord> ParseLine(std::string_view line) {
  const std::vector<std::string_view> f = SplitFields(line);
  if (f.size() < 4) return std::nullopt;
  FolderRecord record;
  auto path = Unescape(f[0]);
  if (!path || !(path->empty() || path->ends_with('/')) || !ParseInt(f[1], record.stamp.mtime_ns) ||
      !ParseInt(f[2], record.stamp.ctime_ns) || !ParseInt(f[3], record.stamp.inode)) {
    return std::nullopt;
  }
  record.path = std::move(*path);
  for (size_t i = 4; i < f.size(); ++i) {
    auto name = Unescape(f[i]);
    if (!name || name->empty() || *name == "/") return std::nullopt;
    const bool is_folder = name->ends_with('/');
    if (is_folder) name->pop_back();
    if (name->find('/') != std::string::npos) return std::nullopt;
    record.entries.push_back({std::move(*name), is_folder});
  }
  return record;
}

}  // namespace

FolderStamp FolderStampOf(const struct stat& st) {
  return {static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec,
          static_cast<uint64_t>(st.st_ino)};
}

FolderIndexReader::FolderIndexReader(const std::filesystem::path& path) : path_(path), in_(path) {
  if (!in_) return;  // the first walk
  std::string header_line;
  std::getline(in_, header_line);
  const auto header = nlohmann::json::parse(header_line, nullptr, false);
  if (header.is_object() && header.value("format", "") == kFormat &&
      header.value("version", 0) == kVersion) {
    Advance();
  } else {
    spdlog::warn("ignoring {}: not a version {} folder index (folders will be read again)",
                 path_.string(), kVersion);
  }
}

bool FolderIndexReader::Advance() {
  std::optional<std::string> previous;
  if (current_) previous = std::move(current_->path);
  current_.reset();
  if (!std::getline(in_, line_)) return false;
  auto record = ParseLine(line_);
  if (!record || (previous && record->path <= *previous)) {
    spdlog::warn("ignoring {} from a damaged line on (folders will be read again)", path_.string());
    in_.setstate(std::ios::eofbit);
    return false;
  }
  current_ = std::move(record);
  return true;
}

std::optional<FolderRecord> FolderIndexReader::Find(std::string_view path) {
  while (current_ && current_->path < path) {
    ++dropped_;
    Advance();
  }
  if (!current_ || current_->path != path) return std::nullopt;
  FolderRecord record = std::move(*current_);
  current_->path = record.path;  // Advance() checks the order against it
  Advance();
  return record;
}

uint64_t FolderIndexReader::Dropped(bool to_end) {
  while (to_end && current_) {
    ++dropped_;
    Advance();
  }
  return dropped_;
}

Result<FolderIndexWriter> FolderIndexWriter::Open(const std::filesystem::path& path) {
  SLACK_INTEL_ASSIGN_OR_RETURN(AtomicFileWriter file, AtomicFileWriter::Open(path));
  SLACK_INTEL_RETURN_IF_ERROR(
      file.Append(nlohmann::json{{"format", kFormat}, {"version", kVersion}}.dump() + "\n"));
  return FolderIndexWriter(std::move(file));
}

Status FolderIndexWriter::Add(const FolderRecord& r) {
  line_.clear();
  AppendEscaped(line_, r.path);
  fmt::format_to(std::back_inserter(line_), "\t{}\t{}\t{}", r.stamp.mtime_ns, r.stamp.ctime_ns,
                 r.stamp.inode);
  for (const FolderEntry& entry : r.entries) {
    line_ += '\t';
    AppendEscaped(line_, entry.name);
    if (entry.is_folder) line_ += '/';
  }
  line_ += '\n';
  return file_.Append(line_);
}

}  // namespace slack_intel::sync

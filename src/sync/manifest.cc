#include "sync/manifest.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "aws/crypto.h"
#include "sync/escaped_fields.h"

namespace slack_intel::sync {
namespace {

constexpr std::string_view kFormat = "slack-intel sync manifest";
constexpr int kVersion = 2;
constexpr size_t kFields = 9;

std::optional<std::pair<std::string, ManifestEntry>> ParseLine(std::string_view line) {
  const std::vector<std::string_view> f = SplitFields(line);
  if (f.size() != kFields) return std::nullopt;
  std::pair<std::string, ManifestEntry> row;
  ManifestEntry& e = row.second;
  auto key = Unescape(f[0]);
  auto md5 = Unescape(f[5]);
  auto multipart = Unescape(f[6]);
  auto remote = Unescape(f[8]);
  if (!key || !md5 || !multipart || !remote || !ParseInt(f[1], e.stamp.size_bytes) ||
      !ParseInt(f[2], e.stamp.mtime_ns) || !ParseInt(f[3], e.stamp.ctime_ns) ||
      !ParseInt(f[4], e.stamp.inode) || !ParseInt(f[7], e.part_size)) {
    return std::nullopt;
  }
  row.first = std::move(*key);
  e.md5_hex = std::move(*md5);
  e.multipart_etag = std::move(*multipart);
  e.remote_etag = std::move(*remote);
  return row;
}

bool HeaderOk(std::istream& in, const std::filesystem::path& path) {
  std::string line;
  if (!std::getline(in, line)) return false;
  const auto header = nlohmann::json::parse(line, nullptr, false);
  if (header.is_object() && header.value("format", "") == kFormat &&
      header.value("version", 0) == kVersion) {
    return true;
  }
  spdlog::warn("ignoring {}: not a version {} sync manifest (files will be hashed again)",
               path.string(), kVersion);
  return false;
}

}  // namespace

std::filesystem::path SyncStatePath(const std::filesystem::path& cache_path,
                                    const std::string& endpoint, const std::string& bucket,
                                    const std::string& prefix, const std::string& suffix) {
  const std::string id =
      aws::HexEncode(aws::Sha256(fmt::format("{}\n{}\n{}", endpoint, bucket, prefix)))
          .substr(0, 16);
  return cache_path / ".slack-intel" / "sync" / fmt::format("{}-{}.{}", bucket, id, suffix);
}

ManifestReader::ManifestReader(const std::filesystem::path& path) : path_(path), in_(path) {
  if (!in_) return;  // the first run for this destination
  if (HeaderOk(in_, path_)) Advance();
  had_entries_ = current_.has_value();
}

bool ManifestReader::Advance() {
  std::optional<std::string> previous;
  if (current_) previous = std::move(current_->first);
  current_.reset();
  if (!std::getline(in_, line_)) return false;
  auto row = ParseLine(line_);
  if (!row || (previous && row->first <= *previous)) {
    spdlog::warn("ignoring {} from a damaged line on (files will be hashed again)", path_.string());
    in_.setstate(std::ios::eofbit);
    return false;
  }
  current_ = std::move(row);
  return true;
}

std::optional<ManifestEntry> ManifestReader::Find(std::string_view key) {
  while (current_ && current_->first < key) {
    ++dropped_;
    Advance();
  }
  if (!current_ || current_->first != key) return std::nullopt;
  ManifestEntry entry = std::move(current_->second);
  Advance();
  return entry;
}

uint64_t ManifestReader::Dropped(bool to_end) {
  while (to_end && current_) {
    ++dropped_;
    Advance();
  }
  return dropped_;
}

std::vector<std::string> ManifestReader::SampleKeys(const std::filesystem::path& path,
                                                    size_t every) {
  std::vector<std::string> keys;
  std::ifstream in(path);
  if (!in || every == 0) return keys;
  std::string line;
  if (!std::getline(in, line)) return keys;  // the header; Find() checks it
  for (size_t i = 0; std::getline(in, line); ++i) {
    if (i == 0 || i % every != 0) continue;  // cutting before the first key is no cut
    auto key = Unescape(std::string_view(line).substr(0, line.find('\t')));
    if (!key || (!keys.empty() && *key <= keys.back())) break;
    keys.push_back(std::move(*key));
  }
  return keys;
}

Result<ManifestWriter> ManifestWriter::Open(const std::filesystem::path& path) {
  SLACK_INTEL_ASSIGN_OR_RETURN(AtomicFileWriter file, AtomicFileWriter::Open(path));
  SLACK_INTEL_RETURN_IF_ERROR(
      file.Append(nlohmann::json{{"format", kFormat}, {"version", kVersion}}.dump() + "\n"));
  return ManifestWriter(std::move(file));
}

Status ManifestWriter::Add(std::string_view key, const ManifestEntry& e) {
  line_.clear();
  AppendEscaped(line_, key);
  fmt::format_to(std::back_inserter(line_), "\t{}\t{}\t{}\t{}\t", e.stamp.size_bytes,
                 e.stamp.mtime_ns, e.stamp.ctime_ns, e.stamp.inode);
  AppendEscaped(line_, e.md5_hex);
  line_ += '\t';
  AppendEscaped(line_, e.multipart_etag);
  fmt::format_to(std::back_inserter(line_), "\t{}\t", e.part_size);
  AppendEscaped(line_, e.remote_etag);
  line_ += '\n';
  return file_.Append(line_);
}

}  // namespace slack_intel::sync

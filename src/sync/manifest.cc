#include "sync/manifest.h"

#include <fmt/format.h>

#include <fstream>

#include "util/digest.h"
#include "util/escaped_fields.h"

namespace slack_intel::sync {
namespace {

constexpr RecordFormat kFormat{"slack-intel sync manifest", 2, "files will be hashed again"};
constexpr size_t kFields = 9;

std::optional<std::pair<std::string, ManifestEntry>> ParseLine(std::string_view line) {
  std::string_view f[kFields];
  FieldReader fields(line);
  for (std::string_view& field : f) {
    if (!fields.Next(field)) return std::nullopt;
  }
  if (!fields.done()) return std::nullopt;
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

std::filesystem::path UnfinishedMark(const std::filesystem::path& manifest) {
  std::filesystem::path mark = manifest;
  return mark += ".unfinished";
}

}  // namespace

std::filesystem::path SyncStatePath(const std::filesystem::path& cache_path,
                                    const std::string& endpoint, const std::string& bucket,
                                    const std::string& prefix, const std::string& suffix) {
  const std::string id =
      HexEncode(Sha256(fmt::format("{}\n{}\n{}", endpoint, bucket, prefix))).substr(0, 16);
  return cache_path / ".slack-intel" / "sync" / fmt::format("{}-{}.{}", bucket, id, suffix);
}

ManifestReader::ManifestReader(const std::filesystem::path& path, DamageReport report)
    : SortedRecordReader(path, kFormat, &ParseLine, report) {}

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

bool MarkManifestUnfinished(const std::filesystem::path& manifest) {
  const std::filesystem::path mark = UnfinishedMark(manifest);
  std::error_code error;
  if (std::filesystem::exists(mark, error)) return true;
  // Not flushed, and a failure is not an error: a lost mark can only repeat a PUT.
  std::filesystem::create_directories(mark.parent_path(), error);
  std::ofstream{mark};
  return false;
}

void ClearManifestUnfinished(const std::filesystem::path& manifest) {
  std::error_code error;
  std::filesystem::remove(UnfinishedMark(manifest), error);
}

ManifestWriter::ManifestWriter(const std::filesystem::path& path) : file_(path, kFormat) {}

Status ManifestWriter::Add(bool unchanged, std::string_view key, const ManifestEntry& e) {
  return file_.Add(unchanged, [&](std::string& line) {
    FieldWriter(line)
        .Text(key)
        .Number(e.stamp.size_bytes)
        .Number(e.stamp.mtime_ns)
        .Number(e.stamp.ctime_ns)
        .Number(e.stamp.inode)
        .Text(e.md5_hex)
        .Text(e.multipart_etag)
        .Number(e.part_size)
        .Text(e.remote_etag);
    line += '\n';
  });
}

}  // namespace slack_intel::sync

#include "store/folder_index.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "util/escaped_fields.h"

namespace slack_intel::store {
namespace {

constexpr RecordFormat kFormat{"slack-intel folder index", 1, "folders will be read again"};

// path, mtime, ctime, inode, then one field per entry; a folder's name ends in '/' (a name
// never holds one).
std::optional<std::pair<std::string, FolderRecord>> ParseLine(std::string_view line) {
  std::string_view f[4];
  FieldReader fields(line);
  for (std::string_view& field : f) {
    if (!fields.Next(field)) return std::nullopt;
  }
  FolderRecord record;
  auto path = Unescape(f[0]);
  if (!path || !(path->empty() || path->ends_with('/')) || !ParseInt(f[1], record.stamp.mtime_ns) ||
      !ParseInt(f[2], record.stamp.ctime_ns) || !ParseInt(f[3], record.stamp.inode)) {
    return std::nullopt;
  }
  for (std::string_view field; fields.Next(field);) {
    auto name = Unescape(field);
    if (!name || name->empty() || *name == "/") return std::nullopt;
    const bool is_folder = name->ends_with('/');
    if (is_folder) name->pop_back();
    if (name->find('/') != std::string::npos) return std::nullopt;
    record.entries.push_back({std::move(*name), is_folder});
  }
  return std::pair<std::string, FolderRecord>(std::move(*path), std::move(record));
}

}  // namespace

FolderStamp FolderStampOf(const struct stat& st) {
  return {static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec,
          static_cast<uint64_t>(st.st_ino)};
}

FolderIndexReader::FolderIndexReader(const std::filesystem::path& path)
    : SortedRecordReader(path, kFormat, &ParseLine) {}

FolderIndexWriter::FolderIndexWriter(const std::filesystem::path& path) : file_(path, kFormat) {}

Status FolderIndexWriter::Add(bool unchanged, std::string_view path, const FolderStamp& stamp,
                              const std::vector<FolderEntry>& entries) {
  return file_.Add(unchanged, [&](std::string& line) {
    FieldWriter fields(line);
    fields.Text(path).Number(stamp.mtime_ns).Number(stamp.ctime_ns).Number(stamp.inode);
    for (const FolderEntry& entry : entries) {
      fields.Text(entry.name);
      if (entry.is_folder) line += '/';  // after the escaped name: a name never holds one
    }
    line += '\n';
  });
}

}  // namespace slack_intel::store

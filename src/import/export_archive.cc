#include "import/export_archive.h"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <system_error>

namespace slack_intel::import {
namespace {

// No channels.json: say what it is instead when we can tell. slackdump's "dump" mode writes
// one <C|D|G ID>.json per conversation at the top (slackdump's own reader checks the same).
Status NotAnExport(const std::filesystem::path& path, const std::vector<std::string>& paths) {
  const auto conversation_file = [](const std::string& p) {
    if (p.find('/') != std::string::npos || p.size() < 7 || !p.ends_with(".json")) return false;
    if (p[0] != 'C' && p[0] != 'D' && p[0] != 'G') return false;
    return std::all_of(p.begin() + 1, p.end() - 5, [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
  };
  if (std::any_of(paths.begin(), paths.end(), conversation_file)) {
    return Status::Corruption(fmt::format(
        "{} is not a Slack export but looks like a slackdump dump (one <channel ID>.json per "
        "conversation, no channels.json): create an export with `slackdump export` and import "
        "that",
        path.string()));
  }
  return Status::Corruption(
      fmt::format("{} is not a Slack export: it has no channels.json", path.string()));
}

std::string ZipErrorText(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// A day file or list this size is far past any real export's; a ZIP entry that inflates past
// it is refused rather than held in memory.
constexpr uint64_t kMaxEntryBytes = uint64_t{1} << 30;

class ZipArchive : public ExportArchive {
 public:
  ZipArchive(std::filesystem::path path, std::string root, zip_t* zip)
      : ExportArchive(std::move(path), std::move(root)), zip_(zip) {}
  ~ZipArchive() override { zip_discard(zip_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  Status Index(const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) index_[names[i]] = i;
    SetFiles(names);
    return Status::OK();
  }

  Result<std::string> Read(const std::string& file) override {
    auto it = index_.find(root_ + file);
    if (it == index_.end())
      return Status::NotFound(fmt::format("{}: no such file", Describe(file)));
    std::lock_guard lock(mutex_);  // one zip_t reads one entry at a time
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_, it->second, 0, &st) != 0) {
      return Status::Corruption(fmt::format("{}: {}", Describe(file), zip_strerror(zip_)));
    }
    zip_file_t* entry = zip_fopen_index(zip_, it->second, 0);
    if (entry == nullptr) {
      return Status::Corruption(fmt::format("{}: {}", Describe(file), zip_strerror(zip_)));
    }
    std::string bytes;
    const auto too_big = [&] {
      zip_fclose(entry);
      return Status::Corruption(fmt::format("{}: over {} MiB uncompressed (a ZIP bomb?)",
                                            Describe(file), kMaxEntryBytes >> 20));
    };
    if ((st.valid & ZIP_STAT_SIZE) && st.size > kMaxEntryBytes) return too_big();
    if (st.valid & ZIP_STAT_SIZE) bytes.reserve(st.size);
    char buffer[64 * 1024];
    while (true) {
      const zip_int64_t n = zip_fread(entry, buffer, sizeof buffer);
      if (n < 0) {  // a CRC mismatch or truncated data
        const std::string why = zip_file_strerror(entry);
        zip_fclose(entry);
        return Status::Corruption(fmt::format("{}: {}", Describe(file), why));
      }
      if (n == 0) break;
      if (bytes.size() + static_cast<size_t>(n) > kMaxEntryBytes) return too_big();
      bytes.append(buffer, static_cast<size_t>(n));
    }
    zip_fclose(entry);
    return bytes;
  }

 private:
  zip_t* zip_;
  std::map<std::string, zip_uint64_t> index_;
  std::mutex mutex_;
};

class FolderArchive : public ExportArchive {
 public:
  explicit FolderArchive(std::filesystem::path path) : ExportArchive(std::move(path), "") {}

  Status Index() {
    std::vector<std::string> all;
    std::error_code error;
    std::filesystem::recursive_directory_iterator it(path_, error);
    for (; !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (it->is_symlink(error) || !it->is_regular_file(error)) continue;  // links lead out
      all.push_back(it->path().lexically_relative(path_).generic_string());
    }
    if (error) {
      return Status::IOError(fmt::format("cannot list {}: {}", path_.string(), error.message()));
    }
    auto root = FindExportRoot(all);
    if (!root) return NotAnExport(path_, all);
    root_ = *root;
    SetFiles(all);
    return Status::OK();
  }

  Result<std::string> Read(const std::string& file) override {
    std::ifstream in(path_ / (root_ + file), std::ios::binary);
    if (!in) return Status::NotFound(fmt::format("{}: cannot open", Describe(file)));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) return Status::IOError(fmt::format("{}: read error", Describe(file)));
    return std::move(bytes).str();
  }
};

}  // namespace

std::optional<std::string> UnsafeEntryName(std::string_view name) {
  if (name.empty()) return "an empty name";
  if (name.starts_with("/") || (name.size() > 1 && name[1] == ':')) return "an absolute path";
  if (name.find('\\') != std::string_view::npos) return "a backslash";
  if (name.find('\0') != std::string_view::npos) return "a NUL byte";
  size_t start = 0;
  while (start <= name.size()) {
    const size_t slash = std::min(name.find('/', start), name.size());
    if (name.substr(start, slash - start) == "..") return "a '..' segment";
    start = slash + 1;
  }
  return std::nullopt;
}

std::optional<std::string> FindExportRoot(const std::vector<std::string>& paths) {
  std::optional<std::string> best;
  for (const std::string& p : paths) {
    if (p != "channels.json" && !p.ends_with("/channels.json")) continue;
    std::string root = p.substr(0, p.size() - std::string_view("channels.json").size());
    if (!best || root.size() < best->size()) best = root;
  }
  return best;
}

std::string ExportArchive::Describe(const std::string& file) const {
  return fmt::format("{}:{}{}", path_.string(), root_, file);
}

void ExportArchive::SetFiles(const std::vector<std::string>& all) {
  files_.clear();
  for (const std::string& p : all) {
    if (p.starts_with(root_) && !p.ends_with("/")) files_.push_back(p.substr(root_.size()));
  }
  std::sort(files_.begin(), files_.end());
}

Result<std::unique_ptr<ExportArchive>> ExportArchive::Open(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    auto folder = std::make_unique<FolderArchive>(path);
    SLACK_INTEL_RETURN_IF_ERROR(folder->Index());
    return std::unique_ptr<ExportArchive>(std::move(folder));
  }
  if (!std::filesystem::exists(path, error)) {
    return Status::NotFound(fmt::format("export not found: {}", path.string()));
  }
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (zip == nullptr) {
    return Status::Corruption(
        fmt::format("{} is not a readable ZIP: {}", path.string(), ZipErrorText(code)));
  }
  auto archive = std::make_unique<ZipArchive>(path, "", zip);
  std::vector<std::string> names;
  const zip_int64_t count = zip_get_num_entries(zip, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(zip, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    if (name == nullptr) {
      return Status::Corruption(
          fmt::format("{}: entry {}: {}", path.string(), i, zip_strerror(zip)));
    }
    if (auto unsafe = UnsafeEntryName(name)) {
      return Status::InvalidArgument(
          fmt::format("{}: refusing the entry '{}': {} would reach outside the export",
                      path.string(), name, *unsafe));
    }
    names.push_back(name);
  }
  auto root = FindExportRoot(names);
  if (!root) return NotAnExport(path, names);
  archive->root_ = *root;
  SLACK_INTEL_RETURN_IF_ERROR(archive->Index(names));
  return std::unique_ptr<ExportArchive>(std::move(archive));
}

}  // namespace slack_intel::import

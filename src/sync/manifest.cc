#include "sync/manifest.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "aws/crypto.h"
#include "util/atomic_file.h"

namespace slack_intel::sync {
namespace {

constexpr std::string_view kFormat = "slack-intel sync manifest";
constexpr int kVersion = 1;

}  // namespace

std::filesystem::path Manifest::PathFor(const std::filesystem::path& cache_path,
                                        const std::string& endpoint, const std::string& bucket,
                                        const std::string& prefix, const std::string& suffix) {
  const std::string id =
      aws::HexEncode(aws::Sha256(fmt::format("{}\n{}\n{}", endpoint, bucket, prefix)))
          .substr(0, 16);
  return cache_path / ".slack-intel" / "sync" / fmt::format("{}-{}.{}", bucket, id, suffix);
}

// One JSON value per line: a header object, then [key, size, mtime_ns, ctime_ns, inode, md5,
// multipart_etag, part_size, remote_etag] per file.
void Manifest::Load(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return;  // first run for this destination
  std::map<std::string, ManifestEntry> entries;
  std::string line;
  try {
    if (!std::getline(in, line)) return;
    const auto header = nlohmann::json::parse(line);
    if (header.value("format", "") != kFormat || header.value("version", 0) != kVersion) {
      spdlog::warn("ignoring {}: not a version {} sync manifest", path.string(), kVersion);
      return;
    }
    while (std::getline(in, line)) {
      const auto row = nlohmann::json::parse(line);
      ManifestEntry e;
      e.stamp = {row.at(1).get<uint64_t>(), row.at(2).get<int64_t>(), row.at(3).get<int64_t>(),
                 row.at(4).get<uint64_t>()};
      e.md5_hex = row.at(5).get<std::string>();
      e.multipart_etag = row.at(6).get<std::string>();
      e.part_size = row.at(7).get<uint64_t>();
      e.remote_etag = row.at(8).get<std::string>();
      entries[row.at(0).get<std::string>()] = std::move(e);
    }
  } catch (const nlohmann::json::exception& e) {
    spdlog::warn("ignoring {}: {} (files will be hashed again)", path.string(), e.what());
    return;
  }
  std::lock_guard lock(mutex_);
  entries_ = std::move(entries);
}

std::optional<ManifestEntry> Manifest::Find(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void Manifest::Set(const std::string& key, ManifestEntry entry) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(key, entry);
  if (!inserted && it->second == entry) return;
  it->second = std::move(entry);
  dirty_ = true;
}

bool Manifest::dirty() const {
  std::lock_guard lock(mutex_);
  return dirty_;
}

void Manifest::Retain(const std::function<bool(const std::string& key)>& keep) {
  std::lock_guard lock(mutex_);
  if (std::erase_if(entries_, [&](const auto& item) { return !keep(item.first); }) > 0)
    dirty_ = true;
}

size_t Manifest::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

Status Manifest::Save(const std::filesystem::path& path) const {
  std::string text = nlohmann::json{{"format", kFormat}, {"version", kVersion}}.dump() + "\n";
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, e] : entries_) {
      nlohmann::json row = {key,           e.stamp.size_bytes, e.stamp.mtime_ns, e.stamp.ctime_ns,
                            e.stamp.inode, e.md5_hex,          e.multipart_etag, e.part_size,
                            e.remote_etag};
      // Keys are UTF-8 in practice; 'replace' keeps a stray byte from failing the save.
      text += row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
  }
  return WriteFileAtomically(path, text);
}

}  // namespace slack_intel::sync

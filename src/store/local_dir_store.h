#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/local_walker.h"
#include "store/object_store.h"

namespace slack_intel::store {

struct LocalDirOptions {
  std::filesystem::path root;
  // A folder of `root` whose files are keyed by their path below it: keys with a '/' live
  // there, keys without at the top (the cache: "raw", so raw/<X/Y> <-> <X/Y> and
  // users.parquet <-> users.parquet). "": every file is keyed by its path from `root`.
  std::string keyed_folder;
  // Where the walk remembers the folders it read (LocalWalker); empty folder: no index.
  FolderIndexOptions index;
};

// Why `key` cannot name a file below a folder, or nullopt if it can: absolute, backslashes,
// NUL or control bytes, "", "." or ".." segments, segments over 255 bytes (NAME_MAX), hidden
// or temporary names (SkippedName), which no listing shows.
std::optional<std::string> UnsafeFileKey(std::string_view key);

// A local folder as an ObjectStore: objects are its files, keyed as LocalDirOptions
// says. Writes go to a hidden temp file beside the destination, then a rename: a reader never
// sees a partial file, and the temp names are invisible to List. Files whose key would map back
// to another path (a file directly in the keyed folder, a folder beside it) are not objects of
// the store. Folders that lead outside `root` through a symbolic link are never written to.
// Thread-safe.
class LocalDirStore final : public ObjectStore, public LocalFolder {
 public:
  explicit LocalDirStore(LocalDirOptions options);

  std::string Describe(std::string_view key) const override;
  // Errors: kNotFound ("Local path does not exist: <root>"), kIOError.
  Result<std::unique_ptr<ObjectListing>> List(const ListOptions& options) override;
  Result<ObjectHead> Stat(std::string_view key) override;
  Result<Stored> PutFile(std::string_view key, const std::filesystem::path& file,
                         const PutRequest& request) override;
  Result<Stored> GetFile(const ObjectInfo& object,
                         const std::filesystem::path& destination) override;
  // Also removes the folders a delete leaves empty, up to the root.
  Result<std::vector<DeleteFailure>> Delete(const std::vector<std::string>& keys) override;
  LocalFolder* AsLocalFolder() override { return this; }
  Status CheckKey(std::string_view key) const override;

  std::filesystem::path PathOf(std::string_view key) const override;
  Result<std::filesystem::path> PrepareWrite(std::string_view key) override;

  const std::filesystem::path& root() const override { return options_.root; }

 private:
  // `key`'s path relative to the root.
  std::string RelativePath(std::string_view key) const;

  const LocalDirOptions options_;
};

}  // namespace slack_intel::store

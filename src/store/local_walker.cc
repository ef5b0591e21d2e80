#include "store/local_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "store/folder_index.h"

namespace slack_intel::store {

bool SkippedName(std::string_view name) {
  return name.starts_with(".") || name.ends_with(".tmp");  // also "." and ".."
}

// A depth-first walk of one folder that yields files in the byte order of their keys: a
// folder "a" sorts as "a/", so "a-b" (0x2D) comes before everything in "a/" (0x2F) and "a0"
// after, exactly as S3 lists "a-b", "a/x", "a0". Folders are visited in the byte order of
// their paths ("a/" < "a/x/" < "a0/"), the order of the folder index.
class LocalWalker::SortedTree {
 public:
  // `skipped_folder`: a folder of the root this tree leaves to another ("" = none).
  SortedTree(std::filesystem::path root, bool in_keyed_folder, std::string skipped_folder)
      : root_(std::move(root)),
        in_keyed_folder_(in_keyed_folder),
        skipped_folder_(std::move(skipped_folder)) {}
  ~SortedTree() {
    for (Level& level : stack_) Close(level);
  }

  // Reads the folders in `index_path` (if it exists) and, with `update`, records the folders
  // changed before `trust_before_ns` for the next walk.
  void UseIndex(const std::filesystem::path& index_path, bool update, int64_t trust_before_ns) {
    reader_.emplace(index_path);
    trust_before_ns_ = trust_before_ns;
    if (update) writer_.emplace(index_path);
  }

  Status Start() {
    const int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Error("list", root_.string());
    stack_.push_back(Level{fd, fd, 0, {}, 0, 0});
    return ReadEntries(fd, stack_.back().entries);
  }

  Result<std::optional<LocalFile>> Next() {
    while (!stack_.empty()) {
      Level& level = stack_.back();
      if (level.next == level.entries.size()) {
        Close(level);
        stack_.pop_back();
        if (stack_.empty()) FinishIndex();
        continue;
      }
      const FolderEntry& entry = level.entries[level.next++];
      key_.resize(level.key_length);
      if (entry.is_folder) {
        const int base_fd = level.base_fd;
        const size_t base_key_length = level.base_key_length;
        key_ += entry.name;
        key_ += '/';
        SLACK_INTEL_RETURN_IF_ERROR(Enter(base_fd, base_key_length));
        continue;
      }
      struct stat st {};
      if (::fstatat(level.base_fd, RelativePath(level, entry.name), &st, AT_SYMLINK_NOFOLLOW) !=
          0) {
        if (errno == ENOENT) continue;  // removed while we walk: nothing to sync
        return Error("stat", Display(entry.name));
      }
      if (!S_ISREG(st.st_mode)) continue;
      return std::optional<LocalFile>(
          LocalFile{key_ + entry.name, in_keyed_folder_, FileStampOf(st)});
    }
    return std::optional<LocalFile>();
  }

  uint64_t folders_read() const { return folders_read_; }
  uint64_t folders_reused() const { return folders_reused_; }

 private:
  struct Level {
    int fd = -1;       // this folder, if it was opened (not when the index knew it)
    int base_fd = -1;  // the nearest opened folder at or above this one
    size_t base_key_length = 0;
    std::vector<FolderEntry> entries;  // sorted by key order
    size_t next = 0;
    size_t key_length = 0;  // of key_ for this folder
  };

  static void Close(Level& level) {
    if (level.fd >= 0) ::close(level.fd);
    level.fd = -1;
  }
  // `name` in `level`, as a path relative to level.base_fd.
  const char* RelativePath(const Level& level, const std::string& name) {
    if (level.fd >= 0) return name.c_str();
    path_.assign(key_, level.base_key_length);
    path_ += name;
    return path_.c_str();
  }
  std::string Display(const std::string& name) const {
    return (root_ / key_ / name).lexically_normal().string();
  }
  Status Error(std::string_view what, const std::string& path) const {
    return Status::IOError(fmt::format("cannot {} {}: {}", what, path, std::strerror(errno)));
  }

  // Makes the folder key_ names (below the opened folder base_fd, at base_key_length of key_)
  // the current level: from the index when its stamp is the recorded one, else read.
  Status Enter(int base_fd, size_t base_key_length) {
    path_.assign(key_, base_key_length);
    path_.pop_back();  // the trailing '/'
    std::optional<FolderStamp> stamp;
    std::optional<FolderRecord> recorded;
    if (reader_) {
      struct stat st {};
      if (::fstatat(base_fd, path_.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return Status::OK();
        return Error("stat", Display(""));
      }
      if (!S_ISDIR(st.st_mode)) return Status::OK();  // replaced since its parent was read
      stamp = FolderStampOf(st);
      recorded = reader_->Find(key_);
      if (recorded && recorded->stamp == *stamp) {
        ++folders_reused_;
        stack_.push_back(
            Level{-1, base_fd, base_key_length, std::move(recorded->entries), 0, key_.size()});
        return Record(*stamp, true, true);
      }
    }
    const int fd =
        ::openat(base_fd, path_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      if (errno != ENOENT) return Error("list", Display(""));
      // Removed since it was stat'ed: its record, if the index had one, is dropped.
      if (recorded && writer_) {
        if (Status written = writer_->Diverge(); !written.ok()) IndexFailed(written);
      }
      return Status::OK();
    }
    ++folders_read_;
    stack_.push_back(Level{fd, fd, key_.size(), {}, 0, key_.size()});  // owns fd from here on
    SLACK_INTEL_RETURN_IF_ERROR(ReadEntries(fd, stack_.back().entries));
    return stamp ? Record(*stamp, recorded.has_value(), false) : Status::OK();
  }

  // Writes the current level to the new index, if its folder is old enough to trust (stamped
  // before it was read, so that a later change gives it a new stamp). `recorded`: the index
  // held this folder; `reused`: the level's entries are that record's, under the same stamp.
  Status Record(const FolderStamp& stamp, bool recorded, bool reused) {
    if (!writer_) return Status::OK();
    const bool trusted = stamp.mtime_ns < trust_before_ns_ && stamp.ctime_ns < trust_before_ns_;
    // The new index holds the same line only for a trusted folder taken from it, and neither
    // holds one for an untrusted folder it lacked. A folder the index held and the walk passed
    // over (removed) changes it too.
    const bool same = trusted ? reused : !recorded;
    Status written = reader_->Dropped(false) > 0 || !same ? writer_->Diverge() : Status::OK();
    if (written.ok() && trusted) written = writer_->Add(reused, key_, stamp, stack_.back().entries);
    if (!written.ok()) IndexFailed(written);  // a read-only cache still walks
    return Status::OK();
  }

  // At the end of the walk: the new index replaces the old one if they differ.
  void FinishIndex() {
    if (writer_ && reader_->Dropped(true) > 0) {
      if (Status written = writer_->Diverge(); !written.ok()) IndexFailed(written);
    }
    if (writer_ && writer_->changed()) {
      if (Status saved = writer_->Commit(); !saved.ok()) IndexFailed(saved);
    }
    writer_.reset();
  }
  void IndexFailed(const Status& status) {
    spdlog::warn("{} (folders will be read again)", status.message());
    writer_.reset();
  }

  // Reads the folder open on `fd` into `entries`, sorted.
  Status ReadEntries(int fd, std::vector<FolderEntry>& entries) {
    const bool top = stack_.size() == 1;
    alignas(8) char buffer[32 * 1024];
    while (true) {
      const ssize_t n = ::getdents64(fd, buffer, sizeof buffer);
      if (n < 0) return Error("list", Display(""));
      if (n == 0) break;
      for (ssize_t offset = 0; offset < n;) {
        const auto* d = reinterpret_cast<const struct dirent64*>(buffer + offset);
        offset += d->d_reclen;
        const std::string_view name = d->d_name;
        if (SkippedName(name) || d->d_type == DT_LNK) continue;  // links could lead outside
        if (top && name == skipped_folder_ && d->d_type == DT_DIR) continue;
        bool is_folder = d->d_type == DT_DIR;
        if (d->d_type == DT_UNKNOWN) {  // some filesystems do not say
          struct stat st {};
          if (::fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
          if (S_ISLNK(st.st_mode)) continue;
          is_folder = S_ISDIR(st.st_mode);
          if (top && name == skipped_folder_ && is_folder) continue;
        } else if (d->d_type != DT_DIR && d->d_type != DT_REG) {
          continue;  // sockets, fifos, devices
        }
        entries.push_back({std::string(name), is_folder});
      }
    }
    std::sort(entries.begin(), entries.end(), [](const FolderEntry& a, const FolderEntry& b) {
      // Compare as if folders ended in '/'.
      const size_t common = std::min(a.name.size(), b.name.size());
      if (const int c = a.name.compare(0, common, b.name, 0, common); c != 0) return c < 0;
      const auto next = [&](const FolderEntry& e) -> int {
        if (e.name.size() > common) return static_cast<unsigned char>(e.name[common]);
        return e.is_folder ? '/' : -1;
      };
      return next(a) < next(b);
    });
    return Status::OK();
  }

  const std::filesystem::path root_;
  const bool in_keyed_folder_;
  const std::string skipped_folder_;  // the top tree leaves the keyed folder to its own
  std::vector<Level> stack_;
  std::string key_;   // key prefix of the current folder, "" or ending in '/'
  std::string path_;  // scratch: a path relative to an opened folder
  std::optional<FolderIndexReader> reader_;
  std::optional<FolderIndexWriter> writer_;
  int64_t trust_before_ns_ = 0;
  uint64_t folders_read_ = 0, folders_reused_ = 0;
};

LocalWalker::~LocalWalker() = default;

Result<std::unique_ptr<LocalWalker>> LocalWalker::Open(const std::filesystem::path& root,
                                                       const std::string& keyed_folder,
                                                       const FolderIndexOptions& index) {
  std::error_code error;
  if (!std::filesystem::is_directory(root, error))
    return Status::NotFound(fmt::format("Local path does not exist: {}", root.string()));
  std::unique_ptr<LocalWalker> walker(new LocalWalker());
  walker->keyed_folder_ = keyed_folder;
  int64_t trust_before_ns = index.trust_before_ns;
  if (trust_before_ns == 0) {
    trust_before_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            (std::chrono::system_clock::now() - std::chrono::seconds(2)).time_since_epoch())
            .count();
  }
  auto make_tree = [&](const std::filesystem::path& tree_root, bool keyed,
                       const std::string& index_name) -> Result<std::unique_ptr<SortedTree>> {
    auto tree = std::make_unique<SortedTree>(tree_root, keyed, keyed ? "" : keyed_folder);
    if (!index.folder.empty())
      tree->UseIndex(index.folder / index_name, index.update, trust_before_ns);
    SLACK_INTEL_RETURN_IF_ERROR(tree->Start());
    return tree;
  };
  SLACK_INTEL_ASSIGN_OR_RETURN(walker->top_, make_tree(root, false, "folders.top"));
  const std::filesystem::path keyed = root / keyed_folder;
  if (!keyed_folder.empty() && std::filesystem::is_directory(keyed, error) &&
      !std::filesystem::is_symlink(keyed, error)) {
    SLACK_INTEL_ASSIGN_OR_RETURN(walker->keyed_, make_tree(keyed, true, "folders." + keyed_folder));
  }
  SLACK_INTEL_RETURN_IF_ERROR(walker->Fill(*walker->top_, walker->top_next_));
  if (walker->keyed_)
    SLACK_INTEL_RETURN_IF_ERROR(walker->Fill(*walker->keyed_, walker->keyed_next_));
  return walker;
}

uint64_t LocalWalker::folders_read() const {
  return top_->folders_read() + (keyed_ ? keyed_->folders_read() : 0);
}

uint64_t LocalWalker::folders_reused() const {
  return top_->folders_reused() + (keyed_ ? keyed_->folders_reused() : 0);
}

Status LocalWalker::Fill(SortedTree& tree, std::optional<LocalFile>& slot) {
  SLACK_INTEL_ASSIGN_OR_RETURN(slot, tree.Next());
  return Status::OK();
}

Result<std::optional<LocalFile>> LocalWalker::Next() {
  if (!keyed_next_ && !top_next_) return std::optional<LocalFile>();
  if (keyed_next_ && top_next_ && keyed_next_->key == top_next_->key) {
    // Two paths mapping to one key would overwrite each other.
    return Status::InvalidArgument(fmt::format("{} and {}/{} would both upload to the key {}",
                                               top_next_->key, keyed_folder_, keyed_next_->key,
                                               keyed_next_->key));
  }
  const bool take_keyed = keyed_next_ && (!top_next_ || keyed_next_->key < top_next_->key);
  std::optional<LocalFile> file = std::move(take_keyed ? keyed_next_ : top_next_);
  SLACK_INTEL_RETURN_IF_ERROR(take_keyed ? Fill(*keyed_, keyed_next_) : Fill(*top_, top_next_));
  return file;
}

}  // namespace slack_intel::store

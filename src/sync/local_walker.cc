#include "sync/local_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace slack_intel::sync {
namespace {

bool Skipped(std::string_view name) {
  return name.starts_with(".") || name.ends_with(".tmp");  // ".", "..", hidden, temporary
}

}  // namespace

// A depth-first walk of one folder that yields files in the byte order of their keys: a
// folder "a" sorts as "a/", so "a-b" (0x2D) comes before everything in "a/" (0x2F) and "a0"
// after, exactly as S3 lists "a-b", "a/x", "a0".
class LocalWalker::SortedTree {
 public:
  SortedTree(std::filesystem::path root, bool in_raw, bool skip_raw_folder)
      : root_(std::move(root)), in_raw_(in_raw), skip_raw_folder_(skip_raw_folder) {}
  ~SortedTree() {
    for (Level& level : stack_) ::close(level.fd);
  }

  Status Start() {
    const int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Error("list", root_.string());
    return Push(fd);
  }

  Result<std::optional<LocalFile>> Next() {
    while (!stack_.empty()) {
      Level& level = stack_.back();
      if (level.next == level.entries.size()) {
        ::close(level.fd);
        stack_.pop_back();
        continue;
      }
      const Entry& entry = level.entries[level.next++];
      key_.resize(level.key_length);
      if (entry.is_folder) {
        const int fd =
            ::openat(level.fd, entry.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
          if (errno == ENOENT) continue;  // removed while we walk: nothing to sync
          return Error("list", Display(entry.name));
        }
        key_ += entry.name;
        key_ += '/';
        SLACK_INTEL_RETURN_IF_ERROR(Push(fd));
        continue;
      }
      struct stat st {};
      if (::fstatat(level.fd, entry.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) continue;
        return Error("stat", Display(entry.name));
      }
      if (!S_ISREG(st.st_mode)) continue;
      return std::optional<LocalFile>(LocalFile{key_ + entry.name, in_raw_, FileStampOf(st)});
    }
    return std::optional<LocalFile>();
  }

 private:
  struct Entry {
    std::string name;
    bool is_folder = false;
  };
  struct Level {
    int fd = -1;
    std::vector<Entry> entries;  // sorted by key order
    size_t next = 0;
    size_t key_length = 0;  // of key_ for this folder
  };

  std::string Display(const std::string& name) const {
    return (root_ / key_ / name).lexically_normal().string();
  }
  Status Error(std::string_view what, const std::string& path) const {
    return Status::IOError(fmt::format("cannot {} {}: {}", what, path, std::strerror(errno)));
  }

  // Reads the folder open on `fd` and makes it the current level.
  Status Push(int fd) {
    Level level;
    level.fd = fd;
    level.key_length = key_.size();
    const bool top = stack_.empty();
    stack_.push_back(std::move(level));  // owns fd from here on
    std::vector<Entry>& entries = stack_.back().entries;
    alignas(8) char buffer[32 * 1024];
    while (true) {
      const ssize_t n = ::getdents64(fd, buffer, sizeof buffer);
      if (n < 0) return Error("list", Display(""));
      if (n == 0) break;
      for (ssize_t offset = 0; offset < n;) {
        const auto* d = reinterpret_cast<const struct dirent64*>(buffer + offset);
        offset += d->d_reclen;
        const std::string_view name = d->d_name;
        if (Skipped(name) || d->d_type == DT_LNK) continue;  // links could lead outside
        if (top && skip_raw_folder_ && name == "raw" && d->d_type == DT_DIR) continue;
        bool is_folder = d->d_type == DT_DIR;
        if (d->d_type == DT_UNKNOWN) {  // some filesystems do not say
          struct stat st {};
          if (::fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
          if (S_ISLNK(st.st_mode)) continue;
          is_folder = S_ISDIR(st.st_mode);
          if (top && skip_raw_folder_ && name == "raw" && is_folder) continue;
        } else if (d->d_type != DT_DIR && d->d_type != DT_REG) {
          continue;  // sockets, fifos, devices
        }
        entries.push_back({std::string(name), is_folder});
      }
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      // Compare as if folders ended in '/'.
      const size_t common = std::min(a.name.size(), b.name.size());
      if (const int c = a.name.compare(0, common, b.name, 0, common); c != 0) return c < 0;
      const auto next = [&](const Entry& e) -> int {
        if (e.name.size() > common) return static_cast<unsigned char>(e.name[common]);
        return e.is_folder ? '/' : -1;
      };
      return next(a) < next(b);
    });
    return Status::OK();
  }

  const std::filesystem::path root_;
  const bool in_raw_;
  const bool skip_raw_folder_;  // the top tree leaves raw/ to the raw tree
  std::vector<Level> stack_;
  std::string key_;  // key prefix of the current folder, "" or ending in '/'
};

LocalWalker::~LocalWalker() = default;

Result<std::unique_ptr<LocalWalker>> LocalWalker::Open(const std::filesystem::path& cache_path) {
  std::error_code error;
  if (!std::filesystem::is_directory(cache_path, error)) {
    return Status::NotFound(
        fmt::format("Local path does not exist: {} (create it with `slack-intel cache "
                    "--days 7`, or pass --cache-path)",
                    cache_path.string()));
  }
  std::unique_ptr<LocalWalker> walker(new LocalWalker());
  walker->top_ = std::make_unique<SortedTree>(cache_path, false, true);
  SLACK_INTEL_RETURN_IF_ERROR(walker->top_->Start());
  if (std::filesystem::is_directory(cache_path / "raw", error) &&
      !std::filesystem::is_symlink(cache_path / "raw", error)) {
    walker->raw_ = std::make_unique<SortedTree>(cache_path / "raw", true, false);
    SLACK_INTEL_RETURN_IF_ERROR(walker->raw_->Start());
  }
  SLACK_INTEL_RETURN_IF_ERROR(walker->Fill(*walker->top_, walker->top_next_));
  if (walker->raw_) SLACK_INTEL_RETURN_IF_ERROR(walker->Fill(*walker->raw_, walker->raw_next_));
  return walker;
}

Status LocalWalker::Fill(SortedTree& tree, std::optional<LocalFile>& slot) {
  SLACK_INTEL_ASSIGN_OR_RETURN(slot, tree.Next());
  return Status::OK();
}

Result<std::optional<LocalFile>> LocalWalker::Next() {
  if (!raw_next_ && !top_next_) return std::optional<LocalFile>();
  if (raw_next_ && top_next_ && raw_next_->key == top_next_->key) {
    // Two paths mapping to one key would overwrite each other.
    return Status::InvalidArgument(fmt::format("{} and {} would both upload to the key {}",
                                               top_next_->relative(), raw_next_->relative(),
                                               raw_next_->key));
  }
  const bool take_raw = raw_next_ && (!top_next_ || raw_next_->key < top_next_->key);
  std::optional<LocalFile> file = std::move(take_raw ? raw_next_ : top_next_);
  SLACK_INTEL_RETURN_IF_ERROR(take_raw ? Fill(*raw_, raw_next_) : Fill(*top_, top_next_));
  return file;
}

}  // namespace slack_intel::sync

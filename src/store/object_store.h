#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/file_stamp.h"
#include "util/result.h"

namespace slack_intel::store {

// The time of an object no store reported.
inline constexpr int64_t kUnknownTime = INT64_MIN;

// One object of a store, as its listing shows it: enough to plan a sync without reading it.
struct ObjectInfo {
  std::string key;  // relative to the store's root, '/'-separated
  uint64_t size_bytes = 0;
  int64_t mtime_ns = kUnknownTime;  // last modified (S3: LastModified, to the second)
  std::string etag;                 // S3's ETag without quotes; "" for files
  FileStamp stamp;                  // files: what identifies this version on disk; else zeros
  bool operator==(const ObjectInfo&) const = default;
};

// What a store says of one object beyond its listing.
struct ObjectHead {
  ObjectInfo info;
  // The content MD5 (hex) the store vouches for (S3: the x-amz-meta-md5chksum our uploads
  // write, else an ETag that is an MD5); "" when unknown.
  std::string content_md5_hex;
};

// Where an object's bytes went, after a put or a get.
struct Stored {
  std::string etag;     // the stored object's ETag ("" for files)
  std::string md5_hex;  // the MD5 of the bytes, computed on the way
};

struct PutRequest {
  std::string content_type;  // "" = by the key (.parquet: application/vnd.apache.parquet)
  // Called with an upload's id when a store splits it (S3 multipart) before any part goes:
  // a caller journals it, so the next run can abort what a killed run left (AbortUpload).
  std::function<void(const std::string& upload_id)> on_upload_started;
};

struct DeleteFailure {
  std::string key;
  std::string message;
};

// The objects of a store in ascending key order (bytes, S3's order), one at a time.
class ObjectListing {
 public:
  virtual ~ObjectListing() = default;
  // The next object, nullopt after the last. Errors: the store's (S3: "Cannot access S3 bucket
  // B: <reason>"; files: kIOError).
  virtual Result<std::optional<ObjectInfo>> Next() = 0;
};

struct ListOptions {
  // Keys that cut the key space into ranges a store may list in parallel (S3: each range on
  // its own connection); the last run's keys are a good guess. Empty: one sequential listing.
  std::vector<std::string> split_keys;
  int concurrency = 1;
};

// What a store that is a local folder can also do: hand out the files themselves.
class LocalFolder {
 public:
  virtual ~LocalFolder() = default;
  // The folder itself.
  virtual const std::filesystem::path& root() const = 0;
  // The file that holds (or would hold) `key`. REQUIRES: CheckKey(key) is OK.
  virtual std::filesystem::path PathOf(std::string_view key) const = 0;
  // The file to write `key` into, its folders made. Errors: kInvalidArgument (a key the
  // store refuses, or folders that lead outside it through a symbolic link), kIOError.
  virtual Result<std::filesystem::path> PrepareWrite(std::string_view key) = 0;
};

// What sync needs of a place that holds objects (S3, a folder, next Azure Blob and GCS), and
// nothing more: a sorted listing, put and get of whole files, delete. Implementations are
// thread-safe: sync calls them from its workers at once. Errors carry the store's URL and key;
// kNotFound is the code for an object that does not exist, whatever the store.
// The conformance suite (tests/store/store_conformance_test.cc) is what a new store must pass.
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // How messages name `key` of this store: "s3://bucket/prefix/key", "/path/to/cache/raw/key".
  virtual std::string Describe(std::string_view key) const = 0;

  // Every object, in key order, with memory bounded by a window rather than the store. The
  // listing may run threads of its own until it is destroyed.
  virtual Result<std::unique_ptr<ObjectListing>> List(const ListOptions& options) = 0;

  // One object's head. Errors: kNotFound.
  virtual Result<ObjectHead> Stat(std::string_view key) = 0;

  // Stores the bytes of `file` at `key`; readers never see a partial object, and a failed put
  // leaves nothing visible (S3 multipart uploads are aborted). The store checks the bytes it
  // received (S3: Content-MD5).
  virtual Result<Stored> PutFile(std::string_view key, const std::filesystem::path& file,
                                 const PutRequest& request) = 0;

  // Writes the bytes of `object` (as a listing or Stat gave it) to `destination`, through a
  // hidden temp file beside it renamed over it once whole and checked: a failure leaves
  // `destination` as it was. A body of another size than object.size_bytes, or whose MD5
  // differs from the one the store vouches for, is refused (kCorruption). The file gets the
  // object's mtime, as aws s3 sync sets it. Errors: kNotFound, kCorruption, kIOError.
  virtual Result<Stored> GetFile(const ObjectInfo& object,
                                 const std::filesystem::path& destination) = 0;

  // Deletes `keys`; what could not be deleted is returned, the rest is gone. An error means
  // none is known to be deleted.
  virtual Result<std::vector<DeleteFailure>> Delete(const std::vector<std::string>& keys) = 0;

  // Optional abilities (rclone's way: a caller asks, a store answers what it can do).

  // The store as a local folder, for stores that are one; null for others.
  virtual LocalFolder* AsLocalFolder() { return nullptr; }
  // Whether `key` can be an object of this store: OK, or kInvalidArgument saying why (a folder
  // refuses keys that would land outside it). Remote stores take any key a listing shows.
  virtual Status CheckKey(std::string_view key) const {
    (void)key;
    return Status::OK();
  }
  // OK while the store answers; once its endpoint counts as down (http::ServerHealth: every
  // try of a request failed while no other request got a reply), the status saying so, which
  // every later call would fail with too.
  virtual Status Reachable() const { return Status::OK(); }
  // Puts of `size_bytes` go up in parts of this size (S3 multipart), so the object's ETag is
  // MultipartEtag of the parts' MD5s; 0: in one piece.
  virtual uint64_t PartSizeFor(uint64_t size_bytes) const {
    (void)size_bytes;
    return 0;
  }
  // Aborts an upload a put started and a killed run left (see PutRequest::on_upload_started).
  // Errors: kNotFound for an upload that already ended, or a store that splits no put.
  virtual Status AbortUpload(std::string_view key, std::string_view upload_id) {
    (void)upload_id;
    return Status::NotFound(fmt::format("no upload of {} to abort", key));
  }
};

// The ETag S3 (and stores that speak its protocol) gives an object put in parts whose raw MD5s
// are `part_md5s`: hex(md5(md5(part 1) + ... + md5(part N))) + "-N". Not a content MD5.
std::string MultipartEtag(const std::vector<std::string>& part_md5s);

}  // namespace slack_intel::store

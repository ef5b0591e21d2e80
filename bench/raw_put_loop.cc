// The upload rate the S3 server allows, as a yardstick for `slack-intel sync`: N threads, each
// with its own s3::Client (own keep-alive connection), take files from one shared list and PUT
// them. No listing of the bucket, no comparison, no hashing beyond what the client does for
// every PUT (SigV4 payload hash, Content-MD5). bench/sync_vs_peers.py runs it beside sync and
// its peers; the full-upload figures are compared with this one.
//
// The files and their keys are the ones sync takes (its own walk of the cache, docs/sync.md).
// Files from --multipart-threshold on go up as multipart uploads through s3::UploadFile, parts
// one after another (on one helper connection while the owning thread waits), with sync's
// default threshold and part size.
//
// With --dest URL instead of --bucket (az://..., or s3://... too) the threads share the store
// OpenStore gives for the URL and call its PutFile: for Azure, one Put Blob with the file's
// Content-MD5 (blocks from the threshold), the same put sync makes, with nothing around it.
//
// Credentials and region come from the aws chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY ...)
// or, for az://, AZURE_STORAGE_CONNECTION_STRING and its kin; never from argv. stdout: one JSON
// object (files, bytes, seconds, failed); stderr: errors. Exit 0, 1 when any upload failed, 2 on a
// usage error.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "aws/environment.h"
#include "cache/layout.h"
#include "s3/client.h"
#include "s3/client_config.h"
#include "s3/transfer.h"
#include "store/local_dir_store.h"
#include "store/open_store.h"
#include "util/result.h"
#include "util/status.h"

namespace slack_intel::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  fs::path dir;
  std::string endpoint_url;
  std::string region;
  std::string bucket;
  std::string prefix;
  std::string dest;  // a store URL instead of --bucket/--prefix
  int concurrency = 8;
  uint64_t multipart_threshold_bytes = 8ull << 20;
  uint64_t part_size_bytes = 8ull << 20;
};

struct FileToPut {
  std::string key;  // relative to the prefix
  fs::path path;
  uint64_t size_bytes = 0;
};

// Every file sync would upload from `dir`, with its key: the cache's own store lists them.
Result<std::vector<FileToPut>> ListFiles(const fs::path& dir) {
  store::LocalDirStore cache({dir, cache::kRawFolder, {}});
  SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<store::ObjectListing> listing, cache.List({}));
  std::vector<FileToPut> files;
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::optional<store::ObjectInfo> file, listing->Next());
    if (!file) return files;
    fs::path path = cache.PathOf(file->key);
    files.push_back({std::move(file->key), std::move(path), file->size_bytes});
  }
}

int Run(const Options& options) {
  auto files = ListFiles(options.dir);
  if (!files.ok()) {
    std::fprintf(stderr, "raw_put_loop: %s\n", files.status().ToString().c_str());
    return 1;
  }
  s3::ConnectionFlags flags;
  flags.endpoint_url = options.endpoint_url;
  flags.region = options.region;
  auto client_options = s3::ResolveClientOptions(flags, aws::ProcessEnvironment());
  if (!client_options.ok()) {
    std::fprintf(stderr, "raw_put_loop: %s\n", client_options.status().ToString().c_str());
    return 1;
  }
  const std::string prefix = store::NormalizePrefix(options.prefix);
  s3::UploadOptions upload;
  upload.multipart_threshold_bytes = options.multipart_threshold_bytes;
  upload.part_size_bytes = options.part_size_bytes;
  upload.concurrency = 1;
  std::unique_ptr<store::ObjectStore> dest;
  if (!options.dest.empty()) {
    store::StoreOptions stores;
    stores.s3 = *client_options;
    stores.upload = upload;
    stores.env = aws::ProcessEnvironment();
    auto opened = store::OpenStore(options.dest, stores);
    if (!opened.ok()) {
      std::fprintf(stderr, "raw_put_loop: %s\n", opened.status().ToString().c_str());
      return 1;
    }
    dest = std::move(*opened);
  }

  const auto started = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> bytes{0}, failed{0};
  std::mutex stderr_mutex;  // guards stderr lines
  auto worker = [&] {
    s3::Client client(*client_options);
    for (size_t i = next++; i < files->size(); i = next++) {
      const FileToPut& file = (*files)[i];
      auto put = dest ? dest->PutFile(file.key, file.path, {}).status()
                      : s3::UploadFile(client, *client_options, options.bucket, prefix + file.key,
                                       file.path, upload)
                            .status();
      if (!put.ok()) {
        ++failed;
        std::lock_guard lock(stderr_mutex);
        std::fprintf(stderr, "raw_put_loop: %s: %s\n", file.key.c_str(), put.ToString().c_str());
        continue;
      }
      bytes += file.size_bytes;
    }
  };
  {
    std::vector<std::jthread> workers;
    const int threads =
        std::clamp<int>(options.concurrency, 1, std::max<int>(1, static_cast<int>(files->size())));
    for (int i = 0; i < threads; ++i) workers.emplace_back(worker);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("{\"files\": %zu, \"bytes\": %llu, \"seconds\": %.3f, \"failed\": %llu}\n",
              files->size(), static_cast<unsigned long long>(bytes.load()), seconds,
              static_cast<unsigned long long>(failed.load()));
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace slack_intel::bench

int main(int argc, char** argv) {
  slack_intel::bench::Options options;
  CLI::App app{"PUT every file of a cache-like tree on N threads: no listing, no diff"};
  app.add_option("dir", options.dir, "Cache directory (raw/..., users.parquet)")->required();
  app.add_option("--endpoint-url", options.endpoint_url, "S3 endpoint, e.g. http://127.0.0.1:PORT");
  app.add_option("--region", options.region, "Region (default: the aws chain's, else us-east-1)");
  CLI::Option* bucket = app.add_option("--bucket", options.bucket, "Bucket (must exist)");
  app.add_option("--prefix", options.prefix, "Key prefix");
  app.add_option("--dest", options.dest, "A store URL instead (az://ACCOUNT/CONTAINER/PREFIX)")
      ->excludes(bucket);
  app.add_option("--concurrency", options.concurrency, "Threads, one connection each")
      ->capture_default_str();
  app.add_option("--multipart-threshold", options.multipart_threshold_bytes,
                 "Bytes from which a file goes up in parts")
      ->capture_default_str();
  app.add_option("--part-size", options.part_size_bytes, "Multipart part size in bytes")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
    if (options.bucket.empty() && options.dest.empty()) {
      throw CLI::RequiredError("--bucket or --dest");
    }
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return slack_intel::bench::Run(options);
}

#include "cli/sync_command.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "aws/environment.h"
#include "cache/layout.h"
#include "cli/lock_cache.h"
#include "cli/sync_output.h"
#include "s3/bucket_name.h"
#include "s3/client_config.h"
#include "store/local_dir_store.h"
#include "store/open_store.h"
#include "sync/local_files.h"
#include "sync/manifest.h"
#include "sync/sync_runner.h"
#include "util/heap_tuning.h"

namespace slack_intel::cli {

CLI::App* SetUpSyncCommand(CLI::App& app, SyncOptions& options) {
  CLI::App* sync = app.add_subcommand(
      "sync", "Upload the local Parquet cache to an S3 bucket (or Azure Blob, GCS, a folder)");
  CLI::Option* bucket = sync->add_option("--bucket", options.bucket, "Destination bucket (S3)");
  CLI::Option* prefix = sync->add_option("--prefix", options.prefix,
                                         "Key prefix inside the bucket, e.g. production/");
  CLI::Option* dest =
      sync->add_option("--dest", options.dest,
                       "Destination as a URL instead of --bucket/--prefix: s3://BUCKET/PREFIX, "
                       "az://ACCOUNT/CONTAINER/PREFIX, gs://BUCKET/PREFIX or file:///DIR "
                       "(default: sync.dest of the config file)")
          ->excludes(bucket)
          ->excludes(prefix);
  sync->add_flag("--dry-run,--dryrun", options.dry_run,
                 "Show what would be uploaded or deleted; change nothing");
  sync->add_flag("--delete", options.delete_removed,
                 "Delete remote files that no longer exist in the cache");
  sync->add_option("--cache-path", options.cache_path, "Cache folder to upload")
      ->capture_default_str();
  sync->add_option("--region", options.region, "AWS region of the bucket");
  sync->add_option("--profile", options.profile, "AWS profile from ~/.aws/config");
  sync->add_option("--endpoint-url", options.endpoint_url,
                   "S3-compatible endpoint, e.g. http://127.0.0.1:9000");
  sync->add_option("--concurrency", options.concurrency, "Files uploaded at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sync->add_option(
      "--max-delete", options.max_delete,
      "Allow --delete to remove up to N objects (default: half of those under the prefix)");
  sync->add_option("--multipart-threshold", options.multipart_threshold,
                   "Files from this size go up in parts")
      ->capture_default_str();
  sync->add_option("--multipart-chunksize", options.multipart_chunksize, "Part size (at least 5MB)")
      ->capture_default_str();
  sync->add_option("--sse", options.sse, "Server-side encryption: AES256 or aws:kms")
      ->check(CLI::IsMember({"AES256", "aws:kms"}));
  sync->add_option("--sse-kms-key-id", options.sse_kms_key_id, "KMS key for --sse aws:kms");
  sync->add_option("--storage-class", options.storage_class, "Storage class of uploaded objects")
      ->check(CLI::IsMember({"STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
                             "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"}));
  sync->add_flag("--pull", options.pull,
                 "Download the bucket's cache into --cache-path instead (same rules)");
  sync->add_option("--compare", options.compare,
                   "How same-size files are judged: content (hashes), mtime (aws s3 sync's "
                   "rule) or size")
      ->check(CLI::IsMember({"content", "mtime", "size"}))
      ->capture_default_str();
  CLI::Option* exclude =
      sync->add_option("--exclude", "Skip keys matching this glob (repeatable)")->take_all();
  CLI::Option* include =
      sync->add_option("--include",
                       "Do not skip keys matching this glob (repeatable; the last "
                       "matching --exclude/--include wins)")
          ->take_all();
  // The filters' relative order matters (the last match wins): rebuild it from parse order.
  // A --bucket on the command line wins over the config file's sync.dest; with neither, sync
  // has nowhere to go: a usage error.
  sync->parse_complete_callback([sync, exclude, include, bucket, dest, &options] {
    if (bucket->count() > 0 && dest->count() == 0) options.dest.clear();
    if (options.dest.empty() && options.bucket.empty()) {
      throw CLI::RequiredError(
          "--bucket NAME or --dest URL (or s3.bucket or sync.dest in the "
          "config file)");
    }
    options.filters.clear();
    size_t next_exclude = 0, next_include = 0;
    const auto excludes = exclude->as<std::vector<std::string>>();
    const auto includes = include->as<std::vector<std::string>>();
    for (const CLI::Option* option : sync->parse_order()) {
      if (option == exclude && next_exclude < excludes.size())
        options.filters.push_back({false, excludes[next_exclude++]});
      if (option == include && next_include < includes.size())
        options.filters.push_back({true, includes[next_include++]});
    }
  });
  sync->add_flag("--no-progress", options.no_progress, "No progress line on the terminal");
  sync->add_flag("--no-verify-ssl", options.no_verify_ssl,
                 "Do not check the endpoint's TLS certificate (as aws s3 does with this flag): "
                 "for a test server only; prefer AWS_CA_BUNDLE for a private CA");
  sync->add_flag("--json", options.json,
                 "One JSON object per action on stdout, then {\"summary\": {...}}");
  return sync;
}

Result<uint64_t> ParseByteSize(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::string unit = text.substr(digits);
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (digits == 0 || digits > 15)
    return Status::InvalidArgument(fmt::format("not a size: '{}'", text));
  const uint64_t number = std::stoull(text.substr(0, digits));
  uint64_t scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  if (unit == "KB" || unit == "KIB" || unit == "K") scale = 1ull << 10;
  if (unit == "MB" || unit == "MIB" || unit == "M") scale = 1ull << 20;
  if (unit == "GB" || unit == "GIB" || unit == "G") scale = 1ull << 30;
  if (scale == 0)
    return Status::InvalidArgument(
        fmt::format("unknown size unit in '{}' (use KB, MB or GB)", text));
  return number * scale;
}

namespace {

// The destination as a URL: --dest (or sync.dest), else s3://BUCKET/PREFIX from --bucket and
// --prefix (or s3.bucket and s3.prefix).
Result<std::string> DestinationUrl(const SyncOptions& options) {
  if (!options.dest.empty()) return options.dest;
  if (options.bucket.empty()) {
    return Status::InvalidArgument(
        "sync needs a destination: --bucket NAME (S3), --dest URL (s3://, az://, gs:// or "
        "file:///), or s3.bucket or sync.dest in the config file");
  }
  SLACK_INTEL_RETURN_IF_ERROR(s3::ValidateBucketName(options.bucket));
  return "s3://" + options.bucket + "/" + store::NormalizePrefix(options.prefix);
}

}  // namespace

Status RunSync(const SyncOptions& options) {
  // Where page faults are dear they are much of a small sync's CPU, and this takes many of them
  // away (the figures: docs/BENCHMARKS.md, "Small syncs and page faults").
  TuneHeapForShortRuns();
  SLACK_INTEL_ASSIGN_OR_RETURN(const std::string url, DestinationUrl(options));
  const std::string scheme = url.substr(0, url.find("://"));
  const bool s3_protocol = scheme == "s3" || scheme == "gs";
  if (!s3_protocol && (!options.sse.empty() || !options.storage_class.empty())) {
    return Status::InvalidArgument(
        fmt::format("--sse and --storage-class are S3's; {}:// has no such setting", scheme));
  }
  if (scheme == "gs" && (!options.sse.empty() ||
                         (!options.storage_class.empty() && options.storage_class != "STANDARD"))) {
    return Status::InvalidArgument(
        "gs://: GCS encrypts every object and names its storage classes its own way; drop --sse "
        "and --storage-class (objects get the bucket's default class)");
  }
  if (!options.pull) SLACK_INTEL_RETURN_IF_ERROR(sync::CheckCacheFolder(options.cache_path));
  store::StoreOptions stores;
  sync::SyncSettings settings;
  settings.direction = options.pull ? sync::Direction::kPull : sync::Direction::kPush;
  settings.compare = options.compare == "mtime"  ? sync::CompareMode::kMtime
                     : options.compare == "size" ? sync::CompareMode::kSize
                                                 : sync::CompareMode::kContent;
  for (const auto& [include, pattern] : options.filters) {
    if (include) {
      settings.filter.Include(pattern);
    } else {
      settings.filter.Exclude(pattern);
    }
  }
  settings.filter.Exclude(fmt::format("{}/*", cache::kAthenaFolder));  // last: no --include wins
  settings.dry_run = options.dry_run;
  settings.delete_removed = options.delete_removed;
  settings.concurrency = options.concurrency;
  if (!options.max_delete.empty()) {
    const char* text = options.max_delete.c_str();
    char* end = nullptr;
    const unsigned long long n = std::strtoull(text, &end, 10);
    if (*text == '\0' || *end != '\0' || *text == '-') {
      return Status::InvalidArgument(
          fmt::format("--max-delete takes a number, not '{}'", options.max_delete));
    }
    settings.max_delete = n;
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(stores.upload.multipart_threshold_bytes,
                               ParseByteSize(options.multipart_threshold));
  SLACK_INTEL_ASSIGN_OR_RETURN(stores.upload.part_size_bytes,
                               ParseByteSize(options.multipart_chunksize));
  if (!options.sse_kms_key_id.empty() && options.sse != "aws:kms") {
    return Status::InvalidArgument("--sse-kms-key-id needs --sse aws:kms");
  }
  stores.upload.put.sse = options.sse;
  stores.upload.put.sse_kms_key_id = options.sse_kms_key_id;
  stores.upload.put.storage_class = options.storage_class;
  if (stores.upload.part_size_bytes < s3::kMinPartSizeBytes) {
    return Status::InvalidArgument(
        "--multipart-chunksize must be at least 5MB (S3's minimum part size)");
  }
  if (options.no_verify_ssl) {
    spdlog::warn(
        "--no-verify-ssl: the endpoint's TLS certificate is not checked, so anyone on the network "
        "path can read and change what is sent (AWS_CA_BUNDLE trusts a private CA instead)");
  }
  stores.env = aws::ProcessEnvironment();
  if (s3_protocol) {
    auto client_options = s3::ResolveClientOptions(
        {options.region, options.profile, options.endpoint_url, !options.no_verify_ssl},
        stores.env);
    if (!client_options.ok()) return client_options.status();
    // Requests in flight adapt to the server: halved on SlowDown, grown back on success.
    client_options->request_limit =
        std::make_shared<AdaptiveLimit>(options.concurrency * stores.upload.concurrency);
    stores.s3 = *client_options;
  }
  stores.azure.retry = stores.s3.retry;
  SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<store::ObjectStore> bucket,
                               store::OpenStore(url, stores));
  // The cache and the destination, and what sync keeps between runs of this pair (an S3
  // destination keeps the names of the manifests it always had).
  auto state_path = [&](const char* kind) {
    if (scheme == "s3") {
      const std::string rest = url.substr(5);
      const size_t slash = rest.find('/');
      return sync::SyncStatePath(
          options.cache_path, stores.s3.endpoint_url, rest.substr(0, slash),
          store::NormalizePrefix(slash == std::string::npos ? "" : rest.substr(slash)), kind);
    }
    return sync::SyncStatePath(options.cache_path, stores.s3.endpoint_url, bucket->Describe(""), "",
                               kind);
  };
  const std::filesystem::path manifest = state_path("manifest");
  settings.state = {manifest, state_path("uploads")};
  store::LocalDirOptions cache;
  cache.root = options.cache_path;
  cache.keyed_folder = cache::kRawFolder;
  // The folder index is the cache's, shared by every destination (the walk is the same).
  cache.index = {manifest.parent_path(), !options.dry_run};
  store::LocalDirStore cache_store(std::move(cache));
  settings.cache = &cache_store;
  settings.bucket = bucket.get();
  SyncOutput output(
      {options.json, options.quiet, !options.no_progress, options.pull, options.dry_run});
  // One run at a time on a cache; a dry run changes nothing, so it takes no lock (and writes
  // no lock file into a cache a --pull has yet to create).
  std::optional<cache::CacheLock> lock;
  if (!options.dry_run) {
    SLACK_INTEL_ASSIGN_OR_RETURN(
        cache::CacheLock held,
        LockCache(options.cache_path, options.pull ? "sync --pull" : "sync"));
    lock.emplace(std::move(held));
  }
  auto summary = sync::RunSync(
      settings, [&](const sync::SyncEvent& event) { output.Report(event); }, output.progress());
  if (!summary.ok()) return summary.status();
  output.PrintSummary(*summary);
  if (summary->failed > 0) {
    return Status::Unavailable(
        fmt::format("sync: {} file(s) failed (see above); rerun to retry them", summary->failed));
  }
  return Status::OK();
}

}  // namespace slack_intel::cli

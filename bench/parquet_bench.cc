// Parquet write and read throughput of our writer and reader on realistic Slack message rows.
//
// Generates N rows (bench/message_rows.h), writes them once per codec with our FileWriter to
// OUT_DIR/ours-<codec>.parquet, timing only the write (rows already in memory; the timed part
// opens the file, appends every row, Finish()es and closes the file without fsync, as DuckDB's
// COPY does; the fsync is timed apart), then times reading each file back with our FileReader.
// Also writes the rows once, untimed, as newline-delimited JSON, so DuckDB can load the
// identical rows (bench/parquet_vs_duckdb.mjs does that and runs this program).
//
// Reads, both timed from opening the file until every value is in memory:
//   read       OpenFile + ReadColumn for every row group and column (columnar, like a CTAS)
//   read_rows  OpenFile + ReadRows (every row as a vector of Values)
//
// `--read FILE` (repeatable) only times the reads of existing files, e.g. DuckDB's.
//
// Before timing, one untimed write and read (of the first codec) warm up the allocator and the
// page cache: otherwise whichever operation runs first pays ~2x for fresh pages, and the order
// of codecs decides the result. `--no-warmup` turns this off.
//
// Allocator: by default glibc hands freed memory back to the kernel (trimming the heap,
// unmapping blocks above the mmap threshold), so every large operation faults its pages in
// afresh, and on this VM page faults are slow enough to dominate a read (the first read of a
// run took 4 s, the same read later 0.5 s). DuckDB, our yardstick, runs in a warm process with
// its bundled jemalloc, which keeps memory. So by default this program tells glibc to keep what
// it has (mallopt: no mmap, no trimming) and warms up once: the figures are steady-state ones.
// `--malloc-default --no-warmup` shows what a fresh CLI process pays.
//
// stdout: one JSON document with every figure; stderr: progress. Exit 0, or 1 on any failure.
// MB/s are 10^6 value bytes per second; value bytes are defined by ValueBytes().

#include <fcntl.h>
#include <fmt/format.h>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "message_rows.h"
#include "parquet/compression.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/value.h"
#include "util/output_stream.h"
#include "util/result.h"
#include "util/status.h"

namespace slack_intel::bench {
namespace {

struct Options {
  size_t rows = 1'000'000;
  uint64_t seed = 42;
  std::filesystem::path out_dir = "/tmp/slack-intel-bench";
  std::vector<std::string> codecs = {"snappy", "zstd"};
  bool write_ndjson = true;
  bool read_rows = true;
  bool warmup = true;
  bool malloc_default = false;
  uint64_t max_rows_per_row_group = 0;  // 0: the writer's default (row groups cut by bytes only)
  bool enable_dictionary = true;
  std::vector<std::filesystem::path> read_only_files;
};

// Wall and CPU time of one measured operation.
class Stopwatch {
 public:
  Stopwatch() : wall_start_(std::chrono::steady_clock::now()), cpu_start_(CpuSeconds()) {}
  void Stop() {
    wall_seconds_ =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
    cpu_seconds_ = CpuSeconds() - cpu_start_;
  }
  double wall_seconds() const { return wall_seconds_; }
  double cpu_seconds() const { return cpu_seconds_; }

 private:
  static double CpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  std::chrono::steady_clock::time_point wall_start_;
  double cpu_start_;
  double wall_seconds_ = 0;
  double cpu_seconds_ = 0;
};

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// One result object: op, codec, file, rows, times and rates, plus `extra` JSON members.
std::string ResultJson(std::string_view op, std::string_view method, std::string_view codec,
                       const std::filesystem::path& file, uint64_t rows, uint64_t value_bytes,
                       const Stopwatch& watch, std::string_view extra) {
  const double seconds = watch.wall_seconds();
  return fmt::format(
      R"({{"engine":"slack-intel","op":{},"method":{},"codec":{},"file":{},"rows":{},)"
      R"("value_bytes":{},"seconds":{:.6f},"cpu_seconds":{:.6f},"rows_per_s":{:.1f},)"
      R"("mb_per_s":{:.3f}{}}})",
      JsonString(op), JsonString(method), JsonString(codec), JsonString(file.string()), rows,
      value_bytes, seconds, watch.cpu_seconds(), static_cast<double>(rows) / seconds,
      static_cast<double>(value_bytes) / 1e6 / seconds, extra);
}

std::string MallocPolicy(const Options& options) {
  return options.malloc_default ? R"("glibc default")" : "\"kept (no mmap, no trim)\"";
}

Result<parquet::Codec> ParseCodec(const std::string& name) {
  if (name == "snappy") return parquet::Codec::kSnappy;
  if (name == "zstd") return parquet::Codec::kZstd;
  if (name == "gzip") return parquet::Codec::kGzip;
  if (name == "uncompressed") return parquet::Codec::kUncompressed;
  return Status::InvalidArgument(fmt::format("unknown codec '{}'", name));
}

// FileOutputStream without the fsync in Close(): DuckDB's COPY (1.5) does not fsync either,
// so the timed write stops at close(2); the fsync is timed apart and reported as fsync_seconds.
class UnsyncedFileOutputStream final : public OutputStream {
 public:
  explicit UnsyncedFileOutputStream(std::FILE* file) : file_(file) {}
  ~UnsyncedFileOutputStream() override {
    if (file_ != nullptr) std::fclose(file_);
  }
  Status Write(std::string_view data) override {
    if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
      return Status::IOError("write failed");
    }
    position_ += data.size();
    return Status::OK();
  }
  uint64_t position() const override { return position_; }
  Status Close() {
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    return closed ? Status::OK() : Status::IOError("close failed");
  }

 private:
  std::FILE* file_;
  uint64_t position_ = 0;
};

// Seconds to fsync `path`'s dirty pages (written and closed just before).
Result<double> TimeFsync(const std::filesystem::path& path) {
  Stopwatch watch;
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return Status::IOError(fmt::format("{}: cannot open", path.string()));
  const bool synced = fsync(fd) == 0;
  close(fd);
  watch.Stop();
  if (!synced) return Status::IOError(fmt::format("{}: fsync failed", path.string()));
  return watch.wall_seconds();
}

Result<std::string> TimeWrite(const std::vector<MessageRow>& rows, uint64_t value_bytes,
                              parquet::Codec codec, const Options& bench_options,
                              const std::filesystem::path& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  parquet::WriterOptions options;
  options.codec = codec;
  options.max_rows_per_row_group = bench_options.max_rows_per_row_group;
  options.enable_dictionary = bench_options.enable_dictionary;
  Stopwatch watch;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Status::IOError(fmt::format("{}: cannot create", path.string()));
  UnsyncedFileOutputStream sink(file);
  parquet::FileWriter writer(sink, cache::MessageSchema(), options);
  for (const MessageRow& row : rows) {
    cache::AppendMessage(writer, row);
    writer.EndRow();
  }
  SLACK_INTEL_RETURN_IF_ERROR(writer.Finish());
  SLACK_INTEL_RETURN_IF_ERROR(sink.Close().WithContext(path.string()));
  watch.Stop();
  SLACK_INTEL_ASSIGN_OR_RETURN(double fsync_seconds, TimeFsync(path));
  const uint64_t output_bytes = std::filesystem::file_size(path);
  return ResultJson(
      "write", "FileWriter", parquet::CodecName(codec), path, rows.size(), value_bytes, watch,
      fmt::format(R"(,"output_bytes":{},"fsync_seconds":{:.6f})", output_bytes, fsync_seconds));
}

// Value bytes of decoded values, by the same definition as ValueBytes().
uint64_t DecodedValueBytes(const parquet::Value& value) {
  struct Visitor {
    uint64_t operator()(std::monostate) const { return 0; }
    uint64_t operator()(bool) const { return 1; }
    uint64_t operator()(int32_t) const { return 4; }
    uint64_t operator()(int64_t) const { return 8; }
    uint64_t operator()(double) const { return 8; }
    uint64_t operator()(const std::string& s) const { return s.size(); }
    uint64_t operator()(const parquet::Value::List& list) const {
      uint64_t total = 0;
      for (const parquet::Value& item : list) total += DecodedValueBytes(item);
      return total;
    }
  };
  return std::visit(Visitor{}, value.data);
}

std::string FileCodec(const parquet::FileReader& reader) {
  const auto& groups = reader.metadata().row_groups;
  if (groups.empty() || groups[0].columns.empty() || !groups[0].columns[0].meta_data) return "";
  return parquet::CodecName(groups[0].columns[0].meta_data->codec);
}

// OpenFile + ReadColumn of every chunk, all kept in memory until the clock stops.
Result<std::string> TimeReadColumns(const std::filesystem::path& path,
                                    std::optional<uint64_t> expected_value_bytes) {
  std::vector<std::vector<parquet::Value>> chunks;
  Stopwatch watch;
  SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<parquet::FileReader> reader,
                               parquet::FileReader::OpenFile(path));
  for (size_t g = 0; g < reader->num_row_groups(); ++g) {
    for (size_t c = 0; c < reader->columns().size(); ++c) {
      Result<std::vector<parquet::Value>> values = reader->ReadColumn(g, c);
      if (!values.ok()) return values.status().WithContext(path.string());
      chunks.push_back(std::move(values).value());
    }
  }
  watch.Stop();
  uint64_t value_bytes = 0;
  for (const auto& chunk : chunks) {
    for (const parquet::Value& v : chunk) value_bytes += DecodedValueBytes(v);
  }
  if (expected_value_bytes && *expected_value_bytes != value_bytes) {
    return Status::Internal(fmt::format("{}: read back {} value bytes, wrote {}", path.string(),
                                        value_bytes, *expected_value_bytes));
  }
  return ResultJson("read", "ReadColumn", FileCodec(*reader), path,
                    static_cast<uint64_t>(reader->num_rows()), value_bytes, watch,
                    fmt::format(R"(,"row_groups":{},"file_bytes":{})", reader->num_row_groups(),
                                reader->file_size()));
}

// OpenFile + ReadRows.
Result<std::string> TimeReadRows(const std::filesystem::path& path) {
  Stopwatch watch;
  SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<parquet::FileReader> reader,
                               parquet::FileReader::OpenFile(path));
  Result<std::vector<std::vector<parquet::Value>>> read = reader->ReadRows();
  if (!read.ok()) return read.status().WithContext(path.string());
  const std::vector<std::vector<parquet::Value>>& rows = *read;
  watch.Stop();
  uint64_t value_bytes = 0;
  for (const auto& row : rows) {
    for (const parquet::Value& v : row) value_bytes += DecodedValueBytes(v);
  }
  return ResultJson("read_rows", "ReadRows", FileCodec(*reader), path, rows.size(), value_bytes,
                    watch, "");
}

// Times the reads of one file, appending result objects to `results`.
Status TimeReads(const Options& options, const std::filesystem::path& path,
                 std::optional<uint64_t> expected_value_bytes, std::vector<std::string>& results) {
  fmt::print(stderr, "read {}\n", path.string());
  SLACK_INTEL_ASSIGN_OR_RETURN(std::string columns, TimeReadColumns(path, expected_value_bytes));
  results.push_back(std::move(columns));
  if (options.read_rows) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::string rows, TimeReadRows(path));
    results.push_back(std::move(rows));
  }
  return Status::OK();
}

// --read: our reader on existing files. Returns the header members of the JSON document.
Result<std::string> RunReadOnly(const Options& options, std::vector<std::string>& results) {
  const std::filesystem::path& first = options.read_only_files[0];
  if (options.warmup) {
    fmt::print(stderr, "warm-up read {}\n", first.string());
    SLACK_INTEL_RETURN_IF_ERROR(TimeReadColumns(first, std::nullopt).status());
  }
  for (const auto& path : options.read_only_files) {
    SLACK_INTEL_RETURN_IF_ERROR(TimeReads(options, path, std::nullopt, results));
  }
  return fmt::format(R"("mode":"read","malloc":{})", MallocPolicy(options));
}

// Generate, export, write per codec, read back. Returns the header members of the document.
Result<std::string> RunWriteRead(const Options& options, std::vector<std::string>& results) {
  std::error_code error;
  std::filesystem::create_directories(options.out_dir, error);
  if (error) {
    return Status::IOError(fmt::format("{}: {}", options.out_dir.string(), error.message()));
  }
  std::vector<parquet::Codec> codecs;
  for (const std::string& name : options.codecs) {
    SLACK_INTEL_ASSIGN_OR_RETURN(parquet::Codec codec, ParseCodec(name));
    codecs.push_back(codec);
  }
  fmt::print(stderr, "generating {} rows (seed {})\n", options.rows, options.seed);
  Stopwatch generate;
  const std::vector<MessageRow> rows = GenerateMessages(options.rows, options.seed);
  generate.Stop();
  const uint64_t value_bytes = ValueBytes(rows);
  std::string ndjson = "null";
  if (options.write_ndjson) {
    const auto path = options.out_dir / "messages.ndjson";
    fmt::print(stderr, "writing {}\n", path.string());
    SLACK_INTEL_RETURN_IF_ERROR(WriteNdjson(rows, path));
    ndjson = JsonString(path.string());
  }
  if (options.warmup && !codecs.empty()) {
    const auto path = options.out_dir / "warmup.parquet";
    fmt::print(stderr, "warm-up write and read {}\n", path.string());
    SLACK_INTEL_RETURN_IF_ERROR(TimeWrite(rows, value_bytes, codecs[0], options, path).status());
    SLACK_INTEL_RETURN_IF_ERROR(TimeReadColumns(path, value_bytes).status());
    std::filesystem::remove(path, error);
  }
  std::vector<std::filesystem::path> files;
  for (parquet::Codec codec : codecs) {
    std::string name = parquet::CodecName(codec);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto path = options.out_dir / fmt::format("ours-{}.parquet", name);
    fmt::print(stderr, "write {}\n", path.string());
    SLACK_INTEL_ASSIGN_OR_RETURN(std::string result,
                                 TimeWrite(rows, value_bytes, codec, options, path));
    results.push_back(std::move(result));
    files.push_back(path);
  }
  for (const auto& path : files) {
    SLACK_INTEL_RETURN_IF_ERROR(TimeReads(options, path, value_bytes, results));
  }
  return fmt::format(
      R"("mode":"write+read","rows":{},"seed":{},"value_bytes":{},)"
      R"("value_bytes_definition":"UTF-8 bytes of every non-null string (list elements )"
      R"(included) + 1 per BOOLEAN + 8 per BIGINT; nulls 0","generate_seconds":{:.3f},)"
      R"("ndjson":{},"malloc":{})",
      rows.size(), options.seed, value_bytes, generate.wall_seconds(), ndjson,
      MallocPolicy(options));
}

Status Run(const Options& options) {
  std::vector<std::string> results;
  Result<std::string> header = options.read_only_files.empty() ? RunWriteRead(options, results)
                                                               : RunReadOnly(options, results);
  SLACK_INTEL_RETURN_IF_ERROR(header.status());
  std::string out = fmt::format("{{{},\"results\":[\n", *header);
  for (size_t i = 0; i < results.size(); ++i) {
    out += results[i];
    out += i + 1 < results.size() ? ",\n" : "\n";
  }
  out += "]}\n";
  std::fputs(out.c_str(), stdout);
  return Status::OK();
}

}  // namespace
}  // namespace slack_intel::bench

int main(int argc, char** argv) {
  slack_intel::bench::Options options;
  CLI::App app{
      "Parquet write/read throughput of slack-intel's writer and reader on generated "
      "Slack messages. JSON results on stdout."};
  app.add_option("--rows", options.rows, "Rows to generate")->capture_default_str();
  app.add_option("--seed", options.seed, "Generator seed")->capture_default_str();
  app.add_option("--out-dir", options.out_dir, "Where the Parquet and NDJSON files go")
      ->capture_default_str();
  app.add_option("--codecs", options.codecs, "snappy, zstd, gzip, uncompressed")
      ->delimiter(',')
      ->capture_default_str();
  app.add_flag("!--no-ndjson", options.write_ndjson, "Skip the NDJSON export");
  app.add_flag("!--no-read-rows", options.read_rows, "Skip the ReadRows (row form) timing");
  app.add_flag("!--no-warmup", options.warmup, "Skip the untimed warm-up write and read");
  app.add_flag("--malloc-default", options.malloc_default,
               "Keep glibc's trimming and mmap policy (memory is returned and faulted in again)");
  app.add_option("--row-group-rows", options.max_rows_per_row_group,
                 "Also cut row groups after this many rows (0: by bytes only, the default)");
  app.add_flag("!--no-dictionary", options.enable_dictionary,
               "Write with enable_dictionary = false (PLAIN only)");
  app.add_option("--read", options.read_only_files,
                 "Only time our reader on these existing files (repeatable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is a ParseError too
  }
  if (!options.malloc_default) {
    mallopt(M_MMAP_MAX, 0);  // every block from the heap, which is kept: trimmed only past 2 GiB
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
  }
  const slack_intel::Status status = slack_intel::bench::Run(options);
  if (!status.ok()) {
    std::fprintf(stderr, "parquet_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}

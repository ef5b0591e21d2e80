#include "parquet/compression.h"

#include <fmt/format.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <memory>

namespace slack_intel::parquet {
namespace {

// ZSTD level 3 is zstd's own default and what DuckDB and arrow use; GZIP level 6 likewise.
constexpr int kZstdLevel = 3;
constexpr int kGzipLevel = 6;
constexpr int kGzipWindowBits = 15 + 16;  // +16: gzip wrapper, as the Parquet spec requires

Status GzipCompress(std::string_view input, std::string& out, int level) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed");
  }
  out.resize(deflateBound(&stream, static_cast<uLong>(input.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return result == Z_STREAM_END ? Status::OK() : Status::Internal("gzip: deflate failed");
}

// A page may hold several gzip members one after another (RFC 1952 2.2: a gzip file is a series
// of members; some writers flush one per buffer): each is inflated in turn.
Status GzipDecompress(std::string_view input, std::string& out) {
  z_stream stream{};
  // 15 + 32: accept a gzip or a zlib wrapper; some writers use either.
  if (inflateInit2(&stream, 15 + 32) != Z_OK) return Status::Internal("gzip: inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int result = Z_OK;
  while (true) {
    result = inflate(&stream, Z_FINISH);
    if (result != Z_STREAM_END || stream.avail_in == 0) break;
    if (inflateReset(&stream) != Z_OK) break;  // the next member
  }
  const size_t produced = out.size() - stream.avail_out;
  inflateEnd(&stream);
  if (result != Z_STREAM_END || produced != out.size()) {
    return Status::Corruption("gzip: page does not inflate to its declared size");
  }
  return Status::OK();
}

}  // namespace

bool IsSupportedCodec(Codec codec) {
  return codec == Codec::kUncompressed || codec == Codec::kSnappy || codec == Codec::kGzip ||
         codec == Codec::kZstd;
}

std::string CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed:
      return "UNCOMPRESSED";
    case Codec::kSnappy:
      return "SNAPPY";
    case Codec::kGzip:
      return "GZIP";
    case Codec::kLzo:
      return "LZO";
    case Codec::kBrotli:
      return "BROTLI";
    case Codec::kLz4:
      return "LZ4";
    case Codec::kZstd:
      return "ZSTD";
    case Codec::kLz4Raw:
      return "LZ4_RAW";
  }
  return fmt::format("CODEC({})", static_cast<int>(codec));
}

std::pair<int, int> CompressionLevels(Codec codec) {
  if (codec == Codec::kZstd) return {1, 22};
  if (codec == Codec::kGzip) return {1, 9};
  return {0, 0};
}

Status Compress(Codec codec, std::string_view input, std::string& out, int level) {
  switch (codec) {
    case Codec::kUncompressed:
      out.assign(input);
      return Status::OK();
    case Codec::kSnappy:
      out.clear();
      snappy::Compress(input.data(), input.size(), &out);
      return Status::OK();
    case Codec::kZstd: {
      // One context per thread, reused: a fresh one per page (ZSTD_compress) sets up its tables
      // for every page of every column, which costs more than compressing a small page.
      static thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> context(
          ZSTD_createCCtx(), ZSTD_freeCCtx);
      if (!context) return Status::Internal("zstd: cannot create a context");
      out.resize(ZSTD_compressBound(input.size()));
      const size_t n = ZSTD_compressCCtx(context.get(), out.data(), out.size(), input.data(),
                                         input.size(), level == 0 ? kZstdLevel : level);
      if (ZSTD_isError(n)) return Status::Internal(fmt::format("zstd: {}", ZSTD_getErrorName(n)));
      out.resize(n);
      return Status::OK();
    }
    case Codec::kGzip:
      return GzipCompress(input, out, level == 0 ? kGzipLevel : level);
    default:
      return Status::Internal(fmt::format("cannot compress with {}", CodecName(codec)));
  }
}

Status Decompress(Codec codec, std::string_view input, size_t uncompressed_size, std::string& out) {
  switch (codec) {
    case Codec::kUncompressed:
      if (input.size() != uncompressed_size) {
        return Status::Corruption("uncompressed page size does not match its header");
      }
      out.assign(input);
      return Status::OK();
    case Codec::kSnappy: {
      size_t length = 0;
      if (!snappy::GetUncompressedLength(input.data(), input.size(), &length) ||
          length != uncompressed_size) {
        return Status::Corruption("snappy: page does not match its declared size");
      }
      out.resize(length);
      if (!snappy::RawUncompress(input.data(), input.size(), out.data())) {
        return Status::Corruption("snappy: malformed page");
      }
      return Status::OK();
    }
    case Codec::kZstd: {
      out.resize(uncompressed_size);
      const size_t n = ZSTD_decompress(out.data(), out.size(), input.data(), input.size());
      if (ZSTD_isError(n) || n != uncompressed_size) {
        return Status::Corruption("zstd: page does not decompress to its declared size");
      }
      return Status::OK();
    }
    case Codec::kGzip:
      out.resize(uncompressed_size);
      return GzipDecompress(input, out);
    default:
      return Status::InvalidArgument(
          fmt::format("codec {} is not supported (we read UNCOMPRESSED, SNAPPY, GZIP, ZSTD)",
                      CodecName(codec)));
  }
}

}  // namespace slack_intel::parquet

#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "parquet/metadata.h"
#include "util/status.h"

namespace slack_intel::parquet {

// Whether we can compress and decompress with `codec`: UNCOMPRESSED, SNAPPY, GZIP, ZSTD.
bool IsSupportedCodec(Codec codec);

// Short upper-case name as the format spells it ("SNAPPY"); "CODEC(n)" for unknown values.
std::string CodecName(Codec codec);

// The compression levels `codec` takes, as {lowest, highest}; {0, 0} when it takes none.
// ZSTD: 1..22, GZIP: 1..9.
std::pair<int, int> CompressionLevels(Codec codec);

// Replaces `out` with `input` compressed by `codec` at `level` (0: the codec's default, ZSTD 3
// and GZIP 6, what DuckDB and arrow write). Deterministic: the same input, codec and level
// always give the same bytes (no timestamps in the gzip header).
// REQUIRES: IsSupportedCodec(codec), level 0 or within CompressionLevels(codec).
// Errors: kInternal if the library fails.
Status Compress(Codec codec, std::string_view input, std::string& out, int level = 0);

// Replaces `out` with `input` decompressed; the result must be exactly `uncompressed_size`
// bytes, so a hostile page cannot make us allocate more than its header declares.
// Errors: kCorruption for bad input or a size mismatch; kInvalidArgument for an unsupported
// codec.
Status Decompress(Codec codec, std::string_view input, size_t uncompressed_size, std::string& out);

}  // namespace slack_intel::parquet

#pragma once

#include <string>
#include <string_view>

#include "parquet/metadata.h"
#include "util/status.h"

namespace slack_intel::parquet {

// Whether we can compress and decompress with `codec`: UNCOMPRESSED, SNAPPY, GZIP, ZSTD.
bool IsSupportedCodec(Codec codec);

// Short upper-case name as the format spells it ("SNAPPY"); "CODEC(n)" for unknown values.
std::string CodecName(Codec codec);

// Replaces `out` with `input` compressed by `codec`. Deterministic: the same input and codec
// always give the same bytes (fixed levels, no timestamps in the gzip header).
// REQUIRES: IsSupportedCodec(codec). Errors: kInternal if the library fails.
Status Compress(Codec codec, std::string_view input, std::string& out);

// Replaces `out` with `input` decompressed; the result must be exactly `uncompressed_size`
// bytes, so a hostile page cannot make us allocate more than its header declares.
// Errors: kCorruption for bad input or a size mismatch; kInvalidArgument for an unsupported
// codec.
Status Decompress(Codec codec, std::string_view input, size_t uncompressed_size, std::string& out);

}  // namespace slack_intel::parquet

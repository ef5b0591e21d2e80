#pragma once

#include <string_view>
#include <vector>

#include "parquet/file_reader.h"
#include "parquet/metadata.h"
#include "parquet/value.h"
#include "util/result.h"

namespace slack_intel::parquet {

// Decodes one column chunk into one Value per row: pages (dictionary, data v1 and v2), their
// codecs, levels and PLAIN / dictionary / RLE-boolean values, checked against `file` at every
// step. `chunk` is the ColumnChunk's metadata; `num_rows` the row group's row count.
// Errors: kCorruption, or kInvalidArgument for an encoding or type we do not read.
Result<std::vector<Value>> ReadColumnChunk(std::string_view file, size_t footer_start,
                                           const ColumnDescriptor& column,
                                           const ColumnMetaData& chunk, int64_t num_rows);

}  // namespace slack_intel::parquet

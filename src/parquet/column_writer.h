#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "util/status.h"

namespace slack_intel::parquet {

// Settings a column writer needs; see WriterOptions for what each means.
struct ColumnWriterOptions {
  Codec codec = Codec::kSnappy;
  int compression_level = 0;
  bool enable_dictionary = true;
  uint64_t page_size_bytes = 1 << 20;
  uint64_t dictionary_page_size_limit_bytes = 1 << 20;
};

// A finished column chunk: its pages as they go into the file, and metadata whose offsets
// are relative to the start of `bytes` (the file writer rebases them).
struct ColumnChunkOutput {
  std::string bytes;
  ColumnMetaData metadata;
};

// Buffers one column's values for the current row group and encodes them into pages
// (data page v1; RLE_DICTIONARY with a dictionary page, falling back to PLAIN when the
// dictionary outgrows its limit). One subclass per physical type, made by MakeColumnWriter.
// Appending a value of the wrong kind is a programmer error reported as kInvalidArgument by
// FileWriter, which checks kinds before calling. Not thread-safe.
class ColumnWriter {
 public:
  virtual ~ColumnWriter() = default;

  virtual void AppendNull() = 0;
  // Only the subclass for the column's physical type implements each of these.
  virtual void AppendBool(bool) {}
  virtual void AppendInt32(int32_t) {}
  virtual void AppendInt64(int64_t) {}
  virtual void AppendDouble(double) {}
  virtual void AppendBytes(std::string_view) {}
  // A list row: the elements (REQUIRES: a kStringList column).
  virtual void AppendStringList(std::span<const std::string_view>) {}

  // Encoded bytes buffered for the current row group (approximate, before compression).
  virtual uint64_t buffered_bytes() const = 0;
  // Ends the row group: returns its chunk and resets for the next. Errors: kInternal.
  virtual Status FinishChunk(ColumnChunkOutput& out) = 0;
};

// REQUIRES: spec.name is not empty.
std::unique_ptr<ColumnWriter> MakeColumnWriter(const ColumnSpec& spec,
                                               const ColumnWriterOptions& options);

}  // namespace slack_intel::parquet

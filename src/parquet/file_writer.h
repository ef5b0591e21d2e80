#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/column_writer.h"
#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "util/output_stream.h"
#include "util/status.h"

namespace slack_intel::parquet {

struct WriterOptions {
  // Page compression: UNCOMPRESSED, SNAPPY, GZIP or ZSTD (Athena, Spark, Trino and DuckDB
  // read all four).
  Codec codec = Codec::kSnappy;
  // The codec's level (ZSTD 1..22, GZIP 1..9); 0: its default. Not recorded in the file.
  int compression_level = 0;
  // RLE_DICTIONARY for INT32, INT64, DOUBLE and strings, with a PLAIN fallback per chunk.
  bool enable_dictionary = true;
  // A data page is cut once its encoded values reach this size (between rows).
  uint64_t page_size_bytes = 1 << 20;
  // Dictionary bytes (PLAIN-encoded) above which a column chunk falls back to PLAIN.
  uint64_t dictionary_page_size_limit_bytes = 1 << 20;
  // A row group is cut once its buffered, encoded bytes reach this size (between rows).
  // 128 MiB is what Athena and Spark tune for.
  uint64_t row_group_size_bytes = 128ull << 20;
  // Also cut after this many rows (0 = no row limit).
  uint64_t max_rows_per_row_group = 0;
  // Extra key/value pairs for the footer (e.g. the cache's schema version).
  std::vector<KeyValue> key_value_metadata;
};

// Writes one Parquet file to a sink, row by row: for each row, one Append* call per column in
// schema order, then EndRow(). Then Finish(), or Abandon() to stop without a footer.
// The same schema, rows and options always give the same bytes.
//
// Errors are sticky: the first one (a null in a REQUIRED column, a value of the wrong type,
// invalid UTF-8, a sink failure) is kept, later calls do nothing, and Finish() returns it.
// The writer never closes the sink. Not thread-safe.
class FileWriter {
 public:
  // REQUIRES: `sink` outlives the writer; `schema` is not empty and its names are unique
  // (checked: a bad schema is reported by Finish()).
  FileWriter(OutputStream& sink, Schema schema, WriterOptions options = {});
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void AppendNull();
  void AppendBool(bool value);
  void AppendInt32(int32_t value);
  void AppendInt64(int64_t value);
  void AppendDouble(double value);
  void AppendString(std::string_view value);  // must be valid UTF-8
  // For kTimestampMillis / kTimestampMicros columns, in the column's unit since the epoch.
  void AppendTimestamp(int64_t value);
  void AppendStringList(std::span<const std::string_view> items);  // items valid UTF-8
  void AppendStringList(const std::vector<std::string>& items);
  // Ends the row. kInvalidArgument if it did not get exactly one value per column.
  void EndRow();

  // Writes the last row group and the footer. Returns the first error of the whole write.
  Status Finish();
  // Stops writing; what is in the sink is not a valid file.
  void Abandon() { finished_ = true; }

  const Status& status() const { return status_; }
  uint64_t rows_written() const { return total_rows_; }
  const Schema& schema() const { return schema_; }

  // "slack-intel version X (build ...)": the footer's created_by.
  static std::string CreatedBy();

 private:
  // The writer for the next column of the row, or nullptr (with status_ set) when a value
  // of `kind` does not fit it.
  ColumnWriter* NextColumn(std::string_view kind, bool (*accepts)(ColumnType));
  void Fail(Status status);
  void WriteRowGroup();
  std::vector<SchemaElement> SchemaElements() const;

  OutputStream& sink_;
  Schema schema_;
  WriterOptions options_;
  std::vector<std::unique_ptr<ColumnWriter>> columns_;
  std::vector<RowGroup> row_groups_;
  std::vector<std::string_view> list_scratch_;
  size_t next_column_ = 0;
  uint64_t rows_in_group_ = 0;
  uint64_t total_rows_ = 0;
  bool started_ = false;
  bool finished_ = false;
  Status status_;
};

}  // namespace slack_intel::parquet

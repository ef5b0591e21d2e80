#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "parquet/value.h"
#include "util/result.h"

namespace slack_intel::parquet {

// Bounds on what one file may ask of us, so hostile bytes cannot exhaust memory.
inline constexpr size_t kMaxPageBytes = 256u << 20;  // one page, decompressed
// Level entries (values, nulls, empty lists) in one column chunk. A few bytes of RLE can
// declare millions of nulls, and every entry becomes a Value in memory, so a chunk is capped
// at 16 Mi entries (DuckDB writes 122,880 rows per row group, Spark a few million).
inline constexpr int64_t kMaxValuesPerChunk = 1ll << 24;

// A top-level column of a file as the reader understands it: a primitive, or a list of
// primitives (three-level LIST, legacy two-level LIST, or a bare repeated field).
struct ColumnDescriptor {
  std::string name;               // top-level field name
  std::vector<std::string> path;  // path_in_schema of its leaf
  PhysicalType physical_type = PhysicalType::kByteArray;
  LogicalType logical_type;
  std::optional<ConvertedType> converted_type;
  bool nullable = true;  // the top-level field is OPTIONAL
  bool is_list = false;
  int max_definition_level = 0;  // of the leaf
  int max_repetition_level = 0;  // of the leaf: 0 or 1
  int list_present_level = 0;    // lists: definition level of a present (maybe empty) list
  int element_level = 0;         // lists: definition level of an element slot (maybe null)

  // Our column type when the column is one we also write, else nullopt.
  std::optional<ColumnType> column_type() const;
  // Readable type: "STRING", "INT64", "TIMESTAMP(MICROS, UTC)", "LIST<STRING>", ...
  std::string TypeName() const;
};

// Reads a whole Parquet file held in memory. Open() checks the footer; every length and
// offset is checked against the file size before use. Errors: kCorruption for malformed
// bytes, kInvalidArgument for valid Parquet using features outside docs/parquet-subset.md.
// Thread-compatible: const methods may run concurrently.
class FileReader {
 public:
  static Result<std::unique_ptr<FileReader>> Open(std::string bytes);
  // Errors also: kNotFound / kIOError for the file itself.
  static Result<std::unique_ptr<FileReader>> OpenFile(const std::filesystem::path& path);

  const FileMetaData& metadata() const { return metadata_; }
  const std::vector<ColumnDescriptor>& columns() const { return columns_; }
  size_t num_row_groups() const { return metadata_.row_groups.size(); }
  int64_t num_rows() const { return metadata_.num_rows; }
  uint64_t file_size() const { return bytes_.size(); }

  // The values of `column` in `row_group`, one per row (lists as Value::List).
  Result<std::vector<Value>> ReadColumn(size_t row_group, size_t column) const;
  // Every row of the file, rows[row][column]; stops after `max_rows` rows.
  Result<std::vector<std::vector<Value>>> ReadRows(size_t max_rows = SIZE_MAX) const;

 private:
  FileReader(std::string bytes, FileMetaData metadata, std::vector<ColumnDescriptor> columns)
      : bytes_(std::move(bytes)), metadata_(std::move(metadata)), columns_(std::move(columns)) {}

  std::string bytes_;
  FileMetaData metadata_;
  std::vector<ColumnDescriptor> columns_;
};

}  // namespace slack_intel::parquet

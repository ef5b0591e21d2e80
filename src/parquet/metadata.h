#pragma once

// Plain structs for the parts of the Parquet footer and page headers we write and read
// (parquet-format's parquet.thrift), each with a serialize and a parse function. Fields we do
// not model are skipped when parsing. Enum values are the thrift ones.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace slack_intel::parquet {

enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};
enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };
enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};
enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};
enum class Codec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};
enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};
enum class TimeUnit { kMillis, kMicros, kNanos };

// The LogicalType union, reduced to the members we act on; others parse as kOther.
struct LogicalType {
  enum class Kind { kNone, kString, kList, kTimestamp, kOther };
  Kind kind = Kind::kNone;
  bool is_adjusted_to_utc = true;     // kTimestamp only
  TimeUnit unit = TimeUnit::kMicros;  // kTimestamp only
};

struct SchemaElement {
  std::optional<PhysicalType> type;  // absent for groups
  std::optional<int32_t> type_length;
  std::optional<Repetition> repetition;  // absent for the root
  std::string name;
  std::optional<int32_t> num_children;  // present for groups
  std::optional<ConvertedType> converted_type;
  LogicalType logical_type;
};

struct Statistics {
  std::optional<int64_t> null_count;
  std::optional<std::string> max_value;   // field 5: ordered by the column's ColumnOrder
  std::optional<std::string> min_value;   // field 6
  std::optional<std::string> legacy_max;  // field 1: signed-byte order; read, never written
  std::optional<std::string> legacy_min;  // field 2
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kBoolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  Codec codec = Codec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
};

struct ColumnChunk {
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;  // required by every reader we know of
  bool has_file_path = false;               // data in another file: not supported
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  // depth-first, root first
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::optional<std::string> created_by;
  // One TYPE_ORDER per leaf column when set: min_value/max_value use the logical type's
  // order (unsigned bytes for strings). Written for every column.
  bool has_type_defined_column_orders = false;
  // encryption_algorithm is set: a file with a plaintext footer whose columns are encrypted
  // (Parquet Modular Encryption). We do not read those.
  bool has_encryption_algorithm = false;
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
};

// Appends the compact-protocol encoding of the struct to `out`.
void SerializeFileMetaData(const FileMetaData& metadata, std::string& out);
void SerializePageHeader(const PageHeader& header, std::string& out);

// Parses a footer. Errors: kCorruption for malformed bytes or missing required fields.
Result<FileMetaData> ParseFileMetaData(std::string_view bytes);

// Parses the page header at the start of `bytes`; `*header_size` receives its length.
// Errors: kCorruption.
Result<PageHeader> ParsePageHeader(std::string_view bytes, size_t* header_size);

}  // namespace slack_intel::parquet

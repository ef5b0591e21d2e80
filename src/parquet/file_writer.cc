#include "parquet/file_writer.h"

#include <fmt/format.h>

#include <set>

#include "parquet/compression.h"
#include "parquet/encoding.h"
#include "slack_intel/version.h"
#include "util/utf8.h"

namespace slack_intel::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";

bool IsBoolean(ColumnType t) { return t == ColumnType::kBoolean; }
bool IsInt32(ColumnType t) { return t == ColumnType::kInt32; }
bool IsInt64(ColumnType t) { return t == ColumnType::kInt64; }
bool IsTimestamp(ColumnType t) {
  return t == ColumnType::kTimestampMillis || t == ColumnType::kTimestampMicros;
}
bool IsDouble(ColumnType t) { return t == ColumnType::kDouble; }
bool IsString(ColumnType t) { return t == ColumnType::kString; }
bool IsStringList(ColumnType t) { return t == ColumnType::kStringList; }
bool IsAny(ColumnType) { return true; }

Status CheckSchema(const Schema& schema) {
  if (schema.empty()) return Status::InvalidArgument("parquet: a schema needs at least one column");
  std::set<std::string> names;
  for (const ColumnSpec& c : schema) {
    if (c.name.empty()) return Status::InvalidArgument("parquet: a column has an empty name");
    if (!IsValidUtf8(c.name)) return Status::InvalidArgument("parquet: column name is not UTF-8");
    if (!names.insert(c.name).second) {
      return Status::InvalidArgument(fmt::format("parquet: column '{}' appears twice", c.name));
    }
  }
  return Status::OK();
}

SchemaElement Leaf(const std::string& name, PhysicalType type, Repetition repetition) {
  SchemaElement e;
  e.name = name;
  e.type = type;
  e.repetition = repetition;
  return e;
}

}  // namespace

std::string FileWriter::CreatedBy() {
  return fmt::format("slack-intel version {}", kProjectVersion);
}

FileWriter::FileWriter(OutputStream& sink, Schema schema, WriterOptions options)
    : sink_(sink), schema_(std::move(schema)), options_(std::move(options)) {
  status_ = CheckSchema(schema_);
  if (!status_.ok()) return;
  if (!IsSupportedCodec(options_.codec)) {
    status_ = Status::InvalidArgument(
        fmt::format("parquet: cannot write codec {}", CodecName(options_.codec)));
    return;
  }
  const auto [lowest, highest] = CompressionLevels(options_.codec);
  if (options_.compression_level != 0 &&
      (options_.compression_level < lowest || options_.compression_level > highest)) {
    status_ = Status::InvalidArgument(
        lowest == 0
            ? fmt::format("parquet: {} takes no compression level", CodecName(options_.codec))
            : fmt::format("parquet: {} levels are {} to {}, not {}", CodecName(options_.codec),
                          lowest, highest, options_.compression_level));
    return;
  }
  const ColumnWriterOptions column_options{options_.codec, options_.compression_level,
                                           options_.enable_dictionary, options_.page_size_bytes,
                                           options_.dictionary_page_size_limit_bytes};
  for (const ColumnSpec& spec : schema_) columns_.push_back(MakeColumnWriter(spec, column_options));
}

FileWriter::~FileWriter() = default;

void FileWriter::Fail(Status status) {
  if (status_.ok()) status_ = std::move(status);
}

ColumnWriter* FileWriter::NextColumn(std::string_view kind, bool (*accepts)(ColumnType)) {
  if (!status_.ok() || finished_) return nullptr;
  if (next_column_ >= columns_.size()) {
    Fail(Status::InvalidArgument(
        fmt::format("parquet: row {} has more than {} values", total_rows_, columns_.size())));
    return nullptr;
  }
  const ColumnSpec& spec = schema_[next_column_];
  if (!accepts(spec.type)) {
    Fail(Status::InvalidArgument(fmt::format("parquet: row {}: column '{}' does not take a {}",
                                             total_rows_, spec.name, kind)));
    return nullptr;
  }
  return columns_[next_column_++].get();
}

void FileWriter::AppendNull() {
  const size_t index = next_column_;
  ColumnWriter* column = NextColumn("null", IsAny);
  if (column == nullptr) return;
  if (!schema_[index].nullable) {
    Fail(Status::InvalidArgument(fmt::format("parquet: row {}: column '{}' is REQUIRED, got null",
                                             total_rows_, schema_[index].name)));
    return;
  }
  column->AppendNull();
}

void FileWriter::AppendBool(bool value) {
  if (ColumnWriter* c = NextColumn("boolean", IsBoolean)) c->AppendBool(value);
}
void FileWriter::AppendInt32(int32_t value) {
  if (ColumnWriter* c = NextColumn("int32", IsInt32)) c->AppendInt32(value);
}
void FileWriter::AppendInt64(int64_t value) {
  if (ColumnWriter* c = NextColumn("int64", IsInt64)) c->AppendInt64(value);
}
void FileWriter::AppendTimestamp(int64_t value) {
  if (ColumnWriter* c = NextColumn("timestamp", IsTimestamp)) c->AppendInt64(value);
}
void FileWriter::AppendDouble(double value) {
  if (ColumnWriter* c = NextColumn("double", IsDouble)) c->AppendDouble(value);
}

void FileWriter::AppendString(std::string_view value) {
  const size_t index = next_column_;
  ColumnWriter* column = NextColumn("string", IsString);
  if (column == nullptr) return;
  if (size_t bad = FindInvalidUtf8(value); bad != std::string_view::npos) {
    Fail(Status::InvalidArgument(fmt::format(
        "parquet: row {}: column '{}': invalid UTF-8 at byte {} (callers must sanitise text)",
        total_rows_, schema_[index].name, bad)));
    return;
  }
  column->AppendBytes(value);
}

void FileWriter::AppendStringList(std::span<const std::string_view> items) {
  const size_t index = next_column_;
  ColumnWriter* column = NextColumn("list of strings", IsStringList);
  if (column == nullptr) return;
  for (std::string_view item : items) {
    if (!IsValidUtf8(item)) {
      Fail(Status::InvalidArgument(
          fmt::format("parquet: row {}: column '{}': invalid UTF-8 in a list", total_rows_,
                      schema_[index].name)));
      return;
    }
  }
  column->AppendStringList(items);
}

void FileWriter::AppendStringList(const std::vector<std::string>& items) {
  list_scratch_.assign(items.begin(), items.end());
  AppendStringList(std::span<const std::string_view>(list_scratch_));
}

void FileWriter::EndRow() {
  if (!status_.ok() || finished_) return;
  if (next_column_ != columns_.size()) {
    Fail(Status::InvalidArgument(fmt::format("parquet: row {} has {} values for {} columns",
                                             total_rows_, next_column_, columns_.size())));
    return;
  }
  next_column_ = 0;
  ++rows_in_group_;
  ++total_rows_;
  bool cut =
      options_.max_rows_per_row_group > 0 && rows_in_group_ >= options_.max_rows_per_row_group;
  if (!cut) {
    uint64_t buffered = 0;
    for (const auto& c : columns_) buffered += c->buffered_bytes();
    cut = buffered >= options_.row_group_size_bytes;
  }
  if (cut) WriteRowGroup();
}

void FileWriter::WriteRowGroup() {
  if (!started_) {
    if (Status s = sink_.Write(kMagic); !s.ok()) return Fail(s);
    started_ = true;
  }
  if (rows_in_group_ == 0) return;
  RowGroup group;
  group.num_rows = static_cast<int64_t>(rows_in_group_);
  group.file_offset = static_cast<int64_t>(sink_.position());
  int64_t compressed = 0;
  ColumnChunkOutput chunk;
  for (auto& column : columns_) {
    if (Status s = column->FinishChunk(chunk); !s.ok()) return Fail(s);
    const auto start = static_cast<int64_t>(sink_.position());
    ColumnMetaData& m = chunk.metadata;
    m.data_page_offset += start;
    if (m.dictionary_page_offset) *m.dictionary_page_offset += start;
    if (Status s = sink_.Write(chunk.bytes); !s.ok()) return Fail(s);
    ColumnChunk cc;
    cc.file_offset = start;
    group.total_byte_size += m.total_uncompressed_size;
    compressed += m.total_compressed_size;
    cc.meta_data = std::move(m);
    group.columns.push_back(std::move(cc));
  }
  group.total_compressed_size = compressed;
  row_groups_.push_back(std::move(group));
  rows_in_group_ = 0;
}

std::vector<SchemaElement> FileWriter::SchemaElements() const {
  std::vector<SchemaElement> elements;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema_.size());
  elements.push_back(root);
  for (const ColumnSpec& c : schema_) {
    const Repetition repetition = c.nullable ? Repetition::kOptional : Repetition::kRequired;
    switch (c.type) {
      case ColumnType::kBoolean:
        elements.push_back(Leaf(c.name, PhysicalType::kBoolean, repetition));
        break;
      case ColumnType::kInt32:
        elements.push_back(Leaf(c.name, PhysicalType::kInt32, repetition));
        break;
      case ColumnType::kInt64:
        elements.push_back(Leaf(c.name, PhysicalType::kInt64, repetition));
        break;
      case ColumnType::kDouble:
        elements.push_back(Leaf(c.name, PhysicalType::kDouble, repetition));
        break;
      case ColumnType::kString: {
        SchemaElement e = Leaf(c.name, PhysicalType::kByteArray, repetition);
        e.converted_type = ConvertedType::kUtf8;
        e.logical_type.kind = LogicalType::Kind::kString;
        elements.push_back(e);
        break;
      }
      case ColumnType::kTimestampMillis:
      case ColumnType::kTimestampMicros: {
        SchemaElement e = Leaf(c.name, PhysicalType::kInt64, repetition);
        const bool millis = c.type == ColumnType::kTimestampMillis;
        e.converted_type =
            millis ? ConvertedType::kTimestampMillis : ConvertedType::kTimestampMicros;
        e.logical_type = {LogicalType::Kind::kTimestamp, true,
                          millis ? TimeUnit::kMillis : TimeUnit::kMicros};
        elements.push_back(e);
        break;
      }
      case ColumnType::kStringList: {
        // <name> (LIST) { repeated group list { optional binary element (STRING) } }
        SchemaElement list;
        list.name = c.name;
        list.repetition = repetition;
        list.num_children = 1;
        list.converted_type = ConvertedType::kList;
        list.logical_type.kind = LogicalType::Kind::kList;
        elements.push_back(list);
        SchemaElement repeated;
        repeated.name = "list";
        repeated.repetition = Repetition::kRepeated;
        repeated.num_children = 1;
        elements.push_back(repeated);
        SchemaElement element = Leaf("element", PhysicalType::kByteArray, Repetition::kOptional);
        element.converted_type = ConvertedType::kUtf8;
        element.logical_type.kind = LogicalType::Kind::kString;
        elements.push_back(element);
        break;
      }
    }
  }
  return elements;
}

Status FileWriter::Finish() {
  if (finished_)
    return status_.ok() ? Status::Internal("parquet: writer already finished") : status_;
  if (status_.ok() && next_column_ != 0) {
    Fail(Status::InvalidArgument("parquet: Finish() in the middle of a row"));
  }
  if (status_.ok()) WriteRowGroup();
  finished_ = true;
  if (!status_.ok()) return status_;
  FileMetaData metadata;
  metadata.version = 1;
  metadata.schema = SchemaElements();
  metadata.num_rows = static_cast<int64_t>(total_rows_);
  metadata.row_groups = std::move(row_groups_);
  metadata.key_value_metadata = options_.key_value_metadata;
  metadata.created_by = CreatedBy();
  metadata.has_type_defined_column_orders = true;
  std::string footer;
  SerializeFileMetaData(metadata, footer);
  const auto length = static_cast<uint32_t>(footer.size());
  AppendPlain(length, footer);  // little-endian footer length, then the magic again
  footer += kMagic;
  return sink_.Write(footer);
}

}  // namespace slack_intel::parquet

#include "parquet/file_reader.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <system_error>

#include "parquet/column_reader.h"

namespace slack_intel::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr std::string_view kEncryptedMagic = "PARE";

// The schema list is a depth-first flattening of a tree; this walks it with bounds checks.
class SchemaWalker {
 public:
  explicit SchemaWalker(const std::vector<SchemaElement>& elements) : elements_(elements) {}

  Result<std::vector<ColumnDescriptor>> TopLevelColumns() {
    if (elements_.empty()) return Status::Corruption("parquet: empty schema");
    const SchemaElement& root = elements_[0];
    if (root.type) return Status::Corruption("parquet: schema root is not a group");
    const int32_t children = root.num_children.value_or(0);
    next_ = 1;
    std::vector<ColumnDescriptor> columns;
    for (int32_t i = 0; i < children; ++i) {
      SLACK_INTEL_ASSIGN_OR_RETURN(ColumnDescriptor column, TopLevel());
      columns.push_back(std::move(column));
    }
    if (next_ != elements_.size()) {
      return Status::Corruption("parquet: schema has elements outside its tree");
    }
    return columns;
  }

 private:
  Result<const SchemaElement*> Next() {
    if (next_ >= elements_.size())
      return Status::Corruption("parquet: schema tree runs past its list");
    return &elements_[next_++];
  }

  Result<ColumnDescriptor> TopLevel() {
    SLACK_INTEL_ASSIGN_OR_RETURN(const SchemaElement* field, Next());
    ColumnDescriptor c;
    c.name = field->name;
    const Repetition repetition = field->repetition.value_or(Repetition::kOptional);
    c.nullable = repetition == Repetition::kOptional;
    int def = repetition == Repetition::kRequired ? 0 : 1;
    if (field->type) {  // primitive
      c.path = {field->name};
      if (repetition == Repetition::kRepeated) {  // bare repeated field: a list of required items
        c.is_list = true;
        c.nullable = false;
        c.list_present_level = 0;
        c.element_level = 1;
        c.max_repetition_level = 1;
      }
      c.max_definition_level = def;
      SetLeaf(c, *field);
      return c;
    }
    // A group: only LIST-shaped groups (one repeated child, holding one primitive) are read.
    const bool annotated_list = field->converted_type == ConvertedType::kList ||
                                field->logical_type.kind == LogicalType::Kind::kList;
    if (field->num_children.value_or(0) != 1 || repetition == Repetition::kRepeated) {
      SLACK_INTEL_RETURN_IF_ERROR(SkipSubtree(*field));
      return Unsupported(field->name);
    }
    SLACK_INTEL_ASSIGN_OR_RETURN(const SchemaElement* repeated, Next());
    if (repeated->repetition != Repetition::kRepeated) {
      SLACK_INTEL_RETURN_IF_ERROR(SkipSubtree(*repeated));
      return Unsupported(field->name);
    }
    c.is_list = true;
    c.list_present_level = def;
    ++def;  // the repeated level
    c.element_level = def;
    c.max_repetition_level = 1;
    if (repeated->type) {  // legacy two-level list: the repeated field is the element
      c.path = {field->name, repeated->name};
      c.max_definition_level = def;
      SetLeaf(c, *repeated);
      return c;
    }
    if (repeated->num_children.value_or(0) != 1) {
      SLACK_INTEL_RETURN_IF_ERROR(SkipSubtree(*repeated));
      return Unsupported(field->name);
    }
    SLACK_INTEL_ASSIGN_OR_RETURN(const SchemaElement* element, Next());
    if (!element->type || element->repetition == Repetition::kRepeated) {
      SLACK_INTEL_RETURN_IF_ERROR(SkipSubtree(*element));
      return Unsupported(field->name);
    }
    (void)annotated_list;  // unannotated single-child groups read the same way
    if (element->repetition.value_or(Repetition::kOptional) == Repetition::kOptional) ++def;
    c.path = {field->name, repeated->name, element->name};
    c.max_definition_level = def;
    SetLeaf(c, *element);
    return c;
  }

  static void SetLeaf(ColumnDescriptor& c, const SchemaElement& leaf) {
    c.physical_type = *leaf.type;
    c.logical_type = leaf.logical_type;
    c.converted_type = leaf.converted_type;
  }

  // Consumes the children of an element already read.
  Status SkipSubtree(const SchemaElement& element) {
    int32_t pending = element.num_children.value_or(0);
    while (pending > 0) {
      SLACK_INTEL_ASSIGN_OR_RETURN(const SchemaElement* child, Next());
      --pending;
      if (child->num_children.value_or(0) > static_cast<int32_t>(elements_.size())) {
        return Status::Corruption("parquet: schema group claims more children than exist");
      }
      pending += child->num_children.value_or(0);
    }
    return Status::OK();
  }

  static Status Unsupported(const std::string& name) {
    return Status::InvalidArgument(fmt::format(
        "parquet: column '{}' is a nested type we do not read (structs, maps, nested lists)",
        name));
  }

  const std::vector<SchemaElement>& elements_;
  size_t next_ = 0;
};

std::string LeafTypeName(const ColumnDescriptor& c) {
  const LogicalType& t = c.logical_type;
  if (t.kind == LogicalType::Kind::kString || c.converted_type == ConvertedType::kUtf8)
    return "STRING";
  if (t.kind == LogicalType::Kind::kTimestamp) {
    return fmt::format("TIMESTAMP({}{})",
                       t.unit == TimeUnit::kMillis   ? "MILLIS"
                       : t.unit == TimeUnit::kMicros ? "MICROS"
                                                     : "NANOS",
                       t.is_adjusted_to_utc ? ", UTC" : "");
  }
  if (c.converted_type == ConvertedType::kTimestampMillis) return "TIMESTAMP(MILLIS, UTC)";
  if (c.converted_type == ConvertedType::kTimestampMicros) return "TIMESTAMP(MICROS, UTC)";
  switch (c.physical_type) {
    case PhysicalType::kBoolean:
      return "BOOLEAN";
    case PhysicalType::kInt32:
      return "INT32";
    case PhysicalType::kInt64:
      return "INT64";
    case PhysicalType::kInt96:
      return "INT96";
    case PhysicalType::kFloat:
      return "FLOAT";
    case PhysicalType::kDouble:
      return "DOUBLE";
    case PhysicalType::kByteArray:
      return "BYTE_ARRAY";
    case PhysicalType::kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "UNKNOWN";
}

Status CheckRowGroups(const FileMetaData& m, size_t columns, size_t footer_start) {
  int64_t rows = 0;
  for (size_t g = 0; g < m.row_groups.size(); ++g) {
    const RowGroup& group = m.row_groups[g];
    if (group.columns.size() != columns) {
      return Status::Corruption(fmt::format("parquet: row group {} has {} columns, the schema {}",
                                            g, group.columns.size(), columns));
    }
    if (group.num_rows < 0) return Status::Corruption("parquet: negative num_rows");
    for (const ColumnChunk& chunk : group.columns) {
      if (chunk.has_file_path)
        return Status::InvalidArgument("parquet: column data in other files");
      if (!chunk.meta_data) return Status::Corruption("parquet: column chunk without metadata");
      if (chunk.meta_data->num_values < 0 ||
          chunk.meta_data->total_compressed_size > static_cast<int64_t>(footer_start)) {
        return Status::Corruption("parquet: column chunk sizes exceed the file");
      }
    }
    if (group.num_rows > INT64_MAX - rows)
      return Status::Corruption("parquet: row count overflows");
    rows += group.num_rows;
  }
  if (rows != m.num_rows) {
    return Status::Corruption(
        fmt::format("parquet: footer says {} rows, row groups hold {}", m.num_rows, rows));
  }
  return Status::OK();
}

}  // namespace

std::optional<ColumnType> ColumnDescriptor::column_type() const {
  const std::string leaf = LeafTypeName(*this);
  if (is_list) {
    if (leaf == "STRING") return ColumnType::kStringList;
    return std::nullopt;
  }
  if (leaf == "STRING") return ColumnType::kString;
  if (leaf == "BOOLEAN") return ColumnType::kBoolean;
  if (leaf == "INT32") return ColumnType::kInt32;
  if (leaf == "INT64") return ColumnType::kInt64;
  if (leaf == "DOUBLE") return ColumnType::kDouble;
  if (leaf.starts_with("TIMESTAMP(MILLIS")) return ColumnType::kTimestampMillis;
  if (leaf.starts_with("TIMESTAMP(MICROS")) return ColumnType::kTimestampMicros;
  return std::nullopt;
}

std::string ColumnDescriptor::TypeName() const {
  const std::string leaf = LeafTypeName(*this);
  return is_list ? fmt::format("LIST<{}>", leaf) : leaf;
}

Result<std::unique_ptr<FileReader>> FileReader::OpenFile(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) {
    return error == std::errc::no_such_file_or_directory
               ? Status::NotFound(fmt::format("{}: no such file", path.string()))
               : Status::IOError(fmt::format("{}: {}", path.string(), error.message()));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return Status::IOError(fmt::format("{}: cannot read", path.string()));
  }
  auto reader = Open(std::move(bytes));
  if (!reader.ok()) return reader.status().WithContext(path.string());
  return reader;
}

Result<std::unique_ptr<FileReader>> FileReader::Open(std::string bytes) {
  constexpr size_t kTrailer = 8;  // footer length + magic
  if (bytes.size() < kMagic.size() + kTrailer) {
    return Status::Corruption(fmt::format("not a Parquet file: only {} bytes", bytes.size()));
  }
  const std::string_view view(bytes);
  if (view.substr(view.size() - 4) == kEncryptedMagic) {
    return Status::InvalidArgument("encrypted Parquet files are not supported");
  }
  if (view.substr(0, 4) != kMagic || view.substr(view.size() - 4) != kMagic) {
    return Status::Corruption(
        "not a Parquet file: PAR1 magic missing (truncated or another format)");
  }
  uint32_t footer_length;
  std::memcpy(&footer_length, view.data() + view.size() - kTrailer, 4);
  if (footer_length == 0 || footer_length > view.size() - kMagic.size() - kTrailer) {
    return Status::Corruption(fmt::format("Parquet footer length {} does not fit a {}-byte file",
                                          footer_length, view.size()));
  }
  const size_t footer_start = view.size() - kTrailer - footer_length;
  SLACK_INTEL_ASSIGN_OR_RETURN(FileMetaData metadata,
                               ParseFileMetaData(view.substr(footer_start, footer_length)));
  if (metadata.has_encryption_algorithm) {
    return Status::InvalidArgument(
        "encrypted Parquet files are not supported (a plaintext footer, encrypted columns)");
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<ColumnDescriptor> columns,
                               SchemaWalker(metadata.schema).TopLevelColumns());
  SLACK_INTEL_RETURN_IF_ERROR(CheckRowGroups(metadata, columns.size(), footer_start));
  return std::unique_ptr<FileReader>(
      new FileReader(std::move(bytes), std::move(metadata), std::move(columns)));
}

Result<std::vector<Value>> FileReader::ReadColumn(size_t row_group, size_t column) const {
  if (row_group >= metadata_.row_groups.size() || column >= columns_.size()) {
    return Status::InvalidArgument("parquet: no such row group or column");
  }
  const RowGroup& group = metadata_.row_groups[row_group];
  const size_t footer_start = bytes_.size() - 8 - [&] {
    uint32_t n;
    std::memcpy(&n, bytes_.data() + bytes_.size() - 8, 4);
    return n;
  }();
  auto values = ReadColumnChunk(bytes_, footer_start, columns_[column],
                                *group.columns[column].meta_data, group.num_rows);
  if (!values.ok()) {
    return values.status().WithContext(
        fmt::format("row group {} column '{}'", row_group, columns_[column].name));
  }
  return values;
}

Result<std::vector<std::vector<Value>>> FileReader::ReadRows(size_t max_rows) const {
  std::vector<std::vector<Value>> rows;
  for (size_t g = 0; g < num_row_groups() && rows.size() < max_rows; ++g) {
    const size_t first = rows.size();
    const auto group_rows = static_cast<size_t>(metadata_.row_groups[g].num_rows);
    const size_t take = std::min(group_rows, max_rows - first);
    rows.resize(first + take);
    for (size_t c = 0; c < columns_.size(); ++c) {
      SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<Value> values, ReadColumn(g, c));
      for (size_t r = 0; r < take; ++r) rows[first + r].push_back(std::move(values[r]));
    }
  }
  return rows;
}

}  // namespace slack_intel::parquet

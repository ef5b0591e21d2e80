#include "parquet/metadata.h"

#include <fmt/format.h>

#include "parquet/thrift_compact.h"

namespace slack_intel::parquet {
namespace {

using thrift::CompactReader;
using thrift::CompactWriter;
using thrift::WireType;
using Field = CompactReader::FieldHeader;

// ---------------------------------------------------------------- serialize

void WriteStatistics(CompactWriter& w, const Statistics& s) {
  w.BeginStruct();
  if (s.null_count) w.FieldI64(3, *s.null_count);
  if (s.max_value) w.FieldBinary(5, *s.max_value);
  if (s.min_value) w.FieldBinary(6, *s.min_value);
  w.EndStruct();
}

void WriteLogicalType(CompactWriter& w, const LogicalType& t) {
  w.BeginStruct();
  switch (t.kind) {
    case LogicalType::Kind::kString:
      w.FieldStructBegin(1);  // STRING: StringType {}
      w.BeginStruct();
      w.EndStruct();
      break;
    case LogicalType::Kind::kList:
      w.FieldStructBegin(3);  // LIST: ListType {}
      w.BeginStruct();
      w.EndStruct();
      break;
    case LogicalType::Kind::kTimestamp:
      w.FieldStructBegin(8);  // TIMESTAMP: TimestampType { isAdjustedToUTC, unit }
      w.BeginStruct();
      w.FieldBool(1, t.is_adjusted_to_utc);
      w.FieldStructBegin(2);  // TimeUnit union: MILLIS=1, MICROS=2, NANOS=3
      w.BeginStruct();
      w.FieldStructBegin(t.unit == TimeUnit::kMillis ? 1 : t.unit == TimeUnit::kMicros ? 2 : 3);
      w.BeginStruct();
      w.EndStruct();
      w.EndStruct();
      w.EndStruct();
      break;
    case LogicalType::Kind::kNone:
    case LogicalType::Kind::kOther:
      break;
  }
  w.EndStruct();
}

void WriteSchemaElement(CompactWriter& w, const SchemaElement& e) {
  w.BeginStruct();
  if (e.type) w.FieldI32(1, static_cast<int32_t>(*e.type));
  if (e.type_length) w.FieldI32(2, *e.type_length);
  if (e.repetition) w.FieldI32(3, static_cast<int32_t>(*e.repetition));
  w.FieldBinary(4, e.name);
  if (e.num_children) w.FieldI32(5, *e.num_children);
  if (e.converted_type) w.FieldI32(6, static_cast<int32_t>(*e.converted_type));
  if (e.logical_type.kind != LogicalType::Kind::kNone &&
      e.logical_type.kind != LogicalType::Kind::kOther) {
    w.FieldStructBegin(10);
    WriteLogicalType(w, e.logical_type);
  }
  w.EndStruct();
}

void WriteColumnMetaData(CompactWriter& w, const ColumnMetaData& m) {
  w.BeginStruct();
  w.FieldI32(1, static_cast<int32_t>(m.type));
  w.FieldListBegin(2, WireType::kI32, static_cast<uint32_t>(m.encodings.size()));
  for (Encoding e : m.encodings) w.I32(static_cast<int32_t>(e));
  w.FieldListBegin(3, WireType::kBinary, static_cast<uint32_t>(m.path_in_schema.size()));
  for (const std::string& p : m.path_in_schema) w.Binary(p);
  w.FieldI32(4, static_cast<int32_t>(m.codec));
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.FieldStructBegin(12);
    WriteStatistics(w, *m.statistics);
  }
  w.EndStruct();
}

void WriteRowGroup(CompactWriter& w, const RowGroup& g) {
  w.BeginStruct();
  w.FieldListBegin(1, WireType::kStruct, static_cast<uint32_t>(g.columns.size()));
  for (const ColumnChunk& c : g.columns) {
    w.BeginStruct();
    w.FieldI64(2, c.file_offset);
    if (c.meta_data) {
      w.FieldStructBegin(3);
      WriteColumnMetaData(w, *c.meta_data);
    }
    w.EndStruct();
  }
  w.FieldI64(2, g.total_byte_size);
  w.FieldI64(3, g.num_rows);
  if (g.file_offset) w.FieldI64(5, *g.file_offset);
  if (g.total_compressed_size) w.FieldI64(6, *g.total_compressed_size);
  w.EndStruct();
}

// ---------------------------------------------------------------- parse

Status WrongType(std::string_view what, const Field& f) {
  return Status::Corruption(fmt::format("thrift: {} field {} has unexpected wire type {}", what,
                                        f.id, static_cast<int>(f.type)));
}

bool IsBool(const Field& f) {
  return f.type == WireType::kBoolTrue || f.type == WireType::kBoolFalse;
}

// Calls `on_field(field)` for every field of the struct at the reader's position. The callback
// returns true when it consumed the value, false to have it skipped.
template <typename OnField>
Status ParseStruct(CompactReader& r, OnField on_field) {
  SLACK_INTEL_RETURN_IF_ERROR(r.BeginStruct());
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(Field f, r.ReadFieldHeader());
    if (f.type == WireType::kStop) break;
    SLACK_INTEL_ASSIGN_OR_RETURN(bool consumed, on_field(f));
    if (!consumed) SLACK_INTEL_RETURN_IF_ERROR(r.Skip(f.type));
  }
  r.EndStruct();
  return Status::OK();
}

Result<int32_t> ReadI32Field(CompactReader& r, const Field& f, std::string_view what) {
  if (f.type != WireType::kI32 && f.type != WireType::kI16) return WrongType(what, f);
  return r.ReadI32();
}

Result<int64_t> ReadI64Field(CompactReader& r, const Field& f, std::string_view what) {
  if (f.type != WireType::kI64 && f.type != WireType::kI32) return WrongType(what, f);
  return r.ReadI64();
}

Result<std::string> ReadStringField(CompactReader& r, const Field& f, std::string_view what) {
  if (f.type != WireType::kBinary) return WrongType(what, f);
  SLACK_INTEL_ASSIGN_OR_RETURN(std::string_view v, r.ReadBinary());
  return std::string(v);
}

Status ParseStatistics(CompactReader& r, Statistics& s) {
  return ParseStruct(r, [&](const Field& f) -> Result<bool> {
    switch (f.id) {
      case 1: {
        SLACK_INTEL_ASSIGN_OR_RETURN(s.legacy_max, ReadStringField(r, f, "Statistics"));
        return true;
      }
      case 2: {
        SLACK_INTEL_ASSIGN_OR_RETURN(s.legacy_min, ReadStringField(r, f, "Statistics"));
        return true;
      }
      case 3: {
        SLACK_INTEL_ASSIGN_OR_RETURN(s.null_count, ReadI64Field(r, f, "Statistics"));
        return true;
      }
      case 5: {
        SLACK_INTEL_ASSIGN_OR_RETURN(s.max_value, ReadStringField(r, f, "Statistics"));
        return true;
      }
      case 6: {
        SLACK_INTEL_ASSIGN_OR_RETURN(s.min_value, ReadStringField(r, f, "Statistics"));
        return true;
      }
      default:
        return false;
    }
  });
}

Status ParseTimeUnit(CompactReader& r, TimeUnit& unit) {
  return ParseStruct(r, [&](const Field& f) -> Result<bool> {
    if (f.type != WireType::kStruct) return false;
    if (f.id == 1) unit = TimeUnit::kMillis;
    if (f.id == 2) unit = TimeUnit::kMicros;
    if (f.id == 3) unit = TimeUnit::kNanos;
    return false;  // the member itself is an empty struct: skip it
  });
}

Status ParseLogicalType(CompactReader& r, LogicalType& t) {
  return ParseStruct(r, [&](const Field& f) -> Result<bool> {
    if (f.type != WireType::kStruct) return WrongType("LogicalType", f);
    switch (f.id) {
      case 1:
        t.kind = LogicalType::Kind::kString;
        return false;
      case 3:
        t.kind = LogicalType::Kind::kList;
        return false;
      case 8: {
        t.kind = LogicalType::Kind::kTimestamp;
        SLACK_INTEL_RETURN_IF_ERROR(ParseStruct(r, [&](const Field& g) -> Result<bool> {
          if (g.id == 1 && IsBool(g)) {
            t.is_adjusted_to_utc = CompactReader::BoolFromHeader(g);
            return true;
          }
          if (g.id == 2 && g.type == WireType::kStruct) {
            SLACK_INTEL_RETURN_IF_ERROR(ParseTimeUnit(r, t.unit));
            return true;
          }
          return false;
        }));
        return true;
      }
      default:
        t.kind = LogicalType::Kind::kOther;
        return false;
    }
  });
}

Status ParseSchemaElement(CompactReader& r, SchemaElement& e) {
  return ParseStruct(r, [&](const Field& f) -> Result<bool> {
    switch (f.id) {
      case 1: {
        SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, f, "SchemaElement.type"));
        if (v < 0 || v > 7) return Status::Corruption(fmt::format("unknown physical type {}", v));
        e.type = static_cast<PhysicalType>(v);
        return true;
      }
      case 2: {
        SLACK_INTEL_ASSIGN_OR_RETURN(e.type_length, ReadI32Field(r, f, "SchemaElement"));
        return true;
      }
      case 3: {
        SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, f, "SchemaElement.repetition"));
        if (v < 0 || v > 2) return Status::Corruption(fmt::format("unknown repetition {}", v));
        e.repetition = static_cast<Repetition>(v);
        return true;
      }
      case 4: {
        SLACK_INTEL_ASSIGN_OR_RETURN(e.name, ReadStringField(r, f, "SchemaElement.name"));
        return true;
      }
      case 5: {
        SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, f, "SchemaElement.num_children"));
        if (v < 0) return Status::Corruption("negative num_children");
        e.num_children = v;
        return true;
      }
      case 6: {
        SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, f, "SchemaElement.converted_type"));
        e.converted_type = static_cast<ConvertedType>(v);
        return true;
      }
      case 10:
        if (f.type != WireType::kStruct) return WrongType("SchemaElement.logicalType", f);
        SLACK_INTEL_RETURN_IF_ERROR(ParseLogicalType(r, e.logical_type));
        return true;
      default:
        return false;
    }
  });
}

template <typename T, typename ParseOne>
Status ParseList(CompactReader& r, const Field& f, std::string_view what, WireType element_type,
                 std::vector<T>& out, ParseOne parse_one) {
  if (f.type != WireType::kList) return WrongType(what, f);
  SLACK_INTEL_ASSIGN_OR_RETURN(CompactReader::ListHeader list, r.ReadListHeader());
  if (list.element_type != element_type) {
    return Status::Corruption(fmt::format("thrift: {} list has wrong element type", what));
  }
  out.clear();
  out.reserve(list.size);  // bounded: ReadListHeader checked size against the bytes left
  for (uint32_t i = 0; i < list.size; ++i) {
    out.emplace_back();
    SLACK_INTEL_RETURN_IF_ERROR(parse_one(out.back()));
  }
  return Status::OK();
}

Status ParseColumnMetaData(CompactReader& r, ColumnMetaData& m) {
  bool has_type = false, has_codec = false, has_num_values = false, has_data_page_offset = false;
  SLACK_INTEL_RETURN_IF_ERROR(ParseStruct(r, [&](const Field& f) -> Result<bool> {
    switch (f.id) {
      case 1: {
        SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, f, "ColumnMetaData.type"));
        if (v < 0 || v > 7) return Status::Corruption(fmt::format("unknown physical type {}", v));
        m.type = static_cast<PhysicalType>(v);
        has_type = true;
        return true;
      }
      case 2:
        SLACK_INTEL_RETURN_IF_ERROR(
            ParseList(r, f, "encodings", WireType::kI32, m.encodings, [&](Encoding& e) -> Status {
              SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, r.ReadI32());
              e = static_cast<Encoding>(v);
              return Status::OK();
            }));
        return true;
      case 3:
        SLACK_INTEL_RETURN_IF_ERROR(ParseList(r, f, "path_in_schema", WireType::kBinary,
                                              m.path_in_schema, [&](std::string& s) -> Status {
                                                SLACK_INTEL_ASSIGN_OR_RETURN(std::string_view v,
                                                                             r.ReadBinary());
                                                s = v;
                                                return Status::OK();
                                              }));
        return true;
      case 4: {
        SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, f, "ColumnMetaData.codec"));
        m.codec = static_cast<Codec>(v);
        has_codec = true;
        return true;
      }
      case 5: {
        SLACK_INTEL_ASSIGN_OR_RETURN(m.num_values, ReadI64Field(r, f, "num_values"));
        has_num_values = true;
        return true;
      }
      case 6: {
        SLACK_INTEL_ASSIGN_OR_RETURN(m.total_uncompressed_size, ReadI64Field(r, f, "size"));
        return true;
      }
      case 7: {
        SLACK_INTEL_ASSIGN_OR_RETURN(m.total_compressed_size, ReadI64Field(r, f, "size"));
        return true;
      }
      case 9: {
        SLACK_INTEL_ASSIGN_OR_RETURN(m.data_page_offset, ReadI64Field(r, f, "data_page_offset"));
        has_data_page_offset = true;
        return true;
      }
      case 11: {
        SLACK_INTEL_ASSIGN_OR_RETURN(m.dictionary_page_offset, ReadI64Field(r, f, "offset"));
        return true;
      }
      case 12:
        if (f.type != WireType::kStruct) return WrongType("ColumnMetaData.statistics", f);
        m.statistics.emplace();
        SLACK_INTEL_RETURN_IF_ERROR(ParseStatistics(r, *m.statistics));
        return true;
      default:
        return false;
    }
  }));
  if (!has_type || !has_codec || !has_num_values || !has_data_page_offset) {
    return Status::Corruption("ColumnMetaData lacks a required field");
  }
  return Status::OK();
}

Status ParseRowGroup(CompactReader& r, RowGroup& g) {
  bool has_columns = false, has_num_rows = false;
  SLACK_INTEL_RETURN_IF_ERROR(ParseStruct(r, [&](const Field& f) -> Result<bool> {
    switch (f.id) {
      case 1:
        has_columns = true;
        SLACK_INTEL_RETURN_IF_ERROR(
            ParseList(r, f, "columns", WireType::kStruct, g.columns, [&](ColumnChunk& c) -> Status {
              return ParseStruct(r, [&](const Field& cf) -> Result<bool> {
                switch (cf.id) {
                  case 1:
                    c.has_file_path = true;
                    return false;
                  case 2: {
                    SLACK_INTEL_ASSIGN_OR_RETURN(c.file_offset, ReadI64Field(r, cf, "file_offset"));
                    return true;
                  }
                  case 3:
                    if (cf.type != WireType::kStruct) return WrongType("ColumnChunk.meta_data", cf);
                    c.meta_data.emplace();
                    SLACK_INTEL_RETURN_IF_ERROR(ParseColumnMetaData(r, *c.meta_data));
                    return true;
                  default:
                    return false;
                }
              });
            }));
        return true;
      case 2: {
        SLACK_INTEL_ASSIGN_OR_RETURN(g.total_byte_size, ReadI64Field(r, f, "total_byte_size"));
        return true;
      }
      case 3: {
        SLACK_INTEL_ASSIGN_OR_RETURN(g.num_rows, ReadI64Field(r, f, "num_rows"));
        has_num_rows = true;
        return true;
      }
      case 5: {
        SLACK_INTEL_ASSIGN_OR_RETURN(g.file_offset, ReadI64Field(r, f, "file_offset"));
        return true;
      }
      case 6: {
        SLACK_INTEL_ASSIGN_OR_RETURN(g.total_compressed_size, ReadI64Field(r, f, "size"));
        return true;
      }
      default:
        return false;
    }
  }));
  if (!has_columns || !has_num_rows) return Status::Corruption("RowGroup lacks a required field");
  return Status::OK();
}

}  // namespace

void SerializeFileMetaData(const FileMetaData& m, std::string& out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, m.version);
  w.FieldListBegin(2, WireType::kStruct, static_cast<uint32_t>(m.schema.size()));
  for (const SchemaElement& e : m.schema) WriteSchemaElement(w, e);
  w.FieldI64(3, m.num_rows);
  w.FieldListBegin(4, WireType::kStruct, static_cast<uint32_t>(m.row_groups.size()));
  for (const RowGroup& g : m.row_groups) WriteRowGroup(w, g);
  if (!m.key_value_metadata.empty()) {
    w.FieldListBegin(5, WireType::kStruct, static_cast<uint32_t>(m.key_value_metadata.size()));
    for (const KeyValue& kv : m.key_value_metadata) {
      w.BeginStruct();
      w.FieldBinary(1, kv.key);
      if (kv.value) w.FieldBinary(2, *kv.value);
      w.EndStruct();
    }
  }
  if (m.created_by) w.FieldBinary(6, *m.created_by);
  if (m.has_type_defined_column_orders) {
    size_t leaves = 0;
    for (const SchemaElement& e : m.schema) leaves += e.type.has_value() ? 1 : 0;
    w.FieldListBegin(7, WireType::kStruct, static_cast<uint32_t>(leaves));
    for (size_t i = 0; i < leaves; ++i) {
      w.BeginStruct();  // ColumnOrder union: TYPE_ORDER = 1 (TypeDefinedOrder {})
      w.FieldStructBegin(1);
      w.BeginStruct();
      w.EndStruct();
      w.EndStruct();
    }
  }
  w.EndStruct();
}

void SerializePageHeader(const PageHeader& h, std::string& out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, static_cast<int32_t>(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.data_page_header) {
    const DataPageHeader& d = *h.data_page_header;
    w.FieldStructBegin(5);
    w.BeginStruct();
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, static_cast<int32_t>(d.encoding));
    w.FieldI32(3, static_cast<int32_t>(d.definition_level_encoding));
    w.FieldI32(4, static_cast<int32_t>(d.repetition_level_encoding));
    w.EndStruct();
  }
  if (h.dictionary_page_header) {
    w.FieldStructBegin(7);
    w.BeginStruct();
    w.FieldI32(1, h.dictionary_page_header->num_values);
    w.FieldI32(2, static_cast<int32_t>(h.dictionary_page_header->encoding));
    w.EndStruct();
  }
  w.EndStruct();
}

Result<FileMetaData> ParseFileMetaData(std::string_view bytes) {
  CompactReader r(bytes);
  FileMetaData m;
  bool has_schema = false, has_num_rows = false, has_row_groups = false;
  SLACK_INTEL_RETURN_IF_ERROR(ParseStruct(r, [&](const Field& f) -> Result<bool> {
    switch (f.id) {
      case 1: {
        SLACK_INTEL_ASSIGN_OR_RETURN(m.version, ReadI32Field(r, f, "version"));
        return true;
      }
      case 2:
        has_schema = true;
        SLACK_INTEL_RETURN_IF_ERROR(
            ParseList(r, f, "schema", WireType::kStruct, m.schema,
                      [&](SchemaElement& e) { return ParseSchemaElement(r, e); }));
        return true;
      case 3: {
        SLACK_INTEL_ASSIGN_OR_RETURN(m.num_rows, ReadI64Field(r, f, "num_rows"));
        has_num_rows = true;
        return true;
      }
      case 4:
        has_row_groups = true;
        SLACK_INTEL_RETURN_IF_ERROR(ParseList(r, f, "row_groups", WireType::kStruct, m.row_groups,
                                              [&](RowGroup& g) { return ParseRowGroup(r, g); }));
        return true;
      case 5:
        SLACK_INTEL_RETURN_IF_ERROR(
            ParseList(r, f, "key_value_metadata", WireType::kStruct, m.key_value_metadata,
                      [&](KeyValue& kv) -> Status {
                        return ParseStruct(r, [&](const Field& kf) -> Result<bool> {
                          if (kf.id == 1) {
                            SLACK_INTEL_ASSIGN_OR_RETURN(kv.key, ReadStringField(r, kf, "key"));
                            return true;
                          }
                          if (kf.id == 2) {
                            SLACK_INTEL_ASSIGN_OR_RETURN(kv.value, ReadStringField(r, kf, "value"));
                            return true;
                          }
                          return false;
                        });
                      }));
        return true;
      case 6: {
        SLACK_INTEL_ASSIGN_OR_RETURN(m.created_by, ReadStringField(r, f, "created_by"));
        return true;
      }
      case 7:
        m.has_type_defined_column_orders = true;
        return false;
      case 8:
        m.has_encryption_algorithm = true;
        return false;
      default:
        return false;
    }
  }));
  if (m.has_encryption_algorithm) return m;  // the caller refuses it by name
  if (!has_schema || !has_num_rows || !has_row_groups) {
    return Status::Corruption("footer lacks schema, num_rows or row_groups");
  }
  return m;
}

Result<PageHeader> ParsePageHeader(std::string_view bytes, size_t* header_size) {
  CompactReader r(bytes);
  PageHeader h;
  bool has_type = false, has_sizes = false;
  SLACK_INTEL_RETURN_IF_ERROR(ParseStruct(r, [&](const Field& f) -> Result<bool> {
    switch (f.id) {
      case 1: {
        SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, f, "PageHeader.type"));
        h.type = static_cast<PageType>(v);
        has_type = true;
        return true;
      }
      case 2: {
        SLACK_INTEL_ASSIGN_OR_RETURN(h.uncompressed_page_size, ReadI32Field(r, f, "size"));
        return true;
      }
      case 3: {
        SLACK_INTEL_ASSIGN_OR_RETURN(h.compressed_page_size, ReadI32Field(r, f, "size"));
        has_sizes = true;
        return true;
      }
      case 5:
        if (f.type != WireType::kStruct) return WrongType("data_page_header", f);
        h.data_page_header.emplace();
        SLACK_INTEL_RETURN_IF_ERROR(ParseStruct(r, [&](const Field& d) -> Result<bool> {
          DataPageHeader& p = *h.data_page_header;
          switch (d.id) {
            case 1: {
              SLACK_INTEL_ASSIGN_OR_RETURN(p.num_values, ReadI32Field(r, d, "num_values"));
              return true;
            }
            case 2:
            case 3:
            case 4: {
              SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, d, "encoding"));
              (d.id == 2   ? p.encoding
               : d.id == 3 ? p.definition_level_encoding
                           : p.repetition_level_encoding) = static_cast<Encoding>(v);
              return true;
            }
            default:
              return false;
          }
        }));
        return true;
      case 7:
        if (f.type != WireType::kStruct) return WrongType("dictionary_page_header", f);
        h.dictionary_page_header.emplace();
        SLACK_INTEL_RETURN_IF_ERROR(ParseStruct(r, [&](const Field& d) -> Result<bool> {
          DictionaryPageHeader& p = *h.dictionary_page_header;
          if (d.id == 1) {
            SLACK_INTEL_ASSIGN_OR_RETURN(p.num_values, ReadI32Field(r, d, "num_values"));
            return true;
          }
          if (d.id == 2) {
            SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, d, "encoding"));
            p.encoding = static_cast<Encoding>(v);
            return true;
          }
          return false;
        }));
        return true;
      case 8:
        if (f.type != WireType::kStruct) return WrongType("data_page_header_v2", f);
        h.data_page_header_v2.emplace();
        SLACK_INTEL_RETURN_IF_ERROR(ParseStruct(r, [&](const Field& d) -> Result<bool> {
          DataPageHeaderV2& p = *h.data_page_header_v2;
          switch (d.id) {
            case 1: {
              SLACK_INTEL_ASSIGN_OR_RETURN(p.num_values, ReadI32Field(r, d, "v2"));
              return true;
            }
            case 2: {
              SLACK_INTEL_ASSIGN_OR_RETURN(p.num_nulls, ReadI32Field(r, d, "v2"));
              return true;
            }
            case 3: {
              SLACK_INTEL_ASSIGN_OR_RETURN(p.num_rows, ReadI32Field(r, d, "v2"));
              return true;
            }
            case 4: {
              SLACK_INTEL_ASSIGN_OR_RETURN(int32_t v, ReadI32Field(r, d, "v2"));
              p.encoding = static_cast<Encoding>(v);
              return true;
            }
            case 5: {
              SLACK_INTEL_ASSIGN_OR_RETURN(p.definition_levels_byte_length,
                                           ReadI32Field(r, d, "v2"));
              return true;
            }
            case 6: {
              SLACK_INTEL_ASSIGN_OR_RETURN(p.repetition_levels_byte_length,
                                           ReadI32Field(r, d, "v2"));
              return true;
            }
            case 7:
              if (!IsBool(d)) return WrongType("is_compressed", d);
              p.is_compressed = CompactReader::BoolFromHeader(d);
              return true;
            default:
              return false;
          }
        }));
        return true;
      default:
        return false;
    }
  }));
  if (!has_type || !has_sizes) return Status::Corruption("page header lacks type or sizes");
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    return Status::Corruption("page header has a negative size");
  }
  *header_size = r.position();
  return h;
}

}  // namespace slack_intel::parquet

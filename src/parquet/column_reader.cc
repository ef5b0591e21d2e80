#include "parquet/column_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "parquet/compression.h"
#include "parquet/encoding.h"

namespace slack_intel::parquet {
namespace {

std::string EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kPlain:
      return "PLAIN";
    case Encoding::kPlainDictionary:
      return "PLAIN_DICTIONARY";
    case Encoding::kRle:
      return "RLE";
    case Encoding::kBitPacked:
      return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked:
      return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray:
      return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary:
      return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit:
      return "BYTE_STREAM_SPLIT";
  }
  return fmt::format("ENCODING({})", static_cast<int>(e));
}

// Reads PLAIN values of the column's physical type from `data`, appending to `out`.
class PlainDecoder {
 public:
  PlainDecoder(std::string_view data, PhysicalType type) : data_(data), type_(type) {}

  Status Decode(size_t count, std::vector<Value>& out) {
    switch (type_) {
      case PhysicalType::kBoolean:
        if (count > (data_.size() - position_) * 8 - bit_) return Short();
        for (size_t i = 0; i < count; ++i) {
          out.emplace_back(((static_cast<uint8_t>(data_[position_]) >> bit_) & 1) != 0);
          if (++bit_ == 8) {
            bit_ = 0;
            ++position_;
          }
        }
        return Status::OK();
      case PhysicalType::kInt32:
        return Fixed<int32_t>(count, out);
      case PhysicalType::kInt64:
        return Fixed<int64_t>(count, out);
      case PhysicalType::kDouble:
        return Fixed<double>(count, out);
      case PhysicalType::kFloat: {
        if (count > (data_.size() - position_) / 4) return Short();
        for (size_t i = 0; i < count; ++i) {
          float f;
          std::memcpy(&f, data_.data() + position_, 4);
          position_ += 4;
          out.emplace_back(static_cast<double>(f));
        }
        return Status::OK();
      }
      case PhysicalType::kByteArray:
        for (size_t i = 0; i < count; ++i) {
          if (data_.size() - position_ < 4) return Short();
          uint32_t length;
          std::memcpy(&length, data_.data() + position_, 4);
          position_ += 4;
          if (length > data_.size() - position_) return Short();
          out.emplace_back(std::string(data_.substr(position_, length)));
          position_ += length;
        }
        return Status::OK();
      default:
        return Status::InvalidArgument("parquet: INT96 and FIXED_LEN_BYTE_ARRAY are not supported");
    }
  }

 private:
  template <typename T>
  Status Fixed(size_t count, std::vector<Value>& out) {
    if (count > (data_.size() - position_) / sizeof(T)) return Short();
    for (size_t i = 0; i < count; ++i) {
      T v;
      std::memcpy(&v, data_.data() + position_, sizeof(T));
      position_ += sizeof(T);
      out.emplace_back(v);
    }
    return Status::OK();
  }
  static Status Short() {
    return Status::Corruption("parquet: page has fewer values than it declares");
  }

  std::string_view data_;
  PhysicalType type_;
  size_t position_ = 0;
  int bit_ = 0;
};

// Levels of a data page v1: a 4-byte length, then the RLE / bit-packed hybrid.
Status ReadV1Levels(std::string_view& page, int max_level, size_t count,
                    std::vector<uint32_t>& out) {
  out.assign(count, 0);
  if (max_level == 0) return Status::OK();
  if (page.size() < 4) return Status::Corruption("parquet: page ends before its levels");
  uint32_t length;
  std::memcpy(&length, page.data(), 4);
  if (length > page.size() - 4) return Status::Corruption("parquet: levels run past the page");
  RleBitPackedDecoder decoder(page.substr(4, length), BitWidth(static_cast<uint32_t>(max_level)));
  SLACK_INTEL_RETURN_IF_ERROR(decoder.Decode(out.data(), count));
  page.remove_prefix(4 + length);
  return Status::OK();
}

Status CheckLevels(const std::vector<uint32_t>& levels, int max_level, std::string_view what) {
  for (uint32_t level : levels) {
    if (level > static_cast<uint32_t>(max_level)) {
      return Status::Corruption(
          fmt::format("parquet: {} level {} above the maximum {}", what, level, max_level));
    }
  }
  return Status::OK();
}

class ChunkDecoder {
 public:
  ChunkDecoder(const ColumnDescriptor& column, const ColumnMetaData& chunk)
      : column_(column), chunk_(chunk) {}

  Status Page(const PageHeader& header, std::string_view body) {
    switch (header.type) {
      case PageType::kDictionaryPage:
        return DictionaryPage(header, body);
      case PageType::kDataPage:
        return DataPageV1(header, body);
      case PageType::kDataPageV2:
        return DataPageV2(header, body);
      default:
        return Status::OK();  // index pages and unknown kinds carry no values
    }
  }

  int64_t level_count() const { return static_cast<int64_t>(def_.size()); }

  // Assembles rows from all levels and values. Errors: kCorruption when they disagree.
  Result<std::vector<Value>> Rows(int64_t num_rows) {
    std::vector<Value> rows;
    rows.reserve(std::min(static_cast<size_t>(num_rows), def_.size()));  // num_rows is untrusted
    size_t next_value = 0;
    const int max_def = column_.max_definition_level;
    auto take_value = [&]() -> Result<Value> {
      if (next_value >= values_.size())
        return Status::Corruption("parquet: fewer values than levels");
      return std::move(values_[next_value++]);
    };
    for (size_t i = 0; i < def_.size(); ++i) {
      const int def = static_cast<int>(def_[i]);
      if (!column_.is_list) {
        if (def == max_def) {
          SLACK_INTEL_ASSIGN_OR_RETURN(Value v, take_value());
          rows.push_back(std::move(v));
        } else {
          rows.emplace_back();
        }
        continue;
      }
      if (rep_[i] == 0) {
        if (def < column_.list_present_level) {
          rows.emplace_back();  // null list
          continue;
        }
        rows.emplace_back(Value::List{});
      } else if (rows.empty() || !std::holds_alternative<Value::List>(rows.back().data)) {
        return Status::Corruption("parquet: repeated value without a list to belong to");
      }
      if (def < column_.element_level) continue;  // empty list
      auto& list = std::get<Value::List>(rows.back().data);
      if (def == max_def) {
        SLACK_INTEL_ASSIGN_OR_RETURN(Value v, take_value());
        list.push_back(std::move(v));
      } else {
        list.emplace_back();  // null element
      }
    }
    if (next_value != values_.size()) return Status::Corruption("parquet: more values than levels");
    if (static_cast<int64_t>(rows.size()) != num_rows) {
      return Status::Corruption(fmt::format("parquet: column '{}' has {} rows, its row group {}",
                                            column_.name, rows.size(), num_rows));
    }
    return rows;
  }

 private:
  Status DictionaryPage(const PageHeader& header, std::string_view body) {
    if (!dictionary_.empty() || level_count() > 0) {
      return Status::Corruption("parquet: dictionary page after data pages");
    }
    if (!header.dictionary_page_header || header.dictionary_page_header->num_values < 0) {
      return Status::Corruption("parquet: dictionary page without its header");
    }
    const auto encoding = header.dictionary_page_header->encoding;
    if (encoding != Encoding::kPlain && encoding != Encoding::kPlainDictionary) {
      return Status::InvalidArgument("parquet: dictionary page is not PLAIN");
    }
    PlainDecoder decoder(body, column_.physical_type);
    return decoder.Decode(static_cast<size_t>(header.dictionary_page_header->num_values),
                          dictionary_);
  }

  Status DataPageV1(const PageHeader& header, std::string_view page) {
    if (!header.data_page_header)
      return Status::Corruption("parquet: data page without its header");
    const DataPageHeader& d = *header.data_page_header;
    SLACK_INTEL_ASSIGN_OR_RETURN(size_t count, CheckedCount(d.num_values));
    std::vector<uint32_t> rep, def;
    SLACK_INTEL_RETURN_IF_ERROR(ReadV1Levels(page, column_.max_repetition_level, count, rep));
    SLACK_INTEL_RETURN_IF_ERROR(ReadV1Levels(page, column_.max_definition_level, count, def));
    return Values(d.encoding, page, std::move(rep), std::move(def), count);
  }

  Status DataPageV2(const PageHeader& header, std::string_view page) {
    if (!header.data_page_header_v2)
      return Status::Corruption("parquet: v2 page without its header");
    const DataPageHeaderV2& d = *header.data_page_header_v2;
    SLACK_INTEL_ASSIGN_OR_RETURN(size_t count, CheckedCount(d.num_values));
    std::vector<uint32_t> rep(count, 0), def(count, 0);
    auto levels = [&](int32_t length, int max_level, std::vector<uint32_t>& out) -> Status {
      if (length < 0 || static_cast<size_t>(length) > page.size()) {
        return Status::Corruption("parquet: v2 levels run past the page");
      }
      if (max_level > 0) {
        RleBitPackedDecoder decoder(page.substr(0, static_cast<size_t>(length)),
                                    BitWidth(static_cast<uint32_t>(max_level)));
        SLACK_INTEL_RETURN_IF_ERROR(decoder.Decode(out.data(), count));
      }
      page.remove_prefix(static_cast<size_t>(length));
      return Status::OK();
    };
    SLACK_INTEL_RETURN_IF_ERROR(
        levels(d.repetition_levels_byte_length, column_.max_repetition_level, rep));
    SLACK_INTEL_RETURN_IF_ERROR(
        levels(d.definition_levels_byte_length, column_.max_definition_level, def));
    // In v2 only the values are compressed, and only when is_compressed says so. An empty values
    // section (every value null) is empty, whatever the flag: there is nothing to inflate.
    if (d.is_compressed && chunk_.codec != Codec::kUncompressed && !page.empty()) {
      const int64_t levels_bytes =
          int64_t{d.repetition_levels_byte_length} + d.definition_levels_byte_length;
      const int64_t values_size = int64_t{header.uncompressed_page_size} - levels_bytes;
      if (values_size < 0) return Status::Corruption("parquet: v2 page sizes do not add up");
      SLACK_INTEL_RETURN_IF_ERROR(
          Decompress(chunk_.codec, page, static_cast<size_t>(values_size), scratch_));
      page = scratch_;
    }
    return Values(d.encoding, page, std::move(rep), std::move(def), count);
  }

  // A page may not hold more entries than its chunk has left to declare.
  Result<size_t> CheckedCount(int32_t num_values) const {
    if (num_values < 0 || num_values > chunk_.num_values - level_count()) {
      return Status::Corruption(fmt::format("parquet: page claims {} values, its chunk has {} left",
                                            num_values, chunk_.num_values - level_count()));
    }
    return static_cast<size_t>(num_values);
  }

  Status Values(Encoding encoding, std::string_view data, std::vector<uint32_t> rep,
                std::vector<uint32_t> def, size_t count) {
    SLACK_INTEL_RETURN_IF_ERROR(CheckLevels(rep, column_.max_repetition_level, "repetition"));
    SLACK_INTEL_RETURN_IF_ERROR(CheckLevels(def, column_.max_definition_level, "definition"));
    size_t present = 0;
    for (uint32_t d : def) present += d == static_cast<uint32_t>(column_.max_definition_level);
    if (column_.max_definition_level == 0) present = count;
    switch (encoding) {
      case Encoding::kPlain: {
        PlainDecoder decoder(data, column_.physical_type);
        SLACK_INTEL_RETURN_IF_ERROR(decoder.Decode(present, values_));
        break;
      }
      case Encoding::kPlainDictionary:
      case Encoding::kRleDictionary: {
        if (present == 0) break;
        if (data.empty()) return Status::Corruption("parquet: dictionary page data is empty");
        const int bit_width = static_cast<uint8_t>(data[0]);
        if (bit_width > 32) return Status::Corruption("parquet: dictionary index width above 32");
        std::vector<uint32_t> indices(present);
        RleBitPackedDecoder decoder(data.substr(1), bit_width);
        SLACK_INTEL_RETURN_IF_ERROR(decoder.Decode(indices.data(), present));
        for (uint32_t index : indices) {
          if (index >= dictionary_.size()) {
            return Status::Corruption(fmt::format("parquet: dictionary index {} out of {} entries",
                                                  index, dictionary_.size()));
          }
          values_.push_back(dictionary_[index]);
        }
        break;
      }
      case Encoding::kRle: {
        if (column_.physical_type != PhysicalType::kBoolean) {
          return Status::InvalidArgument("parquet: RLE values are only read for booleans");
        }
        // RLE booleans: a 4-byte length, then bit width 1.
        if (data.size() < 4) return Status::Corruption("parquet: RLE booleans truncated");
        uint32_t length;
        std::memcpy(&length, data.data(), 4);
        if (length > data.size() - 4) return Status::Corruption("parquet: RLE booleans truncated");
        std::vector<uint32_t> bits(present);
        RleBitPackedDecoder decoder(data.substr(4, length), 1);
        SLACK_INTEL_RETURN_IF_ERROR(decoder.Decode(bits.data(), present));
        for (uint32_t b : bits) values_.emplace_back(b != 0);
        break;
      }
      default:
        return Status::InvalidArgument(
            fmt::format("parquet: column '{}' uses {}, which we do not read", column_.name,
                        EncodingName(encoding)));
    }
    rep_.insert(rep_.end(), rep.begin(), rep.end());
    def_.insert(def_.end(), def.begin(), def.end());
    return Status::OK();
  }

  const ColumnDescriptor& column_;
  const ColumnMetaData& chunk_;
  std::vector<Value> dictionary_;
  std::vector<Value> values_;
  std::vector<uint32_t> rep_, def_;
  std::string scratch_;
};

}  // namespace

Result<std::vector<Value>> ReadColumnChunk(std::string_view file, size_t footer_start,
                                           const ColumnDescriptor& column,
                                           const ColumnMetaData& chunk, int64_t num_rows) {
  if (chunk.type != column.physical_type) {
    return Status::Corruption(
        fmt::format("parquet: column '{}' chunk type differs from the schema", column.name));
  }
  if (!IsSupportedCodec(chunk.codec)) {
    return Status::InvalidArgument(
        fmt::format("parquet: column '{}' uses codec {}, which we do not read", column.name,
                    CodecName(chunk.codec)));
  }
  if (num_rows < 0) return Status::Corruption("parquet: negative row count");
  // A chunk without values has nothing to read: some writers leave its offsets at 0.
  if (chunk.num_values == 0 && num_rows == 0) return std::vector<Value>{};
  int64_t start = chunk.data_page_offset;
  // Some writers set dictionary_page_offset to 0 meaning "none"; only a real one comes first.
  if (chunk.dictionary_page_offset && *chunk.dictionary_page_offset > 0 &&
      *chunk.dictionary_page_offset < start) {
    start = *chunk.dictionary_page_offset;
  }
  const int64_t length = chunk.total_compressed_size;
  if (start < 4 || length < 0 || start > static_cast<int64_t>(footer_start) ||
      length > static_cast<int64_t>(footer_start) - start) {
    return Status::Corruption(fmt::format(
        "parquet: column '{}' chunk [{}, +{}) lies outside the data", column.name, start, length));
  }
  if (chunk.num_values > kMaxValuesPerChunk) {
    return Status::InvalidArgument(
        fmt::format("parquet: column '{}' chunk has {} values; we read at most {} per chunk",
                    column.name, chunk.num_values, kMaxValuesPerChunk));
  }
  std::string_view rest = file.substr(static_cast<size_t>(start), static_cast<size_t>(length));
  ChunkDecoder decoder(column, chunk);
  std::string page;
  while (decoder.level_count() < chunk.num_values) {
    if (rest.empty()) return Status::Corruption("parquet: column chunk ends before its values");
    size_t header_size = 0;
    SLACK_INTEL_ASSIGN_OR_RETURN(PageHeader header, ParsePageHeader(rest, &header_size));
    rest.remove_prefix(header_size);
    if (static_cast<size_t>(header.compressed_page_size) > rest.size()) {
      return Status::Corruption("parquet: page runs past its column chunk");
    }
    if (static_cast<size_t>(header.uncompressed_page_size) > kMaxPageBytes) {
      return Status::InvalidArgument("parquet: page larger than 256 MiB");
    }
    std::string_view body = rest.substr(0, static_cast<size_t>(header.compressed_page_size));
    rest.remove_prefix(body.size());
    if (header.type == PageType::kDataPageV2) {
      SLACK_INTEL_RETURN_IF_ERROR(decoder.Page(header, body));  // decompresses its own values
      continue;
    }
    if (header.type != PageType::kDataPage && header.type != PageType::kDictionaryPage) continue;
    SLACK_INTEL_RETURN_IF_ERROR(
        Decompress(chunk.codec, body, static_cast<size_t>(header.uncompressed_page_size), page));
    SLACK_INTEL_RETURN_IF_ERROR(decoder.Page(header, page));
  }
  if (decoder.level_count() != chunk.num_values) {
    return Status::Corruption("parquet: pages hold more values than the column chunk declares");
  }
  return decoder.Rows(num_rows);
}

}  // namespace slack_intel::parquet

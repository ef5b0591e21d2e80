#include "parquet/thrift_compact.h"

#include <fmt/format.h>

#include <cassert>

namespace slack_intel::parquet::thrift {
namespace {

// Nesting deeper than this is not Parquet metadata; stops stack exhaustion on hostile input.
constexpr int kMaxNestingDepth = 32;

int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

Status Truncated(size_t position) {
  return Status::Corruption(fmt::format("thrift: truncated at byte {}", position));
}

}  // namespace

// ---------------------------------------------------------------- writer

void CompactWriter::Varint(uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void CompactWriter::FieldHeader(int16_t id, WireType type) {
  assert(!last_field_ids_.empty());
  int16_t& last = last_field_ids_.back();
  const int delta = id - last;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    Varint(ZigZag(id));
  }
  last = id;
}

void CompactWriter::EndStruct() {
  assert(!last_field_ids_.empty());
  out_.push_back(static_cast<char>(WireType::kStop));
  last_field_ids_.pop_back();
}

void CompactWriter::FieldBool(int16_t id, bool value) {
  FieldHeader(id, value ? WireType::kBoolTrue : WireType::kBoolFalse);
}

void CompactWriter::FieldI32(int16_t id, int32_t value) {
  FieldHeader(id, WireType::kI32);
  Varint(ZigZag(value));
}

void CompactWriter::FieldI64(int16_t id, int64_t value) {
  FieldHeader(id, WireType::kI64);
  Varint(ZigZag(value));
}

void CompactWriter::FieldBinary(int16_t id, std::string_view value) {
  FieldHeader(id, WireType::kBinary);
  Binary(value);
}

void CompactWriter::FieldListBegin(int16_t id, WireType element_type, uint32_t size) {
  FieldHeader(id, WireType::kList);
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<uint32_t>(element_type)));
  } else {
    out_.push_back(static_cast<char>(0xf0 | static_cast<int>(element_type)));
    Varint(size);
  }
}

void CompactWriter::Binary(std::string_view value) {
  Varint(value.size());
  out_.append(value);
}

// ---------------------------------------------------------------- reader

Result<uint64_t> CompactReader::ReadVarint() {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (position_ >= data_.size()) return Truncated(position_);
    const auto byte = static_cast<uint8_t>(data_[position_++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return Status::Corruption(
      fmt::format("thrift: varint longer than 10 bytes at byte {}", position_));
}

Status CompactReader::BeginStruct() {
  if (last_field_ids_.size() >= kMaxNestingDepth) {
    return Status::Corruption("thrift: structs nested too deeply");
  }
  last_field_ids_.push_back(0);
  return Status::OK();
}

void CompactReader::EndStruct() {
  if (!last_field_ids_.empty()) last_field_ids_.pop_back();
}

Result<CompactReader::FieldHeader> CompactReader::ReadFieldHeader() {
  if (position_ >= data_.size()) return Truncated(position_);
  const auto byte = static_cast<uint8_t>(data_[position_++]);
  FieldHeader header;
  header.type = static_cast<WireType>(byte & 0x0f);
  if (header.type == WireType::kStop) return header;
  if (static_cast<uint8_t>(header.type) > static_cast<uint8_t>(WireType::kStruct)) {
    return Status::Corruption(
        fmt::format("thrift: unknown wire type {} at byte {}", byte & 0x0f, position_ - 1));
  }
  const int delta = byte >> 4;
  int16_t& last = last_field_ids_.back();
  if (delta != 0) {
    header.id = static_cast<int16_t>(last + delta);
  } else {
    SLACK_INTEL_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint());
    const int64_t id = UnZigZag(raw);
    if (id < INT16_MIN || id > INT16_MAX)
      return Status::Corruption("thrift: field id out of range");
    header.id = static_cast<int16_t>(id);
  }
  last = header.id;
  return header;
}

Result<int32_t> CompactReader::ReadI32() {
  SLACK_INTEL_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint());
  const int64_t value = UnZigZag(raw);
  if (value < INT32_MIN || value > INT32_MAX) return Status::Corruption("thrift: i32 out of range");
  return static_cast<int32_t>(value);
}

Result<int64_t> CompactReader::ReadI64() {
  SLACK_INTEL_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint());
  return UnZigZag(raw);
}

Result<std::string_view> CompactReader::ReadBinary() {
  SLACK_INTEL_ASSIGN_OR_RETURN(uint64_t size, ReadVarint());
  if (size > data_.size() - position_) {
    return Status::Corruption(
        fmt::format("thrift: binary of {} bytes at byte {} runs past the end", size, position_));
  }
  std::string_view value = data_.substr(position_, size);
  position_ += size;
  return value;
}

Result<bool> CompactReader::ReadListBool() {
  if (position_ >= data_.size()) return Truncated(position_);
  return static_cast<uint8_t>(data_[position_++]) == 1;
}

Result<CompactReader::ListHeader> CompactReader::ReadListHeader() {
  if (position_ >= data_.size()) return Truncated(position_);
  const auto byte = static_cast<uint8_t>(data_[position_++]);
  ListHeader header;
  header.element_type = static_cast<WireType>(byte & 0x0f);
  uint64_t size = byte >> 4;
  if (size == 15) {
    SLACK_INTEL_ASSIGN_OR_RETURN(size, ReadVarint());
  }
  if (size > data_.size() - position_) {
    return Status::Corruption(
        fmt::format("thrift: list of {} elements at byte {} runs past the end", size, position_));
  }
  header.size = static_cast<uint32_t>(size);
  return header;
}

Status CompactReader::Skip(WireType type) { return SkipAtDepth(type, 0); }

Status CompactReader::SkipAtDepth(WireType type, int depth) {
  if (depth > kMaxNestingDepth) return Status::Corruption("thrift: values nested too deeply");
  switch (type) {
    case WireType::kBoolTrue:
    case WireType::kBoolFalse:
      return Status::OK();  // the value lives in the field header
    case WireType::kByte:
      if (position_ >= data_.size()) return Truncated(position_);
      ++position_;
      return Status::OK();
    case WireType::kI16:
    case WireType::kI32:
    case WireType::kI64:
      return ReadVarint().status();
    case WireType::kDouble:
      if (data_.size() - position_ < 8) return Truncated(position_);
      position_ += 8;
      return Status::OK();
    case WireType::kBinary:
      return ReadBinary().status();
    case WireType::kList:
    case WireType::kSet: {
      SLACK_INTEL_ASSIGN_OR_RETURN(ListHeader list, ReadListHeader());
      for (uint32_t i = 0; i < list.size; ++i) {
        if (list.element_type == WireType::kBoolTrue || list.element_type == WireType::kBoolFalse) {
          SLACK_INTEL_RETURN_IF_ERROR(ReadListBool().status());
        } else {
          SLACK_INTEL_RETURN_IF_ERROR(SkipAtDepth(list.element_type, depth + 1));
        }
      }
      return Status::OK();
    }
    case WireType::kMap: {
      SLACK_INTEL_ASSIGN_OR_RETURN(uint64_t size, ReadVarint());
      if (size == 0) return Status::OK();
      if (size > data_.size() - position_) return Truncated(position_);
      if (position_ >= data_.size()) return Truncated(position_);
      const auto types = static_cast<uint8_t>(data_[position_++]);
      for (uint64_t i = 0; i < size; ++i) {
        SLACK_INTEL_RETURN_IF_ERROR(SkipAtDepth(static_cast<WireType>(types >> 4), depth + 1));
        SLACK_INTEL_RETURN_IF_ERROR(SkipAtDepth(static_cast<WireType>(types & 0x0f), depth + 1));
      }
      return Status::OK();
    }
    case WireType::kStruct: {
      SLACK_INTEL_RETURN_IF_ERROR(BeginStruct());
      while (true) {
        SLACK_INTEL_ASSIGN_OR_RETURN(FieldHeader field, ReadFieldHeader());
        if (field.type == WireType::kStop) break;
        SLACK_INTEL_RETURN_IF_ERROR(SkipAtDepth(field.type, depth + 1));
      }
      EndStruct();
      return Status::OK();
    }
    case WireType::kStop:
      break;
  }
  return Status::Corruption(
      fmt::format("thrift: cannot skip wire type {}", static_cast<int>(type)));
}

}  // namespace slack_intel::parquet::thrift

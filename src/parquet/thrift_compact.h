#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "util/status.h"

namespace slack_intel::parquet::thrift {

// Thrift compact protocol wire types (Thrift spec, "Compact protocol encoding").
enum class WireType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

// Appends compact-protocol bytes to a string. Fields must be written in the order the caller
// wants them on the wire; ids are delta-encoded against the previous field of the same struct.
// Not thread-safe.
class CompactWriter {
 public:
  explicit CompactWriter(std::string& out) : out_(out) {}

  void BeginStruct() { last_field_ids_.push_back(0); }
  // Writes the STOP byte closing the struct. REQUIRES: a matching BeginStruct().
  void EndStruct();

  // Field header followed by the value, for each wire type we use.
  void FieldBool(int16_t id, bool value);
  void FieldI32(int16_t id, int32_t value);
  void FieldI64(int16_t id, int64_t value);
  void FieldBinary(int16_t id, std::string_view value);
  // Field header of a nested struct; follow with BeginStruct() ... EndStruct().
  void FieldStructBegin(int16_t id) { FieldHeader(id, WireType::kStruct); }
  // Field header and list header; follow with `size` elements.
  void FieldListBegin(int16_t id, WireType element_type, uint32_t size);

  // Bare values, for list elements.
  void I32(int32_t value) { Varint(ZigZag(value)); }
  void Binary(std::string_view value);

 private:
  static uint64_t ZigZag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  void Varint(uint64_t value);
  void FieldHeader(int16_t id, WireType type);

  std::string& out_;
  std::vector<int16_t> last_field_ids_;  // one per open struct
};

// Reads compact-protocol bytes with every length checked against what is left; malformed
// input yields kCorruption, never a crash or an allocation bigger than the input.
// Not thread-safe.
class CompactReader {
 public:
  explicit CompactReader(std::string_view data) : data_(data) {}

  struct FieldHeader {
    WireType type = WireType::kStop;
    int16_t id = 0;
  };

  // REQUIRES: BeginStruct/EndStruct bracket each struct's fields.
  Status BeginStruct();
  void EndStruct();
  // The next field's header; type kStop at the end of the struct.
  Result<FieldHeader> ReadFieldHeader();

  // Values. Bool fields carry their value in the header: use BoolFromHeader().
  static bool BoolFromHeader(const FieldHeader& header) {
    return header.type == WireType::kBoolTrue;
  }
  Result<int32_t> ReadI32();
  Result<int64_t> ReadI64();
  Result<std::string_view> ReadBinary();  // view into the input
  Result<bool> ReadListBool();            // a bool inside a list is one byte
  struct ListHeader {
    WireType element_type = WireType::kStop;
    uint32_t size = 0;
  };
  // The list's size is checked against the bytes left (every element takes at least one).
  Result<ListHeader> ReadListHeader();
  // Skips a value of `type`, nested structures included (to a bounded depth).
  Status Skip(WireType type);

  // Bytes consumed so far.
  size_t position() const { return position_; }

 private:
  Result<uint64_t> ReadVarint();
  Status SkipAtDepth(WireType type, int depth);

  std::string_view data_;
  size_t position_ = 0;
  std::vector<int16_t> last_field_ids_;
};

}  // namespace slack_intel::parquet::thrift

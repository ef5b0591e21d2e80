#pragma once

// Value and level encodings of the Parquet format ("Encodings.md"): PLAIN for our physical
// types and the RLE / bit-packed hybrid used for definition and repetition levels and for
// dictionary indices.

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "util/status.h"

namespace slack_intel::parquet {

// Bits needed to store values 0..max_value (0 for max_value 0).
int BitWidth(uint32_t max_value);

// Appends `values` in the RLE / bit-packed hybrid encoding, without the 4-byte length prefix
// that data page v1 puts before levels. Runs of 8 or more equal values become RLE runs, the rest
// bit-packed groups of 8. REQUIRES: every value fits in `bit_width` bits; bit_width <= 32.
void AppendRleBitPacked(std::span<const uint32_t> values, int bit_width, std::string& out);

// Decodes values from an RLE / bit-packed hybrid stream, checking every run against the input.
// Not thread-safe.
class RleBitPackedDecoder {
 public:
  // REQUIRES: 0 <= bit_width <= 32. `data` must outlive the decoder.
  RleBitPackedDecoder(std::string_view data, int bit_width) : data_(data), bit_width_(bit_width) {}

  // Fills out[0..count). Errors: kCorruption when the stream ends early or is malformed.
  Status Decode(uint32_t* out, size_t count);

 private:
  Status NextRun();

  std::string_view data_;
  size_t position_ = 0;
  int bit_width_;
  // The current run: either `remaining` repeats of rle_value, or bit-packed values read from
  // packed_ (a byte offset into data_) starting at value index packed_index_.
  bool is_rle_ = false;
  uint64_t remaining_ = 0;
  uint32_t rle_value_ = 0;
  size_t packed_offset_ = 0;
  uint64_t packed_index_ = 0;
};

// PLAIN encoding: fixed-width values little-endian, byte arrays as a 4-byte length and the
// bytes, booleans one bit each, least significant bit first.
template <typename T>
inline void AppendPlain(T value, std::string& out) {
  static_assert(std::is_trivially_copyable_v<T>);
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // this code assumes a little-endian host (x86, arm64)
  out.append(bytes, sizeof(T));
}

inline void AppendPlainByteArray(std::string_view value, std::string& out) {
  AppendPlain(static_cast<uint32_t>(value.size()), out);
  out.append(value);
}

// Appends booleans bit-packed, LSB first, padding the last byte with zeros.
void AppendPlainBooleans(std::span<const uint8_t> values, std::string& out);

}  // namespace slack_intel::parquet

#include "parquet/encoding.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <vector>

namespace slack_intel::parquet {
namespace {

void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// Bit-packs `values` (a multiple of 8 of them, zero-padded by the caller) as one run.
void AppendBitPackedRun(std::span<const uint32_t> values, int bit_width, std::string& out) {
  AppendVarint((values.size() / 8) << 1 | 1, out);
  uint64_t buffer = 0;
  int buffered_bits = 0;
  for (uint32_t v : values) {
    buffer |= static_cast<uint64_t>(v) << buffered_bits;
    buffered_bits += bit_width;
    while (buffered_bits >= 8) {
      out.push_back(static_cast<char>(buffer & 0xff));
      buffer >>= 8;
      buffered_bits -= 8;
    }
  }
  // 8 values of bit_width bits are bit_width whole bytes: nothing is left over.
}

void AppendRleRun(uint32_t value, uint64_t count, int bit_width, std::string& out) {
  AppendVarint(count << 1, out);
  const int value_bytes = (bit_width + 7) / 8;
  for (int i = 0; i < value_bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

int BitWidth(uint32_t max_value) { return max_value == 0 ? 0 : std::bit_width(max_value); }

void AppendRleBitPacked(std::span<const uint32_t> values, int bit_width, std::string& out) {
  std::vector<uint32_t> literals;  // pending bit-packed values
  auto flush_literals = [&] {
    if (literals.empty()) return;
    literals.resize((literals.size() + 7) / 8 * 8, 0);
    AppendBitPackedRun(literals, bit_width, out);
    literals.clear();
  };
  size_t i = 0;
  while (i < values.size()) {
    size_t run = 1;
    while (i + run < values.size() && values[i + run] == values[i]) ++run;
    if (run >= 8) {
      // Bit-packed groups hold exactly 8 values except at the very end, so top up pending
      // literals to a multiple of 8 from this run before starting an RLE run.
      const size_t top_up = (8 - literals.size() % 8) % 8;
      if (top_up > 0 && !literals.empty()) {
        literals.insert(literals.end(), top_up, values[i]);
        i += top_up;
        run -= top_up;
      }
      flush_literals();
      if (run >= 8) {
        AppendRleRun(values[i], run, bit_width, out);
      } else {
        literals.insert(literals.end(), run, values[i]);
      }
      i += run;
    } else {
      literals.insert(literals.end(), values.begin() + static_cast<ptrdiff_t>(i),
                      values.begin() + static_cast<ptrdiff_t>(i + run));
      i += run;
    }
  }
  flush_literals();
}

void AppendPlainBooleans(std::span<const uint8_t> values, std::string& out) {
  for (size_t i = 0; i < values.size(); i += 8) {
    uint8_t byte = 0;
    for (size_t bit = 0; bit < 8 && i + bit < values.size(); ++bit) {
      if (values[i + bit]) byte |= static_cast<uint8_t>(1u << bit);
    }
    out.push_back(static_cast<char>(byte));
  }
}

Status RleBitPackedDecoder::NextRun() {
  uint64_t header = 0;
  for (int shift = 0;; shift += 7) {
    if (shift > 35) return Status::Corruption("rle: run header too long");
    if (position_ >= data_.size()) return Status::Corruption("rle: stream ends before its values");
    const auto byte = static_cast<uint8_t>(data_[position_++]);
    header |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (header & 1) {
    const uint64_t groups = header >> 1;
    const uint64_t bytes = groups * static_cast<uint64_t>(bit_width_);
    if (groups == 0) return Status::Corruption("rle: empty bit-packed run");
    // A final group may be cut short by writers that only store the bytes they need.
    is_rle_ = false;
    packed_offset_ = position_;
    packed_index_ = 0;
    remaining_ = groups * 8;
    const size_t available = data_.size() - position_;
    if (bytes > available) {
      remaining_ = bit_width_ == 0 ? remaining_ : available * 8 / static_cast<uint64_t>(bit_width_);
      position_ = data_.size();
    } else {
      position_ += bytes;
    }
    if (remaining_ == 0) return Status::Corruption("rle: bit-packed run past the end");
  } else {
    is_rle_ = true;
    remaining_ = header >> 1;
    if (remaining_ == 0) return Status::Corruption("rle: empty run");
    const int value_bytes = (bit_width_ + 7) / 8;
    if (data_.size() - position_ < static_cast<size_t>(value_bytes)) {
      return Status::Corruption("rle: run value past the end");
    }
    rle_value_ = 0;
    for (int i = 0; i < value_bytes; ++i) {
      rle_value_ |= static_cast<uint32_t>(static_cast<uint8_t>(data_[position_ + i])) << (8 * i);
    }
    position_ += static_cast<size_t>(value_bytes);
    if (bit_width_ < 32 && (rle_value_ >> bit_width_) != 0) {
      return Status::Corruption("rle: run value wider than the bit width");
    }
  }
  return Status::OK();
}

Status RleBitPackedDecoder::Decode(uint32_t* out, size_t count) {
  size_t produced = 0;
  while (produced < count) {
    if (remaining_ == 0) SLACK_INTEL_RETURN_IF_ERROR(NextRun());
    const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, count - produced));
    if (is_rle_) {
      std::fill(out + produced, out + produced + take, rle_value_);
    } else {
      const uint64_t mask = bit_width_ == 32 ? 0xffffffffull : (1ull << bit_width_) - 1;
      for (size_t k = 0; k < take; ++k) {
        const uint64_t bit = (packed_index_ + k) * static_cast<uint64_t>(bit_width_);
        const size_t byte = packed_offset_ + static_cast<size_t>(bit / 8);
        uint64_t word = 0;
        // Up to 5 bytes hold a value of <= 32 bits at any bit offset; stop at the input's end.
        for (size_t b = 0; b < 5 && byte + b < data_.size(); ++b) {
          word |= static_cast<uint64_t>(static_cast<uint8_t>(data_[byte + b])) << (8 * b);
        }
        out[produced + k] = static_cast<uint32_t>((word >> (bit % 8)) & mask);
      }
      packed_index_ += take;
    }
    remaining_ -= take;
    produced += take;
  }
  return Status::OK();
}

}  // namespace slack_intel::parquet

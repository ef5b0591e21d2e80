#include "parquet/encoding.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace slack_intel::parquet {
namespace {

std::vector<uint32_t> Decode(const std::string& bytes, int bit_width, size_t count) {
  std::vector<uint32_t> out(count);
  RleBitPackedDecoder decoder(bytes, bit_width);
  Status status = decoder.Decode(out.data(), count);
  EXPECT_TRUE(status.ok()) << status.message();
  return out;
}

TEST(RleBitPacked, RoundTripsRunsLiteralsAndTheirMixAtEveryWidth) {
  std::mt19937 random(42);
  for (int bit_width = 0; bit_width <= 32; ++bit_width) {
    const uint64_t max = bit_width == 32 ? 0xffffffffull : (uint64_t{1} << bit_width) - 1;
    for (size_t count : {1u, 7u, 8u, 9u, 63u, 1000u}) {
      std::vector<uint32_t> values;
      while (values.size() < count) {
        const auto v = static_cast<uint32_t>(random() % (max + 1));
        const size_t repeat = random() % 3 == 0 ? random() % 20 : 1;  // runs and literals
        for (size_t k = 0; k < repeat && values.size() < count; ++k) values.push_back(v);
      }
      std::string bytes;
      AppendRleBitPacked(values, bit_width, bytes);
      EXPECT_EQ(Decode(bytes, bit_width, count), values)
          << "width " << bit_width << " count " << count;
    }
  }
}

TEST(RleBitPacked, LongRunsBecomeOneRleRun) {
  std::vector<uint32_t> values(100000, 1);
  std::string bytes;
  AppendRleBitPacked(values, 1, bytes);
  EXPECT_LE(bytes.size(), 5u);  // varint header + one value byte
  EXPECT_EQ(Decode(bytes, 1, values.size()), values);
}

TEST(RleBitPacked, ReadsAPaddedBitPackedRunThatDeclaresMoreValues) {
  // DuckDB writes 8 levels as a bit-packed run whose header declares 256 values (32 groups)
  // followed by all 32 groups' bytes; a reader stops at the page's value count.
  std::string bytes = "\x41";  // (32 groups << 1) | 1
  bytes += '\x2d';             // 0b00101101, width 1: 1,0,1,1,0,1,0,0
  bytes += std::string(31, '\0');
  EXPECT_EQ(Decode(bytes, 1, 8), (std::vector<uint32_t>{1, 0, 1, 1, 0, 1, 0, 0}));
}

TEST(RleBitPacked, StreamsThatEndEarlyAreCorruption) {
  std::vector<uint32_t> values = {1, 2, 3, 4, 5, 6, 7, 0, 1, 2};
  std::string bytes;
  AppendRleBitPacked(values, 3, bytes);
  std::vector<uint32_t> out(50);
  RleBitPackedDecoder decoder(bytes, 3);
  EXPECT_EQ(decoder.Decode(out.data(), out.size()).code(), StatusCode::kCorruption);
  RleBitPackedDecoder empty("", 2);
  EXPECT_EQ(empty.Decode(out.data(), 1).code(), StatusCode::kCorruption);
}

TEST(RleBitPacked, RunValueWiderThanTheBitWidthIsCorruption) {
  std::vector<uint32_t> out(4);
  RleBitPackedDecoder decoder(std::string_view("\x08\x05", 2), 2);  // RLE run of 4 x 5, width 2
  EXPECT_EQ(decoder.Decode(out.data(), 4).code(), StatusCode::kCorruption);
}

TEST(Plain, BooleansArePackedLeastSignificantBitFirst) {
  std::vector<uint8_t> values = {1, 0, 1, 1, 0, 0, 0, 0, 1};
  std::string bytes;
  AppendPlainBooleans(values, bytes);
  EXPECT_EQ(bytes, std::string("\x0d\x01", 2));
}

TEST(BitWidth, CountsBitsOfTheMaximum) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(3), 2);
  EXPECT_EQ(BitWidth(4), 3);
  EXPECT_EQ(BitWidth(0xffffffffu), 32);
}

}  // namespace
}  // namespace slack_intel::parquet

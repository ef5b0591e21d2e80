#include "parquet/thrift_compact.h"

#include <gtest/gtest.h>

#include <string>

namespace slack_intel::parquet::thrift {
namespace {

TEST(ThriftCompact, FieldsRoundTripWithShortAndLongIdDeltas) {
  std::string bytes;
  CompactWriter w(bytes);
  w.BeginStruct();
  w.FieldI32(1, -5);
  w.FieldI64(2, int64_t{1} << 40);
  w.FieldBinary(20, "héllo");  // delta 18 > 15: long-form header
  w.FieldBool(21, true);
  w.FieldListBegin(22, WireType::kI32, 20);  // 20 >= 15: long-form list size
  for (int i = 0; i < 20; ++i) w.I32(i - 10);
  w.EndStruct();

  CompactReader r(bytes);
  ASSERT_TRUE(r.BeginStruct().ok());
  auto f = r.ReadFieldHeader();
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->id, 1);
  EXPECT_EQ(*r.ReadI32(), -5);
  f = r.ReadFieldHeader();
  EXPECT_EQ(f->id, 2);
  EXPECT_EQ(*r.ReadI64(), int64_t{1} << 40);
  f = r.ReadFieldHeader();
  EXPECT_EQ(f->id, 20);
  EXPECT_EQ(*r.ReadBinary(), "héllo");
  f = r.ReadFieldHeader();
  EXPECT_EQ(f->id, 21);
  EXPECT_TRUE(CompactReader::BoolFromHeader(*f));
  f = r.ReadFieldHeader();
  EXPECT_EQ(f->id, 22);
  auto list = r.ReadListHeader();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size, 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(*r.ReadI32(), i - 10);
  EXPECT_EQ(r.ReadFieldHeader()->type, WireType::kStop);
  EXPECT_EQ(r.position(), bytes.size());
}

TEST(ThriftCompact, KnownBytes) {
  // Field 1 i32 = 1 -> header 0x15, zigzag(1) = 2; STOP.
  std::string bytes;
  CompactWriter w(bytes);
  w.BeginStruct();
  w.FieldI32(1, 1);
  w.EndStruct();
  EXPECT_EQ(bytes, std::string("\x15\x02\x00", 3));
}

TEST(ThriftCompact, TruncatedInputIsCorruption) {
  std::string bytes;
  CompactWriter w(bytes);
  w.BeginStruct();
  w.FieldBinary(1, "a long enough string");
  w.EndStruct();
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    CompactReader r(std::string_view(bytes).substr(0, cut));
    Status status = r.Skip(WireType::kStruct);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << cut;
  }
}

TEST(ThriftCompact, HugeLengthsAreRefusedBeforeAllocating) {
  // A binary claiming 2^35 bytes and a list claiming 2^31 elements, in a few bytes.
  CompactReader binary(std::string_view("\x80\x80\x80\x80\x80\x01", 6));
  EXPECT_EQ(binary.ReadBinary().status().code(), StatusCode::kCorruption);
  CompactReader list(std::string_view("\xf5\x80\x80\x80\x80\x08", 6));
  EXPECT_EQ(list.ReadListHeader().status().code(), StatusCode::kCorruption);
}

TEST(ThriftCompact, DeepNestingIsRefused) {
  std::string bytes;
  for (int i = 0; i < 100; ++i) bytes += '\x1c';  // field +1, struct, nested again and again
  CompactReader r(bytes);
  EXPECT_EQ(r.Skip(WireType::kStruct).code(), StatusCode::kCorruption);
}

TEST(ThriftCompact, OverlongVarintIsRefused) {
  CompactReader r(std::string_view("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12));
  EXPECT_EQ(r.ReadI64().status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace slack_intel::parquet::thrift

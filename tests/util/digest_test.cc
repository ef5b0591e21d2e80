#include "util/digest.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace slack_intel {
namespace {

TEST(Base64, DecodesWhatItEncodesAndRefusesGarbage) {
  for (const std::string& text :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\x00\xff\x10", 3)}) {
    auto decoded = Base64Decode(Base64Encode(text));
    ASSERT_TRUE(decoded.has_value()) << text;
    EXPECT_EQ(*decoded, text);
  }
  // rclone's md5chksum of "hello": the MD5 as base64.
  EXPECT_EQ(HexEncode(*Base64Decode("XUFAKrxLKna5cZ2REBfFkg==")),
            "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(Base64Encode("user:pa ss"), "dXNlcjpwYSBzcw==");
  EXPECT_FALSE(Base64Decode("abc").has_value());
  EXPECT_FALSE(Base64Decode("ab!d").has_value());
  EXPECT_FALSE(Base64Decode("a=bc").has_value());
}

// Known answers: RFC 1321 A.5 (MD5 "abc"), FIPS 180-2 B.1 (SHA-256 "abc"), RFC 3174 (SHA-1).
TEST(Digest, KnownAnswersAndAFileRangeHashesLikeItsBytes) {
  EXPECT_EQ(HexEncode(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(HexEncode(Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  testing::TempDir dir;
  const std::string path = (dir.path() / "f").string();
  std::string bytes(3 << 20, '\0');  // more than one read buffer
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 % 251);
  std::ofstream(path, std::ios::binary) << bytes;
  auto whole = DigestFileRange(path, 0, bytes.size());
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->md5, Md5(bytes));
  EXPECT_EQ(whole->sha256_hex, HexEncode(Sha256(bytes)));
  auto middle = Md5FileRange(path, 1000, 5 << 10);
  ASSERT_TRUE(middle.ok());
  EXPECT_EQ(*middle, Md5(bytes.substr(1000, 5 << 10)));
  EXPECT_EQ(Md5FileRange(path, 0, bytes.size() + 1).status().code(), StatusCode::kIOError);
  EXPECT_EQ(Md5FileRange(path + ".gone", 0, 1).status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace slack_intel

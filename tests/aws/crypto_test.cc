#include "aws/crypto.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace slack_intel::aws {
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
  EXPECT_FALSE(Base64Decode("abc").has_value());
  EXPECT_FALSE(Base64Decode("ab!d").has_value());
  EXPECT_FALSE(Base64Decode("a=bc").has_value());
}

}  // namespace
}  // namespace slack_intel::aws

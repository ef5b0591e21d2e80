#include "util/utf8.h"

#include <gtest/gtest.h>

#include "util/time_format.h"

namespace slack_intel {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  for (std::string_view text : {"", "plain ascii that is longer than eight bytes", "héllo",
                                "日本語", "🌍 emoji", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf"}) {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
  }
}

TEST(Utf8, FindsTheFirstIllFormedByte) {
  EXPECT_EQ(FindInvalidUtf8("abc\xff"), 3u);
  EXPECT_EQ(FindInvalidUtf8("0123456789\xc3"), 10u);   // truncated sequence at the end
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("ok \xed\xa0\x80"), 3u);   // UTF-16 surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("a\x80"), 1u);             // lone continuation byte
}

TEST(Utf8, SanitizeReplacesMaximalSubpartsLikeTextDecoder) {
  EXPECT_EQ(SanitizeUtf8("héllo"), "héllo");
  EXPECT_EQ(SanitizeUtf8("a\xff"
                         "b"),
            "a\xef\xbf\xbd"
            "b");
  // A truncated 3-byte sequence is one replacement, the stray continuation byte another.
  EXPECT_EQ(SanitizeUtf8("\xe2\x82"
                         "x\x80"),
            "\xef\xbf\xbd"
            "x\xef\xbf\xbd");
  EXPECT_EQ(SanitizeUtf8("\xf0\x9f\x8c"
                         "!"),
            "\xef\xbf\xbd!");  // cut emoji
  EXPECT_TRUE(IsValidUtf8(SanitizeUtf8("\xc0\xaf\xed\xa0\x80\xf4\x90")));
}

TEST(TimeFormat, FormatsMicrosecondsInUtc) {
  EXPECT_EQ(FormatUnixMicrosUtc(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatUnixMicrosUtc(1714564800123456), "2024-05-01T12:00:00.123456Z");
  EXPECT_EQ(FormatUnixMicrosUtc(-1), "1969-12-31T23:59:59.999999Z");
}

}  // namespace
}  // namespace slack_intel

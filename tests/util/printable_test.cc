#include "util/printable.h"

#include <gtest/gtest.h>

#include <string>

namespace slack_intel {
namespace {

TEST(Printable, KeepsOrdinaryTextOtherScriptsAndEmoji) {
  for (const std::string text : {"raw/messages/dt=2025-10-21/channel=dev ops/data.parquet",
                                 "канал-новости", "チャンネル", "party 🎉", "back\\slash", ""}) {
    EXPECT_EQ(Printable(text), text);
  }
}

TEST(Printable, EscapesWhatWouldActOnATerminalOrForgeALine) {
  EXPECT_EQ(Printable("a\nb"), "a\\nb") << "a second output line";
  EXPECT_EQ(Printable("key\r\x1b[2Kfake: ok"), "key\\r\\e[2Kfake: ok") << "overwriting the line";
  EXPECT_EQ(Printable(std::string("nul\0bell\a", 9)), "nul\\x00bell\\x07");
  EXPECT_EQ(Printable("del\x7f"), "del\\x7f");
  EXPECT_EQ(Printable("tab\there"), "tab\\there");
  EXPECT_EQ(Printable("c1\xc2\x9b[31m"), "c1\\u009b[31m") << "the 8-bit CSI";
}

TEST(Printable, EscapesBidiOverridesThatReorderWhatIsShown) {
  EXPECT_EQ(Printable("invoice\xe2\x80\xae"
                      "cod.exe"),
            "invoice\\u202ecod.exe");
  EXPECT_EQ(Printable("a\xe2\x81\xa6"
                      "b"),
            "a\\u2066b");
}

TEST(Printable, EscapesBytesThatAreNotUtf8) {
  EXPECT_EQ(Printable("caf\xe9"), "caf\\xe9");
  EXPECT_EQ(Printable("\xf0\x9f\x8e"), "\\xf0\\x9f\\x8e") << "a cut emoji";
  EXPECT_EQ(Printable("\xed\xa0\x80"), "\\xed\\xa0\\x80") << "a surrogate";
}

}  // namespace
}  // namespace slack_intel

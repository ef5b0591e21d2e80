#include "cache/layout.h"

#include <fmt/format.h>

namespace slack_intel::cache {

std::string EscapePartitionValue(std::string_view value) {
  if (value.empty()) return "__HIVE_DEFAULT_PARTITION__";
  static constexpr std::string_view kSpecial = "\"#%'*/:=?\\{[]^";
  std::string out;
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7F || kSpecial.find(static_cast<char>(c)) != std::string_view::npos) {
      out += fmt::format("%{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  // "." and ".." are no folder names; a leading dot would hide the partition from sync.
  if (out.front() == '.') out = "%2E" + out.substr(1);
  return out;
}

bool ChannelFitsInFolderName(std::string_view channel) {
  constexpr size_t kNameMax = 255;
  return std::string_view("channel=").size() + EscapePartitionValue(channel).size() <= kNameMax;
}

std::filesystem::path MessagesPartitionFile(std::string_view day, std::string_view channel) {
  return std::filesystem::path(kRawFolder) / "messages" / fmt::format("dt={}", day) /
         fmt::format("channel={}", EscapePartitionValue(channel)) / "data.parquet";
}

std::filesystem::path JiraPartitionFile(std::string_view day) {
  return std::filesystem::path(kRawFolder) / "jira" / fmt::format("dt={}", day) / "data.parquet";
}

std::filesystem::path UsersFile() { return "users.parquet"; }

}  // namespace slack_intel::cache

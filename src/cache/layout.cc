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

std::string UnescapePartitionValue(std::string_view folder_value) {
  if (folder_value == "__HIVE_DEFAULT_PARTITION__") return "";
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < folder_value.size(); ++i) {
    if (folder_value[i] == '%' && i + 2 < folder_value.size() && hex(folder_value[i + 1]) >= 0 &&
        hex(folder_value[i + 2]) >= 0) {
      out += static_cast<char>(hex(folder_value[i + 1]) * 16 + hex(folder_value[i + 2]));
      i += 2;
    } else {
      out += folder_value[i];
    }
  }
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

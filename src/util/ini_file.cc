#include "util/ini_file.h"

#include <fmt/format.h>

#include "util/text.h"

namespace slack_intel {

Result<IniFile> ParseIniFile(std::string_view text, std::string_view source) {
  IniFile file;
  IniSection* section = nullptr;
  std::string parent_key;  // a "key =" line without value opens indented sub-keys
  int line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    const std::string_view line = TrimWhitespace(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    auto error = [&](std::string_view why) {
      return Status::InvalidArgument(fmt::format("{}:{}: {}", source, line_number, why));
    };
    if (line.front() == '[') {
      if (line.back() != ']') return error("section header without a closing ']'");
      section = &file[std::string(TrimWhitespace(line.substr(1, line.size() - 2)))];
      parent_key.clear();
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return error("expected 'key = value'");
    if (section == nullptr) return error("a setting before any [section]");
    const std::string key = AsciiLower(TrimWhitespace(line.substr(0, eq)));
    const std::string value(TrimWhitespace(line.substr(eq + 1)));
    if (key.empty()) return error("a setting without a name");
    if (indented && !parent_key.empty()) {
      (*section)[parent_key + "." + key] = value;
      continue;
    }
    parent_key = value.empty() ? key : "";
    if (!value.empty()) (*section)[key] = value;
  }
  return file;
}

}  // namespace slack_intel

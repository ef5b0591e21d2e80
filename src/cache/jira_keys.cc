#include "cache/jira_keys.h"

#include <algorithm>

namespace slack_intel::cache {
namespace {

bool Upper(char c) { return c >= 'A' && c <= 'Z'; }
bool Digit(char c) { return c >= '0' && c <= '9'; }
bool WordChar(char c) {
  return Upper(c) || Digit(c) || (c >= 'a' && c <= 'z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::vector<std::string> ExtractJiraKeys(std::string_view text) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!Upper(text[i]) || (i > 0 && (WordChar(text[i - 1]) || text[i - 1] == '-'))) continue;
    size_t j = i + 1;
    while (j < text.size() && (Upper(text[j]) || Digit(text[j]) || text[j] == '_')) ++j;
    if (j - i < 2 || j >= text.size() || text[j] != '-') continue;
    size_t k = j + 1;
    if (k >= text.size() || !Digit(text[k]) || text[k] == '0') continue;
    while (k < text.size() && Digit(text[k])) ++k;
    if (k < text.size() && (WordChar(text[k]) || text[k] == '-')) continue;
    keys.emplace_back(text.substr(i, k - i));
    i = k - 1;
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace slack_intel::cache

#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

namespace slack_intel::sync {

// The line format of sync's state files (manifest, folder index): tab-separated fields, with
// '%', tab, CR and LF inside a field %-escaped, since fields are file names.
void AppendEscaped(std::string& out, std::string_view text);
std::optional<std::string> Unescape(std::string_view text);

// The tab-separated fields of a line, one at a time (views into it; nothing is allocated).
class FieldReader {
 public:
  explicit FieldReader(std::string_view line) : rest_(line) {}
  // The next field; false after the last.
  bool Next(std::string_view& field) {
    if (done_) return false;
    const size_t tab = rest_.find('\t');
    field = rest_.substr(0, tab);
    done_ = tab == std::string_view::npos;
    if (!done_) rest_.remove_prefix(tab + 1);
    return true;
  }
  bool done() const { return done_; }

 private:
  std::string_view rest_;
  bool done_ = false;
};

template <typename Int>
bool ParseInt(std::string_view text, Int& value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace slack_intel::sync

#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace slack_intel {

// The line format of sync's state files (manifest, folder index): tab-separated fields, with
// '%', tab, CR and LF inside a field %-escaped, since fields are file names.
void AppendEscaped(std::string& out, std::string_view text);
// A number field, in decimal.
void AppendInt(std::string& out, int64_t value);
void AppendInt(std::string& out, uint64_t value);
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

// Appends the tab-separated fields of one line to `line`, escaped, as FieldReader reads them.
class FieldWriter {
 public:
  explicit FieldWriter(std::string& line) : line_(line) {}
  FieldWriter& Text(std::string_view text) {
    Separate();
    AppendEscaped(line_, text);
    return *this;
  }
  FieldWriter& Number(int64_t value) {
    Separate();
    AppendInt(line_, value);
    return *this;
  }
  FieldWriter& Number(uint64_t value) {
    Separate();
    AppendInt(line_, value);
    return *this;
  }

 private:
  void Separate() {
    if (!first_) line_ += '\t';
    first_ = false;
  }
  std::string& line_;
  bool first_ = true;
};

// A whole field as a decimal number; false (and `value` untouched) if it is anything else or
// out of range.
template <typename Int>
bool ParseInt(std::string_view text, Int& value) {
  // Every manifest line holds five numbers: plain digits (up to 19, which always fit in 64
  // bits) are read directly, anything else (a sign, an overflow) by from_chars.
  if (!text.empty() && text.size() <= 19) {
    uint64_t number = 0;
    bool digits = true;
    for (const char c : text) {
      const unsigned digit = static_cast<unsigned char>(c) - unsigned{'0'};
      digits = digits && digit <= 9;
      number = number * 10 + digit;
    }
    if (digits) {
      if (number > static_cast<uint64_t>(std::numeric_limits<Int>::max())) return false;
      value = static_cast<Int>(number);
      return true;
    }
  }
  Int parsed{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (error != std::errc() || end != text.data() + text.size()) return false;
  value = parsed;
  return true;
}

}  // namespace slack_intel

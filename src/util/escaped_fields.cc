#include "util/escaped_fields.h"

#include <fmt/format.h>

namespace slack_intel {

void AppendEscaped(std::string& out, std::string_view text) {
  // Every line of a rewritten state file passes here: plain runs are appended whole.
  constexpr char kHex[] = "0123456789ABCDEF";
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != '%' && c != '\t' && c != '\n' && c != '\r') continue;
    out.append(text, run, i - run);
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
    run = i + 1;
  }
  out.append(text, run);
}

void AppendInt(std::string& out, int64_t value) {
  const fmt::format_int text(value);
  out.append(text.data(), text.size());
}

void AppendInt(std::string& out, uint64_t value) {
  const fmt::format_int text(value);
  out.append(text.data(), text.size());
}

std::optional<std::string> Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  // Most fields hold no escape: they are copied a run at a time, not a byte at a time.
  for (size_t percent; (percent = text.find('%')) != std::string_view::npos;) {
    out.append(text.substr(0, percent));
    unsigned value = 0;
    if (percent + 2 >= text.size()) return std::nullopt;
    const char* digits = text.data() + percent + 1;
    auto [end, error] = std::from_chars(digits, digits + 2, value, 16);
    if (error != std::errc() || end != digits + 2) return std::nullopt;
    out += static_cast<char>(value);
    text.remove_prefix(percent + 3);
  }
  out.append(text);
  return out;
}

}  // namespace slack_intel

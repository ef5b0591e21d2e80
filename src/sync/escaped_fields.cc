#include "sync/escaped_fields.h"

#include <fmt/format.h>

namespace slack_intel::sync {

void AppendEscaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (c == '%' || c == '\t' || c == '\n' || c == '\r') {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
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

}  // namespace slack_intel::sync

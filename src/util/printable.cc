#include "util/printable.h"

#include <fmt/format.h>

#include "util/utf8.h"

namespace slack_intel {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `text`, or 0.
size_t SequenceLength(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  const size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (length > text.size()) return 0;
  return IsValidUtf8(text.substr(0, length)) ? length : 0;
}

uint32_t CodePoint(std::string_view sequence) {
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(sequence[i]) & 0xFF; };
  switch (sequence.size()) {
    case 1:
      return byte(0);
    case 2:
      return (byte(0) & 0x1F) << 6 | (byte(1) & 0x3F);
    case 3:
      return (byte(0) & 0x0F) << 12 | (byte(1) & 0x3F) << 6 | (byte(2) & 0x3F);
    default:
      return (byte(0) & 0x07) << 18 | (byte(1) & 0x3F) << 12 | (byte(2) & 0x3F) << 6 |
             (byte(3) & 0x3F);
  }
}

// Code points that act on a terminal or on what it shows, rather than being shown.
bool IsHidden(uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}

void AppendEscape(uint32_t c, std::string& out) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case 0x1B:
      out += "\\e";
      return;
    default:
      out += c < 0x80 ? fmt::format("\\x{:02x}", c) : fmt::format("\\u{:04x}", c);
  }
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  size_t copied = 0;  // text before this offset is in `out` or needs no escape
  bool escaped = false;
  for (size_t at = 0; at < text.size();) {
    const size_t length = SequenceLength(text.substr(at));
    if (length > 0 && !IsHidden(CodePoint(text.substr(at, length)))) {
      at += length;
      continue;
    }
    if (!escaped) out.reserve(text.size() + 16);
    escaped = true;
    out.append(text.substr(copied, at - copied));
    if (length == 0) {  // not UTF-8: the byte itself
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[at]));
      at += 1;
    } else {
      AppendEscape(CodePoint(text.substr(at, length)), out);
      at += length;
    }
    copied = at;
  }
  if (!escaped) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

}  // namespace slack_intel

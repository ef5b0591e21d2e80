#include "util/utf8.h"

#include <cstdint>
#include <cstring>

namespace slack_intel {
namespace {

// Length of the well-formed sequence starting at text[i], or 0 when it is ill-formed.
// Table 3-7 of the Unicode standard ("Well-Formed UTF-8 Byte Sequences").
size_t SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  const size_t left = text.size() - i;
  const uint8_t b0 = byte(0);
  if (b0 < 0x80) return 1;
  auto cont = [&](size_t k, uint8_t lo = 0x80, uint8_t hi = 0xbf) {
    return k < left && byte(k) >= lo && byte(k) <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 == 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 == 0xee || b0 == 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 == 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// At an ill-formed position: the lead byte plus the continuation bytes that were still valid
// for it (a truncated sequence), which together become one U+FFFD, as TextDecoder and Python do.
size_t MaximalSubpartLength(std::string_view text, size_t i) {
  const auto b0 = static_cast<uint8_t>(text[i]);
  uint8_t lo = 0x80, hi = 0xbf;
  size_t needed = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf)
    needed = 1;
  else if (b0 >= 0xe0 && b0 <= 0xef)
    needed = 2;
  else if (b0 >= 0xf0 && b0 <= 0xf4)
    needed = 3;
  if (b0 == 0xe0) lo = 0xa0;
  if (b0 == 0xed) hi = 0x9f;
  if (b0 == 0xf0) lo = 0x90;
  if (b0 == 0xf4) hi = 0x8f;
  size_t length = 1;
  for (size_t k = 1; k <= needed && i + k < text.size(); ++k) {
    const auto b = static_cast<uint8_t>(text[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) break;
    ++length;
  }
  return length;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // Fast path: 8 ASCII bytes at a time (chat text is mostly ASCII).
    if (i + 8 <= text.size()) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const size_t length = SequenceLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string SanitizeUtf8(std::string_view text) {
  size_t bad = FindInvalidUtf8(text);
  if (bad == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, bad));
  size_t i = bad;
  while (i < text.size()) {
    const size_t length = SequenceLength(text, i);
    if (length > 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      i += MaximalSubpartLength(text, i);
    }
  }
  return out;
}

}  // namespace slack_intel

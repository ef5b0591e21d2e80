// Feeds arbitrary bytes to the HTTP/1.1 response parser, in pieces whose sizes the input's first
// byte chooses (a response arrives in reads of any size): it must parse, refuse or ask for more,
// never crash, loop or grow without bound.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/http/response_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 61;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const bool head_request = (data[0] & 0x80) != 0;
  size_t body_bytes = 0;
  slack_intel::http::ResponseParser parser(head_request, [&](const char*, size_t n) {
    body_bytes += n;
    return body_bytes < (1u << 20);
  });
  while (!rest.empty() && !parser.done()) {
    const std::string_view chunk = rest.substr(0, piece);
    auto used = parser.Feed(chunk);
    if (!used.ok()) return 0;
    if (*used > chunk.size()) __builtin_trap();  // it can never use more than it was given
    rest.remove_prefix(chunk.size());
  }
  if (!parser.done()) (void)parser.FinishAtClose();
  return 0;
}

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace slack_intel {

// Lowercase hex of bytes.
std::string HexEncode(std::string_view bytes);
// Standard base64 (RFC 4648 section 4) with padding.
std::string Base64Encode(std::string_view bytes);
// The raw bytes of standard base64 with padding; nullopt if `text` is not that.
std::optional<std::string> Base64Decode(std::string_view text);

// Raw digests (OpenSSL). Thread-safe.
std::string Md5(std::string_view data);
std::string Sha1(std::string_view data);
std::string Sha256(std::string_view data);

// The hex SHA-256 and raw MD5 of a file's byte range, read once, streamed. Errors: kIOError
// (cannot read, or the file is shorter than the range: it changed while being read).
struct FileDigests {
  std::string sha256_hex;
  std::string md5;  // raw 16 bytes
};
Result<FileDigests> DigestFileRange(const std::string& path, uint64_t offset, uint64_t length);
// The raw MD5 alone (sync's change detection needs no SHA-256). Errors: as above.
Result<std::string> Md5FileRange(const std::string& path, uint64_t offset, uint64_t length);

}  // namespace slack_intel

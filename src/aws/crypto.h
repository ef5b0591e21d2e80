#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace slack_intel::aws {

// Lowercase hex of bytes.
std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);

// Raw digests (OpenSSL). Thread-safe.
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string Md5(std::string_view data);
std::string Sha1(std::string_view data);

// Hex SHA-256 / raw MD5 of a file's byte range, streamed. Errors: kIOError.
struct FileDigests {
  std::string sha256_hex;
  std::string md5;  // raw 16 bytes
};
Result<FileDigests> DigestFileRange(const std::string& path, uint64_t offset, uint64_t length);
// Raw MD5 alone (sync's change detection needs no SHA-256).
Result<std::string> Md5FileRange(const std::string& path, uint64_t offset, uint64_t length);
// Raw bytes of standard base64 (with padding); nullopt if `text` is not base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace slack_intel::aws

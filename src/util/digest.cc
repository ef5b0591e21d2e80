#include "util/digest.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cctype>
#include <cstdio>
#include <memory>
#include <vector>

namespace slack_intel {
namespace {

std::string Digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out, &length, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), length);
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool padding = c == '=' && i + 2 >= text.size();
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && !padding)
      return std::nullopt;
  }
  std::string out(3 * (text.size() / 4), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes.
  size_t length = static_cast<size_t>(n);
  if (text.ends_with("=="))
    length -= 2;
  else if (text.ends_with("="))
    length -= 1;
  out.resize(length);
  return out;
}

std::string Sha256(std::string_view data) { return Digest(EVP_sha256(), data); }
std::string Md5(std::string_view data) { return Digest(EVP_md5(), data); }
std::string Sha1(std::string_view data) { return Digest(EVP_sha1(), data); }

namespace {

// Streams a file range through MD5 and, when `with_sha256`, SHA-256 in one pass.
Result<FileDigests> DigestRange(const std::string& path, uint64_t offset, uint64_t length,
                                bool with_sha256) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file || fseeko(file.get(), static_cast<off_t>(offset), SEEK_SET) != 0) {
    return Status::IOError(fmt::format("cannot read {}", path));
  }
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> sha(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md5(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (with_sha256) EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr);
  EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr);
  std::vector<char> buffer(
      static_cast<size_t>(std::min<uint64_t>(1 << 20, std::max<uint64_t>(length, 1))));
  while (length > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), length));
    const size_t got = std::fread(buffer.data(), 1, want, file.get());
    if (got != want) return Status::IOError(fmt::format("{} changed while being read", path));
    if (with_sha256) EVP_DigestUpdate(sha.get(), buffer.data(), got);
    EVP_DigestUpdate(md5.get(), buffer.data(), got);
    length -= got;
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  FileDigests digests;
  if (with_sha256) {
    EVP_DigestFinal_ex(sha.get(), out, &n);
    digests.sha256_hex = HexEncode(std::string_view(reinterpret_cast<char*>(out), n));
  }
  EVP_DigestFinal_ex(md5.get(), out, &n);
  digests.md5.assign(reinterpret_cast<char*>(out), n);
  return digests;
}

}  // namespace

Result<FileDigests> DigestFileRange(const std::string& path, uint64_t offset, uint64_t length) {
  return DigestRange(path, offset, length, true);
}

Result<std::string> Md5FileRange(const std::string& path, uint64_t offset, uint64_t length) {
  SLACK_INTEL_ASSIGN_OR_RETURN(FileDigests digests, DigestRange(path, offset, length, false));
  return std::move(digests.md5);
}

}  // namespace slack_intel

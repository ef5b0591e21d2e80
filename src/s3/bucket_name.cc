#include "s3/bucket_name.h"

#include <fmt/format.h>

#include <string>

namespace slack_intel::s3 {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool LooksLikeIpv4(std::string_view name) {
  int dots = 0;
  for (char c : name) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

}  // namespace

// Rules from the S3 User Guide, "General purpose bucket naming rules".
Status ValidateBucketName(std::string_view name) {
  auto invalid = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("invalid bucket name '{}': {}", name, why));
  };
  if (name.starts_with("s3://") || name.find('/') != std::string_view::npos) {
    return invalid("give the bare bucket name to --bucket and the path to --prefix");
  }
  if (name.size() < 3 || name.size() > 63) return invalid("must be 3 to 63 characters long");
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '.' && c != '-') {
      return invalid("only lowercase letters, digits, '.' and '-' are allowed");
    }
  }
  if (!IsLowerAlnum(name.front()) || !IsLowerAlnum(name.back())) {
    return invalid("must begin and end with a letter or digit");
  }
  if (name.find("..") != std::string_view::npos) return invalid("must not contain '..'");
  if (LooksLikeIpv4(name)) return invalid("must not look like an IP address");
  for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (name.starts_with(prefix)) return invalid(fmt::format("must not start with '{}'", prefix));
  }
  for (std::string_view suffix : {"-s3alias", "--ol-s3", "--x-s3", ".mrap"}) {
    if (name.ends_with(suffix)) return invalid(fmt::format("must not end with '{}'", suffix));
  }
  return Status::OK();
}

}  // namespace slack_intel::s3

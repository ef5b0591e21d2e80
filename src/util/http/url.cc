#include "util/http/url.h"

#include <fmt/format.h>

#include <charconv>

#include "util/text.h"

namespace slack_intel::http {

Result<Url> ParseUrl(std::string_view url) {
  auto invalid = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("bad URL {}: {}", url, why));
  };
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return invalid("no scheme");
  Url parsed;
  parsed.scheme = AsciiLower(url.substr(0, scheme_end));
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    return invalid("only http:// and https:// are supported");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target =
      authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (target.find('#') != std::string_view::npos) target = target.substr(0, target.find('#'));
  if (authority.find('@') != std::string_view::npos) return invalid("user info in the URL");
  parsed.authority = std::string(authority);

  std::string_view port_text;
  if (authority.starts_with('[')) {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unclosed [");
    parsed.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return invalid("junk after ]");
    if (!after.empty()) port_text = after.substr(1);
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    parsed.host = std::string(authority.substr(0, colon));
    port_text = authority.substr(colon + 1);
  } else {
    parsed.host = std::string(authority);
  }
  if (parsed.host.empty()) return invalid("no host");
  parsed.port = parsed.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    int port = 0;
    auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return invalid("bad port");
    }
    parsed.port = port;
  }
  parsed.target = target.empty() ? "/" : std::string(target);
  if (parsed.target.front() == '?') parsed.target.insert(0, "/");
  return parsed;
}

namespace {

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  // A listing decodes every key: plain runs are copied whole, not a byte at a time.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '%' && !(plus_is_space && c == '+')) continue;
    out.append(text, run, i - run);
    run = i + 1;
    if (c == '+') {
      out += ' ';
      continue;
    }
    const int high = i + 2 < text.size() ? HexDigitValue(text[i + 1]) : -1;
    const int low = high >= 0 ? HexDigitValue(text[i + 2]) : -1;
    if (low < 0) {
      out += '%';  // a stray percent sign stays
      continue;
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
    run = i + 1;
  }
  out.append(text, run);
  return out;
}

}  // namespace slack_intel::http

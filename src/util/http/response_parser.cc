#include "util/http/response_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "util/printable.h"
#include "util/text.h"

namespace slack_intel::http {
namespace {

constexpr size_t kMaxHeadBytes = 64 << 10;
constexpr size_t kMaxHeaderFields = 256;
constexpr size_t kMaxLineBytes = 8 << 10;  // a chunk-size line or a trailer field
constexpr std::string_view kEndOfHead = "\r\n\r\n";

// `what` may quote the server's bytes: escaped, so they cannot act on a terminal.
Status Malformed(std::string_view what) {
  return Status::Corruption(fmt::format("malformed HTTP response: {}", Printable(what)));
}

// Whether the comma-separated `list` holds `token` (case-insensitive).
bool HasToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = TrimWhitespace(list.substr(0, comma));
    if (item.size() == token.size() && AsciiLower(item) == token) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

ResponseParser::ResponseParser(bool expects_no_body, BodyCallback on_body)
    : expects_no_body_(expects_no_body), on_body_(std::move(on_body)) {}

Result<size_t> ResponseParser::Feed(std::string_view bytes) {
  size_t used = 0;
  while (used < bytes.size() && state_ != State::kDone) {
    const std::string_view rest = bytes.substr(used);
    switch (state_) {
      case State::kHead: {
        // The end of the head may straddle two reads: search from just before the new bytes.
        const size_t before = pending_.size();
        pending_.append(rest);
        const size_t end = pending_.find(kEndOfHead, before < 3 ? 0 : before - 3);
        if (end == std::string::npos) {
          if (pending_.size() > kMaxHeadBytes) return Malformed("the head is over 64 KiB");
          used = bytes.size();
          break;
        }
        used += end + kEndOfHead.size() - before;
        const std::string head = pending_.substr(0, end);
        pending_.clear();
        SLACK_INTEL_RETURN_IF_ERROR(ParseHead(head));
        break;
      }
      case State::kFixedBody:
      case State::kChunkData: {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, rest.size()));
        if (!Emit(rest.data(), n)) return Status::Cancelled("the response body was refused");
        used += n;
        remaining_ -= n;
        if (remaining_ == 0)
          state_ = state_ == State::kFixedBody ? State::kDone : State::kChunkDataEnd;
        break;
      }
      case State::kBodyToClose:
        if (!Emit(rest.data(), rest.size()))
          return Status::Cancelled("the response body was refused");
        used = bytes.size();
        break;
      case State::kChunkSize:
      case State::kChunkDataEnd:
      case State::kTrailers: {
        std::string_view line;
        SLACK_INTEL_ASSIGN_OR_RETURN(size_t n, FeedLine(rest, &line));
        used += n;
        if (line.data() == nullptr) break;  // the line goes on in the next read
        if (state_ == State::kChunkDataEnd) {
          if (!line.empty()) return Malformed("a chunk is longer than its size");
          state_ = State::kChunkSize;
        } else if (state_ == State::kTrailers) {
          if (line.empty()) state_ = State::kDone;  // trailer fields themselves are not used
        } else {
          const std::string_view digits = TrimWhitespace(line.substr(0, line.find(';')));
          uint64_t size = 0;
          const auto [end, ec] =
              std::from_chars(digits.data(), digits.data() + digits.size(), size, 16);
          if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
            return Malformed(fmt::format("bad chunk size '{}'", digits));
          remaining_ = size;
          state_ = size == 0 ? State::kTrailers : State::kChunkData;
        }
        pending_.clear();
        break;
      }
      case State::kDone:
        break;
    }
  }
  return used;
}

Result<size_t> ResponseParser::FeedLine(std::string_view bytes, std::string_view* line) {
  *line = {};
  const size_t newline = bytes.find('\n');
  const size_t take = newline == std::string_view::npos ? bytes.size() : newline + 1;
  if (pending_.size() + take > kMaxLineBytes) return Malformed("a chunk line is over 8 KiB");
  if (newline == std::string_view::npos) {
    pending_.append(bytes);
    return take;
  }
  std::string_view whole = bytes.substr(0, newline);
  if (!pending_.empty()) {
    pending_.append(whole);
    whole = pending_;
  }
  if (!whole.empty() && whole.back() == '\r') whole.remove_suffix(1);
  *line = whole.data() == nullptr ? std::string_view("", 0) : whole;
  return take;
}

Status ResponseParser::ParseHead(std::string_view head) {
  // Status line: HTTP/1.x SP 3DIGIT SP reason
  const size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") || status_line[8] != ' ')
    return Malformed(fmt::format("status line '{}'", status_line.substr(0, 40)));
  long status = 0;
  const auto [end, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, status);
  if (ec != std::errc() || end != status_line.data() + 12 || status < 100)
    return Malformed(fmt::format("status line '{}'", status_line.substr(0, 40)));
  const bool http10 = status_line[7] == '0';

  std::vector<Header> headers;
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    const size_t eol = rest.find("\r\n");
    const std::string_view field = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? "" : rest.substr(eol + 2);
    const size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0 || field[0] == ' ' || field[0] == '\t')
      return Malformed(fmt::format("header line '{}'", field.substr(0, 40)));
    if (headers.size() == kMaxHeaderFields) return Malformed("over 256 header fields");
    headers.push_back(
        {AsciiLower(field.substr(0, colon)), std::string(TrimWhitespace(field.substr(colon + 1)))});
  }
  if (status < 200 && status != 101) return Status::OK();  // interim (100 Continue): skip it

  status_ = status;
  headers_ = std::move(headers);
  keep_alive_ = !http10;
  for (const Header& h : headers_) {
    if (h.name != "connection") continue;
    if (HasToken(h.value, "close")) keep_alive_ = false;
    if (http10 && HasToken(h.value, "keep-alive")) keep_alive_ = true;
  }
  return BeginBody();
}

Status ResponseParser::BeginBody() {
  if (expects_no_body_ || status_ < 200 || status_ == 204 || status_ == 304) {
    state_ = State::kDone;
    return Status::OK();
  }
  const std::string* transfer_encoding = nullptr;
  const std::string* content_length = nullptr;
  for (const Header& h : headers_) {
    if (h.name == "transfer-encoding") transfer_encoding = &h.value;
    if (h.name == "content-length") {
      if (content_length != nullptr && *content_length != h.value)
        return Malformed("two different Content-Length fields");
      content_length = &h.value;
    }
  }
  if (transfer_encoding != nullptr) {
    // Chunked must be the last coding; any other framing runs to the close (RFC 9112 6.3).
    const std::string codings = AsciiLower(*transfer_encoding);
    const size_t last_comma = codings.rfind(',');
    const std::string_view last = TrimWhitespace(
        std::string_view(codings).substr(last_comma == std::string::npos ? 0 : last_comma + 1));
    if (last == "chunked") {
      state_ = State::kChunkSize;
    } else {
      state_ = State::kBodyToClose;
      keep_alive_ = false;
    }
    return Status::OK();
  }
  if (content_length != nullptr) {
    const std::string& digits = *content_length;
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), remaining_);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
      return Malformed(fmt::format("Content-Length '{}'", digits.substr(0, 40)));
    state_ = remaining_ == 0 ? State::kDone : State::kFixedBody;
    return Status::OK();
  }
  state_ = State::kBodyToClose;
  keep_alive_ = false;
  return Status::OK();
}

Status ResponseParser::FinishAtClose() {
  keep_alive_ = false;
  if (state_ == State::kBodyToClose) state_ = State::kDone;
  if (state_ == State::kDone) return Status::OK();
  return Status::Unavailable(head_done() ? "the connection closed in the middle of the body"
                                         : "the connection closed before a response");
}

bool ResponseParser::Emit(const char* data, size_t size) {
  return size == 0 || on_body_(data, size);
}

}  // namespace slack_intel::http

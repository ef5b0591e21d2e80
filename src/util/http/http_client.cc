#include "util/http/http_client.h"

namespace slack_intel::http {

std::optional<std::string> Response::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (h.name == name) return h.value;
  }
  return std::nullopt;
}

}  // namespace slack_intel::http

#include "util/http/basic_auth.h"

#include "util/digest.h"

namespace slack_intel::http {

std::string BasicAuthorization(const std::string& user, const std::string& password) {
  return "Basic " + Base64Encode(user + ":" + password);
}

}  // namespace slack_intel::http

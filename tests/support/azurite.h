#pragma once

#include <memory>
#include <string>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace slack_intel::testing {

// Azurite's Blob service (npm azurite, installed in tools/) on 127.0.0.1 at a port of its
// choosing, its data in a temp folder, with one account whose key is an obvious fake.
class Azurite {
 public:
  static constexpr const char* kAccount = "slackinteltest";
  // base64("fake-azurite-account-key-for-slack-intel-tests")
  static constexpr const char* kKey =
      "ZmFrZS1henVyaXRlLWFjY291bnQta2V5LWZvci1zbGFjay1pbnRlbC10ZXN0cw==";

  // Throws std::runtime_error when it does not start. With `oauth` it serves HTTPS (a
  // certificate made for 127.0.0.1, certificate_file()) and also takes OAuth bearer tokens,
  // checking their claims (Azurite's --oauth basic).
  explicit Azurite(bool oauth = false);

  // http(s)://127.0.0.1:PORT/ACCOUNT: where the account's Blob service answers.
  std::string blob_endpoint() const;
  // The certificate to trust (SSL_CERT_FILE) with `oauth`; "" without.
  std::string certificate_file() const;
  // The connection string the az cli would take for it.
  std::string connection_string() const;
  const ServerProcess& process() const { return *process_; }

 private:
  TempDir data_;
  bool tls_ = false;
  std::unique_ptr<ServerProcess> process_;
};

}  // namespace slack_intel::testing

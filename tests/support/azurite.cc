#include "support/azurite.h"

#include <stdexcept>

#include "support/subprocess.h"

namespace slack_intel::testing {

Azurite::Azurite(bool oauth) : tls_(oauth) {
  std::vector<std::string> extra;
  if (oauth) {
    const std::string cert = (data_.path() / "cert.pem").string();
    const std::string key = (data_.path() / "key.pem").string();
    ProcessResult made = RunProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                     "-keyout", key, "-out", cert, "-days", "2", "-subj",
                                     "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    if (made.exit_code != 0) throw std::runtime_error("openssl req: " + made.stderr_text);
    extra = {"--cert", cert, "--key", key, "--oauth", "basic"};
  }
  // Strict (no --loose): a header Azurite does not implement is refused, not ignored.
  // --skipApiVersionCheck: it need not know the x-ms-version we send.
  std::vector<std::string> argv = {
      "node",
      std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/node_modules/azurite/dist/src/blob/main.js",
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      "0",
      "--location",
      data_.path().string(),
      "--silent",
      "--skipApiVersionCheck",
      "--disableTelemetry",
      "--disableProductStyleUrl"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = ServerProcess::Start(argv, {{"AZURITE_ACCOUNTS", std::string(kAccount) + ":" + kKey}});
}

std::string Azurite::blob_endpoint() const {
  return (tls_ ? "https" : "http") + process_->base_url().substr(4) + "/" + kAccount;
}

std::string Azurite::certificate_file() const {
  return tls_ ? (data_.path() / "cert.pem").string() : "";
}

std::string Azurite::connection_string() const {
  return std::string("DefaultEndpointsProtocol=") + (tls_ ? "https" : "http") +
         ";AccountName=" + kAccount + ";AccountKey=" + kKey + ";BlobEndpoint=" + blob_endpoint() +
         ";";
}

}  // namespace slack_intel::testing

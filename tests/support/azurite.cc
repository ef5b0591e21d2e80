#include "support/azurite.h"

namespace slack_intel::testing {

Azurite::Azurite() {
  // Strict (no --loose): a header Azurite does not implement is refused, not ignored.
  // --skipApiVersionCheck: it need not know the x-ms-version we send.
  process_ = ServerProcess::Start(
      {"node",
       std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/node_modules/azurite/dist/src/blob/main.js",
       "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", data_.path().string(),
       "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--disableProductStyleUrl"},
      {{"AZURITE_ACCOUNTS", std::string(kAccount) + ":" + kKey}});
}

std::string Azurite::blob_endpoint() const { return process_->base_url() + "/" + kAccount; }

std::string Azurite::connection_string() const {
  return "DefaultEndpointsProtocol=http;AccountName=" + std::string(kAccount) +
         ";AccountKey=" + kKey + ";BlobEndpoint=" + blob_endpoint() + ";";
}

}  // namespace slack_intel::testing

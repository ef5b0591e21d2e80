#pragma once

// Which Azure Storage account to talk to and how to authorize, found as the az cli finds it:
// AZURE_STORAGE_CONNECTION_STRING, else AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY (Shared
// Key) or AZURE_STORAGE_SAS_TOKEN (a SAS), else the managed identity of the machine
// (azure/managed_identity.h).

#include <memory>
#include <string>
#include <string_view>

#include "aws/environment.h"
#include "azure/managed_identity.h"
#include "util/result.h"

namespace slack_intel::azure {

struct StorageAccount {
  std::string name;
  std::string key;  // the account key (base64) for Shared Key; "" with a SAS
  std::string sas;  // a SAS token without its '?'; "" with a key
  // With neither: a managed identity's bearer token (Azure AD), fetched when first needed.
  std::shared_ptr<TokenSource> token;
  // Where the Blob service answers, without a trailing '/': https://NAME.blob.core.windows.net,
  // or a connection string's BlobEndpoint (Azurite: http://127.0.0.1:10000/devstoreaccount1).
  std::string blob_endpoint;
  std::string source;  // for messages: "AZURE_STORAGE_CONNECTION_STRING", ...
};

// A connection string: "DefaultEndpointsProtocol=https;AccountName=N;AccountKey=K;
// EndpointSuffix=core.windows.net", with BlobEndpoint= or SharedAccessSignature= instead of
// parts of it. Without AccountKey and SharedAccessSignature it names only the endpoint
// (ResolveStorageAccount then uses the managed identity). Errors: kInvalidArgument naming the
// missing or malformed part (never the key).
Result<StorageAccount> ParseConnectionString(std::string_view text);

// The account the environment names. `account` (from az://ACCOUNT/...) must match it when the
// environment names one. With no key, SAS or connection string, a managed identity of
// `identity.env` (its token is fetched by the first request). Errors: kInvalidArgument (no
// account; another account; a key that is not base64).
Result<StorageAccount> ResolveStorageAccount(const aws::Environment& env, std::string_view account,
                                             ManagedIdentityOptions identity = {});

}  // namespace slack_intel::azure

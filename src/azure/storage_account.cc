#include "azure/storage_account.h"

#include <fmt/format.h>

#include <map>

#include "util/digest.h"

namespace slack_intel::azure {
namespace {

constexpr const char* kHowToAuthorize =
    "set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or "
    "AZURE_STORAGE_SAS_TOKEN (as the az cli reads them)";

Status CheckKey(const StorageAccount& account) {
  if (!account.key.empty() && !Base64Decode(account.key)) {
    return Status::InvalidArgument(fmt::format(
        "the account key of {} (from {}) is not base64: copy it again from the portal's "
        "Access keys page",
        account.name, account.source));
  }
  return Status::OK();
}

}  // namespace

Result<StorageAccount> ParseConnectionString(std::string_view text) {
  std::map<std::string, std::string> parts;
  while (!text.empty()) {
    const size_t semicolon = text.find(';');
    std::string_view part = text.substr(0, semicolon);
    text = semicolon == std::string_view::npos ? "" : text.substr(semicolon + 1);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\n')) part.remove_prefix(1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Status::InvalidArgument(
          "AZURE_STORAGE_CONNECTION_STRING is malformed: each part is NAME=VALUE, separated by ;");
    }
    // A key or SAS ends in '=' padding: only the first '=' separates.
    parts[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
  }
  StorageAccount account;
  account.source = "AZURE_STORAGE_CONNECTION_STRING";
  account.name = parts["AccountName"];
  account.key = parts["AccountKey"];
  account.sas = parts["SharedAccessSignature"];
  if (account.sas.starts_with("?")) account.sas.erase(0, 1);
  account.blob_endpoint = parts["BlobEndpoint"];
  while (account.blob_endpoint.ends_with("/")) account.blob_endpoint.pop_back();
  if (account.blob_endpoint.empty()) {
    if (account.name.empty()) {
      return Status::InvalidArgument(
          "AZURE_STORAGE_CONNECTION_STRING names no AccountName and no BlobEndpoint");
    }
    const std::string protocol =
        parts.count("DefaultEndpointsProtocol") ? parts["DefaultEndpointsProtocol"] : "https";
    const std::string suffix =
        parts.count("EndpointSuffix") ? parts["EndpointSuffix"] : "core.windows.net";
    account.blob_endpoint = fmt::format("{}://{}.blob.{}", protocol, account.name, suffix);
  }
  SLACK_INTEL_RETURN_IF_ERROR(CheckKey(account));
  return account;
}

Result<StorageAccount> ResolveStorageAccount(const aws::Environment& env, std::string_view account,
                                             ManagedIdentityOptions identity) {
  StorageAccount found;
  if (std::string text = aws::EnvValue(env, "AZURE_STORAGE_CONNECTION_STRING"); !text.empty()) {
    SLACK_INTEL_ASSIGN_OR_RETURN(found, ParseConnectionString(text));
  } else {
    found.name = aws::EnvValue(env, "AZURE_STORAGE_ACCOUNT");
    if (found.name.empty()) found.name = std::string(account);
    found.key = aws::EnvValue(env, "AZURE_STORAGE_KEY");
    found.sas = aws::EnvValue(env, "AZURE_STORAGE_SAS_TOKEN");
    if (found.sas.starts_with("?")) found.sas.erase(0, 1);
    found.source = found.key.empty() ? "AZURE_STORAGE_SAS_TOKEN" : "AZURE_STORAGE_KEY";
    if (found.name.empty()) {
      return Status::InvalidArgument(
          fmt::format("no Azure Storage account named: {}", kHowToAuthorize));
    }
    found.blob_endpoint = fmt::format("https://{}.blob.core.windows.net", found.name);
    SLACK_INTEL_RETURN_IF_ERROR(CheckKey(found));
  }
  if (found.name.empty()) found.name = std::string(account);  // a SAS connection string
  if (found.key.empty() && found.sas.empty()) {
    // No key or SAS (a connection string may name only the endpoint): the managed identity.
    identity.env = env;
    found.token = MakeManagedIdentityTokenSource(std::move(identity));
    found.source = "the managed identity";
  }
  if (!account.empty() && found.name != account) {
    return Status::InvalidArgument(
        fmt::format("the destination names account {}, but {} is for account {}", account,
                    found.source, found.name));
  }
  return found;
}

}  // namespace slack_intel::azure

#include "s3/client_config.h"

#include "aws/default_chain.h"
#include "aws/shared_config.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::s3 {

Result<ClientOptions> ResolveClientOptions(const ConnectionFlags& flags,
                                           const aws::Environment& env) {
  SLACK_INTEL_ASSIGN_OR_RETURN(aws::SharedConfig config, aws::SharedConfig::Load(env));
  const std::string profile = aws::ResolveProfileName(flags.profile, env);
  const auto section = config.ConfigProfile(profile);
  auto setting = [&](const char* key) -> std::string {
    if (!section) return "";
    auto it = section->find(key);
    return it == section->end() ? "" : it->second;
  };
  ClientOptions options;
  options.region = aws::ResolveRegion(flags.region, env, config, profile);
  options.endpoint_url = aws::ResolveS3Endpoint(flags.endpoint_url, env, config, profile);
  const std::string style = setting("s3.addressing_style");
  options.addressing = style == "path"      ? Addressing::kPath
                       : style == "virtual" ? Addressing::kVirtual
                                            : Addressing::kAuto;
  http::HttpOptions transport;
  transport.ca_bundle = aws::EnvValue(env, "AWS_CA_BUNDLE");
  if (transport.ca_bundle.empty()) transport.ca_bundle = setting("ca_bundle");
  transport.verify_tls = flags.verify_tls;
  options.make_http_client = [transport] { return http::MakeHttpClient(transport); };
  aws::ChainOptions chain;
  chain.profile_flag = flags.profile;
  chain.context.env = env;
  chain.context.make_http_client = [] { return http::MakeHttpClient(); };
  SLACK_INTEL_ASSIGN_OR_RETURN(options.credentials, aws::MakeDefaultCredentialChain(chain));
  return options;
}

}  // namespace slack_intel::s3

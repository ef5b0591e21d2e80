#include "cli/doctor_command.h"

#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "aws/environment.h"
#include "aws/sts.h"
#include "cache/cache_lock.h"
#include "cli/cache_output.h"
#include "jira/jira_client.h"
#include "s3/bucket_name.h"
#include "s3/client.h"
#include "s3/client_config.h"
#include "slack/slack_client.h"
#include "store/open_store.h"
#include "util/printable.h"
#include "util/time_format.h"

namespace slack_intel::cli {
namespace {

// The scopes `cache` calls need (docs/cache-layout.md).
constexpr const char* kSlackScopes[] = {"channels:history", "channels:read", "groups:history",
                                        "groups:read", "users:read"};
// S3 refuses requests signed more than 15 minutes off; warn well before.
constexpr int64_t kMaxClockSkewSeconds = 300;
constexpr uint64_t kMinFreeBytes = 256ull << 20;

CheckResult Pass(std::string check, std::string detail) {
  return {std::move(check), true, std::move(detail), ""};
}
CheckResult Fail(std::string check, std::string detail, std::string fix) {
  return {std::move(check), false, std::move(detail), std::move(fix)};
}

CheckResult CheckConfig(const config::ConfigFile& config) {
  if (config.path.empty()) {
    return Pass("config",
                "no config file (optional): settings come from flags and the environment");
  }
  if (!config.warnings.empty()) {
    return Fail("config", config.warnings.front(),
                fmt::format("chmod 600 {}", config.path.string()));
  }
  return Pass("config", fmt::format("{} (found by {})", config.path.string(), config.found_by));
}

CheckResult CheckCache(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    return Fail("cache", fmt::format("Local path does not exist: {}", path.string()),
                "create it with `slack-intel cache --days 7`, or give --cache-path");
  }
  if (::access(path.c_str(), W_OK) != 0) {
    return Fail("cache", fmt::format("{} is not writable by this user", path.string()),
                "run as the cache's owner, or chown/chmod it");
  }
  struct statvfs fs {};
  uint64_t free_bytes = 0;
  if (::statvfs(path.c_str(), &fs) == 0) free_bytes = uint64_t{fs.f_bavail} * fs.f_frsize;
  if (free_bytes < kMinFreeBytes) {
    return Fail("cache", fmt::format("{}: only {} MB free", path.string(), free_bytes >> 20),
                "free some space on its file system, or move the cache (--cache-path)");
  }
  auto lock = cache::CacheLock::Acquire(path, "doctor");
  if (!lock.ok()) {
    return Fail("cache", lock.status().message(),
                "wait for that run to end (two runs on one cache would undo each other's work)");
  }
  return Pass("cache", fmt::format("{}: writable, {} MB free, not in use by another run",
                                   path.string(), free_bytes >> 20));
}

CheckResult CheckSlack(const config::ConfigFile& config) {
  const std::string token = Setting({"SLACK_TOKEN", "SLACK_BOT_TOKEN"}, config.slack_token);
  if (token.empty()) {
    return Fail("slack", "no Slack token",
                "export SLACK_TOKEN=xoxb-... or set slack.token in .slack-intel.yaml");
  }
  slack::SlackClientOptions options;
  options.token = token;
  if (std::string url = Setting({"SLACK_API_URL"}, config.slack_api_url); !url.empty()) {
    while (url.ends_with("/")) url.pop_back();
    options.base_url = url;
  }
  options.retry.max_attempts = 2;  // a diagnosis, not a run: report rather than wait long
  slack::SlackClient client(options);
  auto info = client.CheckToken();
  if (!info.ok()) {
    const bool bad_token = info.status().code() == StatusCode::kUnauthenticated;
    return Fail("slack", info.status().message(),
                bad_token ? "the token is not valid or was revoked: copy the Bot User OAuth Token "
                            "from your app's OAuth & Permissions page"
                          : "check the network path to the Slack API (SLACK_API_URL, proxies)");
  }
  const std::string who = fmt::format("workspace '{}' as {} ({} token)", info->team, info->user,
                                      info->bot ? "a bot" : "a user");
  if (info->scopes) {
    std::vector<std::string> missing;
    for (const char* scope : kSlackScopes) {
      if (std::find(info->scopes->begin(), info->scopes->end(), scope) == info->scopes->end())
        missing.push_back(scope);
    }
    if (!missing.empty()) {
      return Fail("slack", fmt::format("{}: missing scopes {}", who, fmt::join(missing, ", ")),
                  "add them under OAuth & Permissions > Scopes, then reinstall the app");
    }
  }
  // Since 2025 Slack serves a distributed app outside the Marketplace 15 messages a history
  // call and 1 call a minute; an internal app gets up to 999 at its tier's rate. One page of a
  // channel the app is in says which (docs/doctor.md).
  auto channels = client.ListChannels(false);
  if (!channels.ok()) {
    return Fail("slack", fmt::format("{}: {}", who, channels.status().message()),
                "the token needs channels:read and groups:read");
  }
  const auto member = std::find_if(channels->begin(), channels->end(),
                                   [](const slack::Channel& c) { return c.is_member; });
  if (member == channels->end()) {
    return Fail("slack", fmt::format("{}: the app is in no channel, so cache finds nothing", who),
                "invite it to each channel to cache: /invite @your-app");
  }
  auto page = client.FirstHistoryPage(member->id, 100);
  if (!page.ok()) return Fail("slack", page.status().message(), "see the error above");
  std::string speed;
  if (page->messages == 15 && page->has_more) {
    speed =
        "history comes 15 messages a call, 1 call a minute (a distributed app outside the "
        "Marketplace): a busy year takes hours; an internal app of the workspace is not capped";
  } else if (page->messages > 15) {
    speed = "history comes up to 999 messages a call at Slack's tiers (not capped)";
  } else {
    speed =
        fmt::format("history limits not told by #{} ({} messages)", member->name, page->messages);
  }
  return Pass("slack",
              fmt::format("{}; {}; {}", who,
                          info->scopes ? "every scope cache needs" : "scopes not reported", speed));
}

CheckResult CheckJira(const config::ConfigFile& config) {
  const std::string url = Setting({"JIRA_URL"}, config.jira_url);
  const std::string email = Setting({"JIRA_EMAIL"}, config.jira_email);
  const std::string api_token = Setting({"JIRA_API_TOKEN"}, config.jira_api_token);
  if (url.empty() && email.empty() && api_token.empty()) {
    return Pass("jira", "not configured (optional): tickets carry their key alone");
  }
  std::unique_ptr<jira::JiraClient> client = MakeJiraClient(config);
  if (!client) {
    return Fail("jira", "JIRA_URL, JIRA_EMAIL and JIRA_API_TOKEN are not all set",
                "set all three (or jira.url, jira.email, jira.api_token), or none");
  }
  auto name = client->Myself();
  if (!name.ok()) {
    return Fail("jira", name.status().message(),
                name.status().code() == StatusCode::kUnauthenticated
                    ? "create an API token at id.atlassian.com for JIRA_EMAIL's account"
                    : "check JIRA_URL (https://YOUR-SITE.atlassian.net) and the network path");
  }
  return Pass("jira", fmt::format("{} as {}", url, *name));
}

// Who the keys are: sts:GetCallerIdentity needs no permission, so it fails only for keys AWS
// does not accept. An S3-compatible store has no STS: it is asked only when the endpoint is
// AWS's, or AWS_ENDPOINT_URL_STS names one.
CheckResult CheckIdentity(const s3::ClientOptions& options, const aws::Credentials& credentials) {
  const aws::Environment env = aws::ProcessEnvironment();
  const bool aws_endpoint = options.endpoint_url.empty() ||
                            options.endpoint_url.find(".amazonaws.com") != std::string::npos;
  if (!aws_endpoint && aws::EnvValue(env, "AWS_ENDPOINT_URL_STS").empty()) {
    return Pass("aws credentials",
                fmt::format("{}; identity not asked (STS is AWS's; the endpoint is {})",
                            credentials.Redacted(), options.endpoint_url));
  }
  aws::RemoteProviderContext context;
  context.env = env;
  auto identity = aws::GetCallerIdentity(context, options.region, credentials);
  if (!identity.ok() && identity.status().code() == StatusCode::kUnavailable) {
    // A private subnet may reach S3 through a gateway endpoint and STS not at all.
    return Pass("aws credentials",
                fmt::format("{}; identity unknown, STS did not answer ({}); the bucket check "
                            "tries the keys",
                            credentials.Redacted(), identity.status().message()));
  }
  if (!identity.ok()) {
    return Fail("aws credentials",
                fmt::format("{}: {}", credentials.Redacted(), identity.status().message()),
                "the keys are not valid or have expired: aws sso login --profile NAME, or aws "
                "configure");
  }
  return Pass("aws credentials", fmt::format("{} (account {}), {}", identity->arn,
                                             identity->account, credentials.Redacted()));
}

void CheckAws(const Destination& to, std::vector<CheckResult>& out) {
  if (to.bucket.empty()) {
    out.push_back(Fail("aws", "no bucket to check", "give --bucket, or set s3.bucket"));
    return;
  }
  if (Status name = s3::ValidateBucketName(to.bucket); !name.ok()) {
    out.push_back(Fail("aws", name.message(), "give the bucket's name alone: --bucket NAME"));
    return;
  }
  auto client_options = s3::ResolveClientOptions({to.region, to.profile, to.endpoint_url, true},
                                                 aws::ProcessEnvironment());
  if (!client_options.ok()) {
    out.push_back(Fail("aws credentials", client_options.status().message(),
                       "check ~/.aws/config and --profile"));
    return;
  }
  auto credentials = client_options->credentials->Get();
  if (!credentials.ok()) {
    out.push_back(Fail("aws credentials", credentials.status().message(),
                       "aws sso login --profile NAME, or aws configure (the user guide's "
                       "\"Configure AWS Credentials\")"));
    return;
  }
  out.push_back(CheckIdentity(*client_options, *credentials));
  if (!out.back().ok) return;
  s3::Client client(*client_options);
  const std::string bucket_url = s3::S3Url(to.bucket, "");
  std::string date;
  Status head = client.HeadBucket(to.bucket, &date);
  if (head.code() == StatusCode::kPermissionDenied) {
    // A HEAD reply has no body, so a 403 cannot say whether the signature or the policy failed;
    // a one-key listing's error says which.
    auto listed = client.ListObjectsV2(to.bucket, "", "", "", 1);
    if (!listed.ok()) head = listed.status();
  }
  if (!head.ok()) {
    std::string fix = "check the bucket's name and --region";
    if (head.code() == StatusCode::kNotFound) fix = "create it: aws s3 mb " + bucket_url;
    if (head.code() == StatusCode::kPermissionDenied)
      fix = "the identity needs s3:ListBucket, s3:GetObject and s3:PutObject on the bucket";
    if (head.code() == StatusCode::kUnauthenticated)
      fix = "the credentials were refused: aws sso login, or check the keys";
    out.push_back(Fail("aws bucket",
                       fmt::format("Cannot access S3 bucket {}: {}", bucket_url, head.message()),
                       fix));
    return;
  }
  if (auto server = ParseHttpDate(date); server.ok()) {
    const auto skew =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() - *server)
            .count();
    if (std::abs(skew) > kMaxClockSkewSeconds) {
      out.push_back(Fail("aws clock", fmt::format("this clock is {} s off the server's", skew),
                         "sync the clock (timedatectl set-ntp true): S3 refuses requests signed "
                         "15 minutes off"));
    } else {
      out.push_back(Pass("aws clock", fmt::format("within {} s of the server's", std::abs(skew))));
    }
  }
  // The probe: what sync does, under the prefix sync writes to.
  const std::string key =
      fmt::format("{}.slack-intel-doctor-{}", store::NormalizePrefix(to.prefix), ::getpid());
  auto put = client.PutObject(to.bucket, key, std::string("slack-intel doctor probe\n"), {});
  if (!put.ok()) {
    out.push_back(
        Fail("aws bucket",
             fmt::format("cannot write {}: {}", s3::S3Url(to.bucket, key), put.status().message()),
             "the identity needs s3:PutObject on the bucket's prefix"));
    return;
  }
  auto deleted = client.DeleteObjects(to.bucket, {key});
  if (!deleted.ok() || !deleted->empty()) {
    out.push_back(Fail("aws bucket",
                       fmt::format("wrote but cannot delete {}", s3::S3Url(to.bucket, key)),
                       "the identity needs s3:DeleteObject for sync --delete; remove the probe "
                       "by hand"));
    return;
  }
  out.push_back(Pass(
      "aws bucket", fmt::format("{}: listed, and a probe object written and deleted {}", bucket_url,
                                to.prefix.empty() ? std::string("at the bucket's root")
                                                  : "under " + store::NormalizePrefix(to.prefix))));
}

}  // namespace

CLI::App* SetUpDoctorCommand(CLI::App& app, DoctorOptions& options) {
  CLI::App* doctor = app.add_subcommand(
      "doctor", "Check the token, Jira, AWS credentials, bucket, clock and cache, with fixes");
  doctor->add_option("--only", options.only, "Only these checks: config,cache,slack,jira,aws")
      ->delimiter(',')
      ->check(CLI::IsMember({"config", "cache", "slack", "jira", "aws"}));
  doctor->add_flag("--json", options.json, "One JSON document on stdout");
  doctor->add_option("--cache-path", options.cache_path, "The cache to check")
      ->capture_default_str();
  AddDestinationFlags(*doctor, options.bucket, "");
  return doctor;
}

Status RunDoctor(const DoctorOptions& options) {
  const std::set<std::string> only(options.only.begin(), options.only.end());
  const auto wanted = [&](const char* group) { return only.empty() || only.count(group) > 0; };
  std::vector<CheckResult> results;
  if (wanted("config")) results.push_back(CheckConfig(options.config));
  if (wanted("cache")) results.push_back(CheckCache(options.cache_path));
  if (wanted("slack")) results.push_back(CheckSlack(options.config));
  if (wanted("jira")) results.push_back(CheckJira(options.config));
  if (wanted("aws")) CheckAws(options.bucket, results);
  const auto failed =
      std::count_if(results.begin(), results.end(), [](const CheckResult& r) { return !r.ok; });
  if (options.json) {
    nlohmann::ordered_json doc;
    doc["ok"] = failed == 0;
    doc["checks"] = nlohmann::ordered_json::array();
    for (const CheckResult& r : results) {
      doc["checks"].push_back(
          {{"check", r.check}, {"ok", r.ok}, {"detail", r.detail}, {"fix", r.fix}});
    }
    fmt::print("{}\n", doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    for (const CheckResult& r : results) {
      fmt::print("{} {}: {}\n", r.ok ? "✓" : "✗", r.check, Printable(r.detail));
      if (!r.ok) fmt::print("    fix: {}\n", Printable(r.fix));
    }
  }
  std::fflush(stdout);
  if (failed > 0) {
    return Status::FailedPrecondition(
        fmt::format("doctor: {} of {} checks failed", failed, results.size()));
  }
  return Status::OK();
}

}  // namespace slack_intel::cli

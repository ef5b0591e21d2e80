// slack-intel: parse argv, run one command, turn its Status into an exit code.
// Exit codes: 0 success, 1 failure, 2 usage error. Errors are one line on stderr.

#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command_line.h"
#include "config/config_file.h"
#include "util/logging.h"
#include "util/printable.h"
#include "util/redact.h"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
  // Our worker threads wait on the network, not on malloc: two arenas instead of glibc's one
  // per thread keep memory that one thread freed reusable by the others (the peak RSS it
  // saves: docs/BENCHMARKS.md, "Memory (before streaming)").
  mallopt(M_ARENA_MAX, 2);
  slack_intel::cli::CommandLine command_line;
  CLI::App& app = command_line.app();
  // The config file supplies the flags' defaults, so it is read before they are parsed.
  auto config =
      slack_intel::config::LoadConfigFile(slack_intel::config::ConfigPathFromArgs(argc, argv));
  if (!config.ok()) {
    fmt::print(stderr, "slack-intel: {}\n", slack_intel::Printable(config.status().message()));
    return kExitUsage;
  }
  command_line.ApplyConfig(*config);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11's own report spans two lines; ours is one, with where to look next.
    fmt::print(stderr, "slack-intel: {} (see slack-intel --help)\n", e.what());
    return kExitUsage;
  }
  if (!command_line.has_command()) {
    fmt::print(stderr,
               "slack-intel: a command is required: cache, import, sync, doctor, inspect, "
               "athena-ddl, lifecycle or config (see slack-intel --help)\n");
    return kExitUsage;
  }
  slack_intel::SetUpLogging(command_line.verbosity());
  for (const std::string& warning : config->warnings) spdlog::warn("{}", warning);
  const slack_intel::Status status = command_line.Run();
  if (!status.ok()) {
    // Last line of defence: no secret reaches the terminal even if some layer echoed one.
    fmt::print(stderr, "slack-intel: {}\n",
               slack_intel::Printable(slack_intel::RedactSecrets(status.message())));
    return kExitFailure;
  }
  return 0;
}

// The harness that later issues' stand-ins (Slack, Jira, STS, SSO, IMDS) run under.

#include "support/server_process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>

#include "support/subprocess.h"

namespace slack_intel::testing {
namespace {

std::string EchoServerScript() {
  return std::string(SLACK_INTEL_SOURCE_DIR) + "/tests/support/echo_server.mjs";
}

TEST(ServerProcess, StartsOnAFreeLoopbackPortAndAnswers) {
  auto server = ServerProcess::Start({"node", EchoServerScript()});
  ASSERT_GT(server->port(), 0);
  ProcessResult reply = RunProcess({"curl", "-sS", server->base_url() + "/api/auth.test?x=1"});
  ASSERT_EQ(reply.exit_code, 0) << reply.stderr_text;
  EXPECT_NE(reply.stdout_text.find(R"("path":"/api/auth.test?x=1")"), std::string::npos)
      << reply.stdout_text;
}

TEST(ServerProcess, TwoServersGetDifferentPorts) {
  auto first = ServerProcess::Start({"node", EchoServerScript()});
  auto second = ServerProcess::Start({"node", EchoServerScript()});
  EXPECT_NE(first->port(), second->port());
}

TEST(ServerProcess, StopEndsTheProcessAndFreesThePort) {
  auto server = ServerProcess::Start({"node", EchoServerScript()});
  const pid_t pid = server->pid();
  const int port = server->port();
  server->Stop();
  EXPECT_NE(kill(pid, 0), 0) << "process " << pid << " is still alive";
  EXPECT_FALSE(AcceptsConnections(port));
}

TEST(ServerProcess, ReportsAServerThatNeverAnnouncesItsPort) {
  EXPECT_THROW(ServerProcess::Start({"node", "-e", "console.error('boom'); process.exit(3)"}),
               std::runtime_error);
}

}  // namespace
}  // namespace slack_intel::testing

#include "support/node_tools.h"

#include <stdexcept>

namespace slack_intel::testing {

ProcessResult RunNodeTool(const std::string& script, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"node",
                                   std::string(SLACK_INTEL_SOURCE_DIR) + "/tools/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv);
}

std::vector<nlohmann::json> CheckWithIndependentReaders(const std::vector<std::string>& paths) {
  ProcessResult run = RunNodeTool("parquet-check/check.mjs", paths);
  if (run.exit_code != 0 && run.exit_code != 1) {
    throw std::runtime_error("check.mjs failed (" + std::to_string(run.exit_code) +
                             "): " + run.stderr_text);
  }
  std::vector<nlohmann::json> reports;
  for (const std::string& line : SplitLines(run.stdout_text)) {
    reports.push_back(nlohmann::json::parse(line));
  }
  if (reports.size() != paths.size()) {
    throw std::runtime_error("check.mjs printed " + std::to_string(reports.size()) +
                             " reports for " + std::to_string(paths.size()) +
                             " paths: " + run.stderr_text);
  }
  return reports;
}

}  // namespace slack_intel::testing

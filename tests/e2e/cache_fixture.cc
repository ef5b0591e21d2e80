#include "e2e/cache_fixture.h"

#include <ctime>
#include <fstream>
#include <set>

namespace slack_intel::testing {

namespace fs = std::filesystem;
const std::filesystem::path kFixture =
    fs::path(SLACK_INTEL_SOURCE_DIR) / "tests/testdata/slack-export-viewer-testarchive";

nlohmann::json ReadJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::map<std::string, int> ExpectedCounts(const fs::path& export_dir) {
  std::set<std::string> channels;
  for (const char* list : {"channels.json", "groups.json"}) {
    std::ifstream in(export_dir / list);
    if (!in) continue;
    for (const auto& channel : nlohmann::json::parse(in)) channels.insert(channel["name"]);
  }
  std::map<std::string, int> counts;
  for (const auto& folder : fs::directory_iterator(export_dir)) {
    if (!folder.is_directory() || !channels.count(folder.path().filename().string())) continue;
    for (const auto& day : fs::directory_iterator(folder.path())) {
      std::ifstream in(day.path());
      for (const auto& message : nlohmann::json::parse(in)) {
        const auto ts = static_cast<time_t>(std::stoll(message["ts"].get<std::string>()));
        std::tm tm{};
        gmtime_r(&ts, &tm);
        char dt[16];
        std::strftime(dt, sizeof dt, "%Y-%m-%d", &tm);
        ++counts[folder.path().filename().string() + "|" + dt];
      }
    }
  }
  return counts;
}

}  // namespace slack_intel::testing

#include "config/config_file.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace slack_intel::config {
namespace {

using Field = std::optional<std::string> ConfigFile::*;

const std::map<std::string, std::map<std::string, Field>>& Schema() {
  static const std::map<std::string, std::map<std::string, Field>> schema = {
      {"slack", {{"token", &ConfigFile::slack_token}, {"api_url", &ConfigFile::slack_api_url}}},
      {"jira",
       {{"url", &ConfigFile::jira_url},
        {"email", &ConfigFile::jira_email},
        {"api_token", &ConfigFile::jira_api_token}}},
      {"cache",
       {{"path", &ConfigFile::cache_path},
        {"timezone", &ConfigFile::timezone},
        {"codec", &ConfigFile::codec},
        {"compression_level", &ConfigFile::compression_level}}},
      {"s3",
       {{"bucket", &ConfigFile::bucket},
        {"prefix", &ConfigFile::prefix},
        {"region", &ConfigFile::region},
        {"profile", &ConfigFile::profile},
        {"endpoint_url", &ConfigFile::endpoint_url}}},
      {"sync", {{"auto", &ConfigFile::sync_auto}, {"dest", &ConfigFile::sync_dest}}},
  };
  return schema;
}

template <typename Map>
std::string Names(const Map& map) {
  std::string names;
  for (const auto& [name, unused] : map) names += (names.empty() ? "" : ", ") + name;
  return names;
}

Status ErrorAt(const std::filesystem::path& path, const YAML::Mark& mark, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{}:{}: {}", path.string(), mark.line + 1, what));
}

bool Exists(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}

}  // namespace

namespace {

// The walk over a parsed file; yaml-cpp may throw from any conversion (ParseConfigFile catches).
Status ReadSections(const YAML::Node& root, const std::filesystem::path& path, ConfigFile& config) {
  for (const auto& section : root) {
    if (!section.first.IsScalar())
      return ErrorAt(path, section.first.Mark(), "a section name must be a plain word");
    const std::string name = section.first.as<std::string>();
    const auto known = Schema().find(name);
    if (known == Schema().end()) {
      return ErrorAt(path, section.first.Mark(),
                     fmt::format("unknown section '{}' (known: {})", name, Names(Schema())));
    }
    if (section.second.IsNull()) continue;
    if (!section.second.IsMap())
      return ErrorAt(path, section.second.Mark(), fmt::format("'{}' must hold keys", name));
    for (const auto& entry : section.second) {
      if (!entry.first.IsScalar())
        return ErrorAt(path, entry.first.Mark(), fmt::format("a key of '{}' must be a word", name));
      const std::string key = entry.first.as<std::string>();
      const auto field = known->second.find(key);
      if (field == known->second.end()) {
        return ErrorAt(path, entry.first.Mark(),
                       fmt::format("unknown key '{}.{}' (known in {}: {})", name, key, name,
                                   Names(known->second)));
      }
      if (entry.second.IsNull()) continue;
      if (!entry.second.IsScalar()) {
        return ErrorAt(path, entry.second.Mark(),
                       fmt::format("'{}.{}' must be a single value", name, key));
      }
      config.*(field->second) = entry.second.as<std::string>();
    }
  }
  return Status::OK();
}

}  // namespace

Result<ConfigFile> ParseConfigFile(std::string_view yaml, const std::filesystem::path& path) {
  ConfigFile config;
  config.path = path;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    if (root.IsNull()) return config;  // an empty file
    if (!root.IsMap()) return ErrorAt(path, root.Mark(), "expected sections (slack:, s3:, ...)");
    SLACK_INTEL_RETURN_IF_ERROR(ReadSections(root, path, config));
    if (config.compression_level &&
        (config.compression_level->empty() || config.compression_level->size() > 2 ||
         config.compression_level->find_first_not_of("0123456789") != std::string::npos)) {
      return Status::InvalidArgument(
          fmt::format("{}: cache.compression_level must be a number from 0 to 22, not '{}'",
                      path.string(), *config.compression_level));
    }
    if (config.codec && *config.codec != "zstd" && *config.codec != "snappy" &&
        *config.codec != "gzip" && *config.codec != "none") {
      return Status::InvalidArgument(
          fmt::format("{}: cache.codec must be zstd, snappy, gzip or none, not '{}'", path.string(),
                      *config.codec));
    }
    if (config.sync_auto && *config.sync_auto != "true" && *config.sync_auto != "false") {
      return Status::InvalidArgument(fmt::format("{}: sync.auto must be true or false, not '{}'",
                                                 path.string(), *config.sync_auto));
    }
  } catch (const YAML::Exception& e) {
    return ErrorAt(path, e.mark, fmt::format("not valid YAML: {}", e.msg));
  }
  return config;
}

Result<ConfigFile> LoadConfigFile(const std::optional<std::filesystem::path>& explicit_path) {
  std::filesystem::path path;
  std::string found_by;
  if (explicit_path) {
    if (!Exists(*explicit_path)) {
      return Status::InvalidArgument(
          fmt::format("--config {}: no such file", explicit_path->string()));
    }
    path = *explicit_path;
    found_by = "--config";
  } else if (const char* env = std::getenv("SLACK_INTEL_CONFIG"); env && *env) {
    if (!Exists(env)) {
      return Status::InvalidArgument(fmt::format("SLACK_INTEL_CONFIG={}: no such file", env));
    }
    path = env;
    found_by = "SLACK_INTEL_CONFIG";
  } else if (Exists(".slack-intel.yaml")) {
    path = ".slack-intel.yaml";
    found_by = "the working directory";
  } else {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    const std::filesystem::path dir = xdg && *xdg     ? std::filesystem::path(xdg)
                                      : home && *home ? std::filesystem::path(home) / ".config"
                                                      : std::filesystem::path();
    if (!dir.empty() && Exists(dir / "slack-intel/config.yaml")) {
      path = dir / "slack-intel/config.yaml";
      found_by = xdg && *xdg ? "XDG_CONFIG_HOME" : "~/.config";
    }
  }
  if (path.empty()) return ConfigFile{};
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Status::IOError(fmt::format("cannot read {}", path.string()));
  SLACK_INTEL_ASSIGN_OR_RETURN(ConfigFile config, ParseConfigFile(text.str(), path));
  config.found_by = found_by;
  struct stat st {};
  if ((config.slack_token || config.jira_api_token) && ::stat(path.c_str(), &st) == 0 &&
      (st.st_mode & 077) != 0) {
    config.warnings.push_back(fmt::format("{} holds a token and others can read it: chmod 600 {}",
                                          path.string(), path.string()));
  }
  return config;
}

std::optional<std::filesystem::path> ConfigPathFromArgs(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--config" && i + 1 < argc) return std::filesystem::path(argv[i + 1]);
    if (arg.starts_with("--config=")) return std::filesystem::path(arg.substr(9));
  }
  return std::nullopt;
}

}  // namespace slack_intel::config

#include "sync/multipart_journal.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

namespace slack_intel::sync {

MultipartJournal::~MultipartJournal() {
  if (file_) std::fclose(file_);
}

Result<int> MultipartJournal::AbortLeftovers(store::ObjectStore& bucket) {
  std::ifstream in(path_);
  if (!in) return 0;
  int aborted = 0;
  std::string line;
  while (std::getline(in, line)) {
    // A line cut short by the crash is skipped: its upload never got to send a part.
    const auto row = nlohmann::json::parse(line, nullptr, false);
    if (!row.is_array() || row.size() != 2 || !row[0].is_string() || !row[1].is_string()) continue;
    const std::string key = row[0].get<std::string>();
    const Status status = bucket.AbortUpload(key, row[1].get<std::string>());
    if (status.ok()) {
      spdlog::info("aborted the unfinished multipart upload of {} from an earlier run",
                   bucket.Describe(key));
      ++aborted;
    } else if (status.code() != StatusCode::kNotFound) {  // completed or aborted already
      return status.WithContext("aborting an unfinished upload from an earlier run");
    }
  }
  in.close();
  Clear();
  return aborted;
}

void MultipartJournal::Record(const std::string& key, const std::string& upload_id) {
  std::lock_guard lock(mutex_);
  if (!file_) {
    std::error_code error;
    std::filesystem::create_directories(path_.parent_path(), error);
    file_ = std::fopen(path_.c_str(), "a");
    if (!file_) {
      spdlog::warn("cannot write {}: an interrupted upload would not be cleaned up",
                   path_.string());
      return;
    }
  }
  const std::string line = nlohmann::json::array({key, upload_id})
                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(file_, "%s\n", line.c_str());
  std::fflush(file_);
}

void MultipartJournal::Clear() {
  std::lock_guard lock(mutex_);
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
  }
  std::error_code error;
  std::filesystem::remove(path_, error);
}

}  // namespace slack_intel::sync

#include "import/export_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "slack/slack_json.h"
#include "util/utf8.h"

namespace slack_intel::import {
namespace {

using json = nlohmann::json;

enum Kind : uint8_t { kTop, kReply, kBroadcast };  // history shows kTop and kBroadcast

// "1452837352.000006" -> 1452837352000006 (digits after the sixth are dropped); nullopt for
// anything else. The Slack stand-in reads ts the same way.
std::optional<int64_t> TsMicros(std::string_view ts) {
  const size_t dot = ts.find('.');
  const std::string_view seconds = ts.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : ts.substr(dot + 1);
  if (seconds.empty() || seconds.size() > 10 || (dot != std::string_view::npos && fraction.empty()))
    return std::nullopt;
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(seconds) || !digits(fraction)) return std::nullopt;
  int64_t value = 0;
  std::from_chars(seconds.data(), seconds.data() + seconds.size(), value);
  std::string micros(fraction.substr(0, 6));
  micros.resize(6, '0');
  int64_t part = 0;
  std::from_chars(micros.data(), micros.data() + 6, part);
  return value * 1'000'000 + part;
}

// "2025-10-21.json"
bool IsDayFile(std::string_view name) {
  if (name.size() != 15 || !name.ends_with(".json")) return false;
  for (size_t i = 0; i < 10; ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? name[i] != '-' : (name[i] < '0' || name[i] > '9')) return false;
  }
  return true;
}

Result<json> ReadJson(ExportArchive& archive, const std::string& file) {
  SLACK_INTEL_ASSIGN_OR_RETURN(std::string bytes, archive.Read(file));
  if (!IsValidUtf8(bytes)) bytes = SanitizeUtf8(bytes);
  try {
    return json::parse(bytes);
  } catch (const json::parse_error& e) {
    return Status::Corruption(
        fmt::format("{}: not valid JSON ({})", archive.Describe(file), e.what()));
  }
}

Result<json> ReadList(ExportArchive& archive, const std::string& file) {
  if (!std::binary_search(archive.files().begin(), archive.files().end(), file))
    return json::array();
  SLACK_INTEL_ASSIGN_OR_RETURN(json list, ReadJson(archive, file));
  if (!list.is_array()) {
    return Status::Corruption(fmt::format("{}: expected a JSON list", archive.Describe(file)));
  }
  return list;
}

}  // namespace

struct ExportSource::Loaded {
  std::string channel_id;
  std::vector<slack::Message> messages;  // by ts, each ts once
  std::vector<int64_t> micros;
  std::vector<Kind> kinds;
  std::map<int64_t, std::vector<size_t>> threads;  // parent ts -> its replies, oldest first

  std::optional<size_t> Find(int64_t ts) const {
    auto it = std::lower_bound(micros.begin(), micros.end(), ts);
    if (it == micros.end() || *it != ts) return std::nullopt;
    return static_cast<size_t>(it - micros.begin());
  }
  // The message as the API shows it: a parent carries its thread's numbers.
  slack::Message Shown(size_t p) const {
    slack::Message m = messages[p];
    if (kinds[p] != kTop) return m;
    auto thread = threads.find(micros[p]);
    if (thread == threads.end()) return m;
    m.thread_ts = m.ts;
    m.reply_count = static_cast<int64_t>(thread->second.size());
    m.latest_reply = messages[thread->second.back()].ts;
    return m;
  }
};

ExportSource::ExportSource(std::unique_ptr<ExportArchive> archive) : archive_(std::move(archive)) {}

ExportSource::~ExportSource() = default;

Result<std::unique_ptr<ExportSource>> ExportSource::Open(std::unique_ptr<ExportArchive> archive) {
  std::unique_ptr<ExportSource> source(new ExportSource(std::move(archive)));
  SLACK_INTEL_RETURN_IF_ERROR(source->ReadLists());
  return source;
}

Status ExportSource::ReadLists() {
  ExportArchive& archive = *archive_;
  for (const char* list_name : {"channels.json", "groups.json"}) {
    SLACK_INTEL_ASSIGN_OR_RETURN(json list, ReadList(archive, list_name));
    for (const json& c : list) {
      if (!c.is_object()) continue;
      slack::Channel channel = slack::ParseChannel(c);
      if (channel.id.empty() || channel.name.empty()) continue;
      if (std::string_view(list_name) == "groups.json") channel.is_private = true;
      std::vector<std::string>& folders = folders_[channel.id];
      folders.push_back(channel.name);
      if (auto previous = c.find("previous_names"); previous != c.end() && previous->is_array()) {
        for (const json& name : *previous)
          if (name.is_string()) folders.push_back(name.get<std::string>());
      }
      channels_.push_back(std::move(channel));
    }
  }
  for (const char* list_name : {"users.json", "org_users.json"}) {
    SLACK_INTEL_ASSIGN_OR_RETURN(json list, ReadList(archive, list_name));
    for (const json& u : list) {
      if (!u.is_object()) continue;
      slack::User user = slack::ParseUser(u);
      const bool known = std::any_of(users_.begin(), users_.end(),
                                     [&](const slack::User& k) { return k.id == user.id; });
      if (!user.id.empty() && !known) users_.push_back(std::move(user));
    }
  }
  for (const char* list_name : {"dms.json", "mpims.json"}) {
    SLACK_INTEL_ASSIGN_OR_RETURN(json list, ReadList(archive, list_name));
    skipped_.direct_conversations += static_cast<int64_t>(list.size());
  }
  std::set<std::string> channel_folders;
  for (const auto& [id, folders] : folders_) channel_folders.insert(folders.begin(), folders.end());
  for (const std::string& file : archive.files()) {
    const size_t slash = file.find('/');
    if (slash == std::string::npos || file.find('/', slash + 1) != std::string::npos) continue;
    const std::string folder = file.substr(0, slash);
    if (!channel_folders.count(folder)) continue;  // direct messages, stray folders
    if (IsDayFile(file.substr(slash + 1))) {
      day_files_[folder].push_back(file);
    } else {
      ++skipped_.non_day_files;
      if (skipped_.examples.size() < 3) skipped_.examples.push_back(file);
    }
  }
  for (const auto& [id, folders] : folders_) {
    if (std::none_of(folders.begin(), folders.end(),
                     [&](const std::string& f) { return day_files_.count(f) > 0; })) {
      ++skipped_.empty_channels;
    }
  }
  return Status::OK();
}

std::optional<std::pair<std::string, std::string>> ExportSource::DayFileRange() const {
  std::optional<std::pair<std::string, std::string>> range;
  for (const auto& [folder, files] : day_files_) {
    for (const std::string& file : files) {
      const std::string day = file.substr(file.size() - 15, 10);
      if (!range) range.emplace(day, day);
      range->first = std::min(range->first, day);
      range->second = std::max(range->second, day);
    }
  }
  return range;
}

Result<std::vector<slack::Channel>> ExportSource::ListChannels(bool include_archived) {
  std::vector<slack::Channel> channels;
  for (const slack::Channel& c : channels_)
    if (include_archived || !c.is_archived) channels.push_back(c);
  return channels;
}

Result<const ExportSource::Loaded*> ExportSource::Load(const std::string& channel_id) {
  if (loaded_ && loaded_->channel_id == channel_id) return loaded_.get();
  loaded_.reset();  // one channel in memory at a time
  auto folders = folders_.find(channel_id);
  if (folders == folders_.end())
    return Status::NotFound(fmt::format("channel {} is not in the export", channel_id));
  struct Parsed {
    int64_t micros;
    Kind kind;
    int64_t thread;
    slack::Message message;
  };
  std::vector<Parsed> parsed;
  for (const std::string& folder : folders->second) {
    auto files = day_files_.find(folder);
    if (files == day_files_.end()) continue;
    for (const std::string& file : files->second) {
      SLACK_INTEL_ASSIGN_OR_RETURN(json day, ReadJson(*archive_, file));
      if (!day.is_array()) {
        return Status::Corruption(
            fmt::format("{}: expected a JSON list of messages", archive_->Describe(file)));
      }
      for (const json& m : day) {
        const auto micros =
            m.is_object() ? TsMicros(slack::TextField(m, "ts")) : std::optional<int64_t>();
        if (!micros) {
          ++skipped_.messages_without_ts;
          continue;
        }
        Parsed p{*micros, kTop, 0, slack::ParseMessage(m)};
        if (auto thread = TsMicros(p.message.thread_ts); thread && *thread != *micros) {
          p.kind = p.message.subtype == "thread_broadcast" ? kBroadcast : kReply;
          p.thread = *thread;
        }
        parsed.push_back(std::move(p));
      }
    }
    break;  // the first folder that has day files is the channel's
  }
  std::stable_sort(parsed.begin(), parsed.end(),
                   [](const Parsed& a, const Parsed& b) { return a.micros < b.micros; });
  auto loaded = std::make_unique<Loaded>();
  loaded->channel_id = channel_id;
  for (Parsed& p : parsed) {
    if (!loaded->micros.empty() && loaded->micros.back() == p.micros) continue;  // first wins
    if (p.kind != kTop) loaded->threads[p.thread].push_back(loaded->messages.size());
    loaded->micros.push_back(p.micros);
    loaded->kinds.push_back(p.kind);
    loaded->messages.push_back(std::move(p.message));
  }
  for (const auto& [parent, replies] : loaded->threads) {
    if (loaded->Find(parent)) continue;
    for (size_t r : replies) skipped_.orphan_replies += loaded->kinds[r] == kReply ? 1 : 0;
  }
  loaded_ = std::move(loaded);
  return loaded_.get();
}

Result<std::vector<slack::Message>> ExportSource::History(const std::string& channel,
                                                          const std::string& oldest,
                                                          const std::string& latest) {
  SLACK_INTEL_ASSIGN_OR_RETURN(const Loaded* loaded, Load(channel));
  const int64_t from = oldest.empty() ? INT64_MIN : TsMicros(oldest).value_or(INT64_MIN);
  const int64_t to = latest.empty() ? INT64_MAX : TsMicros(latest).value_or(INT64_MAX);
  std::vector<slack::Message> shown;
  for (size_t p = 0; p < loaded->messages.size(); ++p) {
    if (loaded->kinds[p] == kReply || loaded->micros[p] < from || loaded->micros[p] > to) continue;
    shown.push_back(loaded->Shown(p));
  }
  return shown;
}

Result<std::vector<slack::Message>> ExportSource::Replies(const std::string& channel,
                                                          const std::string& thread_ts) {
  SLACK_INTEL_ASSIGN_OR_RETURN(const Loaded* loaded, Load(channel));
  const auto ts = TsMicros(thread_ts);
  if (!ts) return Status::NotFound(fmt::format("thread_not_found: {}", thread_ts));
  const auto parent = loaded->Find(*ts);
  auto thread = loaded->threads.find(*ts);
  if (!parent && thread == loaded->threads.end())
    return Status::NotFound(fmt::format("thread_not_found: {}", thread_ts));
  std::vector<slack::Message> messages;
  if (parent) messages.push_back(loaded->Shown(*parent));
  if (thread != loaded->threads.end()) {
    for (size_t r : thread->second) messages.push_back(loaded->messages[r]);
  }
  return messages;
}

}  // namespace slack_intel::import

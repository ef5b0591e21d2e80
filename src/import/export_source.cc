#include "import/export_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "slack/slack_json.h"
#include "util/utf8.h"

namespace slack_intel::import {

// One message of a day file, as read.
struct ParsedMessage {
  enum Kind : uint8_t { kTop, kReply, kBroadcast };  // history shows kTop and kBroadcast
  int64_t micros = 0;
  Kind kind = kTop;
  int64_t thread = 0;  // replies and broadcasts: the parent's ts
  bool taken = false;  // moved out to the caller
  slack::Message message;
};

namespace {

using json = nlohmann::json;
using Parsed = ParsedMessage;
using Kind = ParsedMessage::Kind;
constexpr Kind kTop = ParsedMessage::kTop, kReply = ParsedMessage::kReply,
               kBroadcast = ParsedMessage::kBroadcast;

using slack::TsMicros;

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

// A day file's messages in file order; those without a readable ts are counted, not kept.
Result<std::vector<Parsed>> ParseDayFile(ExportArchive& archive, const std::string& file,
                                         int64_t& without_ts) {
  SLACK_INTEL_ASSIGN_OR_RETURN(json day, ReadJson(archive, file));
  if (!day.is_array()) {
    return Status::Corruption(
        fmt::format("{}: expected a JSON list of messages", archive.Describe(file)));
  }
  std::vector<Parsed> parsed;
  parsed.reserve(day.size());
  for (json& m : day) {
    const auto micros =
        m.is_object() ? TsMicros(slack::TextField(m, "ts")) : std::optional<int64_t>();
    if (!micros) {
      ++without_ts;
      continue;
    }
    Parsed p{*micros, kTop, 0, false, slack::ParseMessage(std::move(m))};
    if (auto thread = TsMicros(p.message.thread_ts); thread && *thread != *micros) {
      p.kind = p.message.subtype == "thread_broadcast" ? kBroadcast : kReply;
      p.thread = *thread;
    }
    parsed.push_back(std::move(p));
  }
  return parsed;
}

}  // namespace

// What one pass over a channel's day files learns, small enough to keep while its days are
// served: where each file's messages fall in time, which messages can be thread parents, and
// how each thread stands. Parsed day files are kept only while the days asked for reach them.
struct ExportSource::ChannelIndex {
  struct DayFile {
    std::string path;
    int64_t first = INT64_MAX, last = INT64_MIN;  // the ts range of its messages
  };
  struct Thread {
    int64_t replies = 0;  // replies and broadcasts
    int64_t latest = INT64_MIN;
    std::string latest_ts;
  };
  std::string channel_id;
  std::vector<DayFile> files;                           // in reading order
  std::vector<int64_t> tops;                            // channel messages (not replies), sorted
  std::unordered_map<int64_t, Thread> threads;          // parent ts -> its replies
  std::map<size_t, std::vector<ParsedMessage>> parsed;  // day file -> its messages

  bool IsTop(int64_t micros) const { return std::binary_search(tops.begin(), tops.end(), micros); }
  // The message as the API shows it: a parent carries its thread's numbers.
  void Decorate(const ParsedMessage& p, slack::Message& m) const {
    if (p.kind != kTop) return;
    auto thread = threads.find(p.micros);
    if (thread == threads.end()) return;
    m.thread_ts = m.ts;
    m.reply_count = thread->second.replies;
    m.latest_reply = thread->second.latest_ts;
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

Result<std::shared_ptr<ExportSource::ChannelIndex>> ExportSource::Index(
    const std::string& channel_id) {
  {
    std::lock_guard lock(mutex_);
    std::shared_ptr<ChannelIndex>& mine = indexes_[std::this_thread::get_id()];
    if (mine && mine->channel_id == channel_id) return mine;
    mine.reset();  // one channel per thread at a time
  }
  auto folders = folders_.find(channel_id);
  if (folders == folders_.end())
    return Status::NotFound(fmt::format("channel {} is not in the export", channel_id));
  auto index = std::make_shared<ChannelIndex>();
  index->channel_id = channel_id;
  for (const std::string& folder : folders->second) {
    auto files = day_files_.find(folder);
    if (files == day_files_.end()) continue;
    for (const std::string& file : files->second) index->files.push_back({file});
    break;  // the first folder that has day files is the channel's
  }
  // The one pass: each file's ts range, and (the first of duplicate ts winning, as a second
  // copy of a message is no message) the channel messages and each thread's replies.
  struct Seen {
    int64_t micros;
    size_t order;
    Kind kind;
    int64_t thread;
  };
  std::vector<Seen> seen;
  // Per thread, its newest reply: ts as a number and as written (latest_reply keeps the text).
  std::unordered_map<int64_t, std::pair<int64_t, std::string>> newest;
  int64_t without_ts = 0, outside = 0;
  for (ChannelIndex::DayFile& file : index->files) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<Parsed> parsed,
                                 ParseDayFile(*archive_, file.path, without_ts));
    for (const Parsed& p : parsed) {
      file.first = std::min(file.first, p.micros);
      file.last = std::max(file.last, p.micros);
      outside += p.micros < window_.first || p.micros >= window_.second ? 1 : 0;
      seen.push_back({p.micros, seen.size(), p.kind, p.thread});
      if (p.kind == kTop) continue;
      auto& [micros, ts] = newest.try_emplace(p.thread, INT64_MIN, "").first->second;
      if (p.micros > micros) {
        micros = p.micros;
        ts = p.message.ts;
      }
    }
  }
  std::sort(seen.begin(), seen.end(), [](const Seen& a, const Seen& b) {
    return a.micros != b.micros ? a.micros < b.micros : a.order < b.order;
  });
  std::unordered_map<int64_t, int64_t> plain;  // parent -> replies that are not broadcasts
  for (size_t i = 0; i < seen.size(); ++i) {
    const Seen& m = seen[i];
    if (i > 0 && seen[i - 1].micros == m.micros) continue;
    if (m.kind == kTop) {
      index->tops.push_back(m.micros);
      continue;
    }
    ChannelIndex::Thread& thread = index->threads[m.thread];
    ++thread.replies;
    thread.latest = std::max(thread.latest, m.micros);
    if (m.kind == kReply) ++plain[m.thread];
  }
  for (auto& [parent, thread] : index->threads) {
    const auto& [micros, ts] = newest[parent];
    if (micros == thread.latest) {
      thread.latest_ts = ts;
    } else {  // the newest was a second copy of another message, dropped: its ts rebuilt
      thread.latest_ts =
          fmt::format("{}.{:06}", thread.latest / 1'000'000, thread.latest % 1'000'000);
    }
  }
  int64_t orphans = 0;
  for (const auto& [parent, count] : plain) orphans += index->IsTop(parent) ? 0 : count;

  std::lock_guard lock(mutex_);
  if (counted_.insert(channel_id).second) {  // a channel indexed again counts once
    skipped_.messages_without_ts += without_ts;
    skipped_.orphan_replies += orphans;
    skipped_.messages_outside_window += outside;
  }
  indexes_[std::this_thread::get_id()] = index;
  return index;
}

Result<std::vector<slack::Message>> ExportSource::Collect(
    ChannelIndex& index, int64_t from, int64_t to, bool take,
    const std::function<bool(const ParsedMessage&)>& wanted) {
  std::vector<ParsedMessage*> hits;
  for (size_t i = 0; i < index.files.size(); ++i) {
    const ChannelIndex::DayFile& file = index.files[i];
    if (file.last < from || file.first > to) continue;
    auto cached = index.parsed.find(i);
    const auto reached = [&](const Parsed& p) { return p.micros >= from && p.micros <= to; };
    if (cached != index.parsed.end() &&
        std::any_of(cached->second.begin(), cached->second.end(),
                    [&](const Parsed& p) { return p.taken && reached(p) && wanted(p); })) {
      index.parsed.erase(cached);  // asked for again: read it again
      cached = index.parsed.end();
    }
    if (cached == index.parsed.end()) {
      int64_t ignored = 0;  // counted by Index()
      SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<Parsed> parsed,
                                   ParseDayFile(*archive_, file.path, ignored));
      cached = index.parsed.emplace(i, std::move(parsed)).first;
    }
    for (Parsed& p : cached->second)
      if (reached(p)) hits.push_back(&p);
  }
  // Days are asked for in order: files wholly before this one are done with.
  std::erase_if(index.parsed,
                [&](const auto& entry) { return index.files[entry.first].last < from; });
  std::stable_sort(hits.begin(), hits.end(),
                   [](const Parsed* a, const Parsed* b) { return a->micros < b->micros; });
  std::vector<slack::Message> messages;
  for (size_t i = 0; i < hits.size(); ++i) {
    Parsed& p = *hits[i];
    if (i > 0 && hits[i - 1]->micros == p.micros) continue;  // the first copy wins
    if (!wanted(p)) continue;
    messages.push_back(take ? std::move(p.message) : p.message);
    p.taken = p.taken || take;
    index.Decorate(p, messages.back());
  }
  return messages;
}

Result<std::vector<slack::Message>> ExportSource::MessagesBetween(const std::string& channel,
                                                                  const std::string& oldest,
                                                                  const std::string& latest) {
  SLACK_INTEL_ASSIGN_OR_RETURN(std::shared_ptr<ChannelIndex> index, Index(channel));
  // What History() shows, and the replies Replies() would add: those of present parents.
  return Collect(*index, Micros(oldest, INT64_MIN), Micros(latest, INT64_MAX), true,
                 [&](const Parsed& p) { return p.kind != kReply || index->IsTop(p.thread); });
}

Result<std::vector<slack::Message>> ExportSource::History(const std::string& channel,
                                                          const std::string& oldest,
                                                          const std::string& latest) {
  SLACK_INTEL_ASSIGN_OR_RETURN(std::shared_ptr<ChannelIndex> index, Index(channel));
  return Collect(*index, Micros(oldest, INT64_MIN), Micros(latest, INT64_MAX), false,
                 [](const Parsed& p) { return p.kind != kReply; });
}

Result<std::vector<slack::Message>> ExportSource::Replies(const std::string& channel,
                                                          const std::string& thread_ts) {
  SLACK_INTEL_ASSIGN_OR_RETURN(std::shared_ptr<ChannelIndex> index, Index(channel));
  const auto ts = TsMicros(thread_ts);
  if (!ts || !(index->IsTop(*ts) || index->threads.count(*ts)))
    return Status::NotFound(fmt::format("thread_not_found: {}", thread_ts));
  // The parent, then its replies, oldest first; the whole channel is read for them.
  return Collect(*index, INT64_MIN, INT64_MAX, false, [&](const Parsed& p) {
    return (p.kind == kTop && p.micros == *ts) || (p.kind != kTop && p.thread == *ts);
  });
}

int64_t ExportSource::Micros(const std::string& ts, int64_t fallback) {
  return ts.empty() ? fallback : TsMicros(ts).value_or(fallback);
}

}  // namespace slack_intel::import

#include "message_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string_view>

namespace slack_intel::bench {
namespace {

// xoshiro256** seeded through splitmix64, with the few distributions the generator needs,
// written out so the rows are the same with any standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : state_) {
      seed += 0x9e3779b97f4a7c15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      s = z ^ (z >> 31);
    }
  }

  uint64_t Next() {
    const uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  bool Chance(double p) { return Uniform() < p; }
  // Uniform in [0, n). REQUIRES: n > 0.
  size_t Below(size_t n) { return static_cast<size_t>(Uniform() * static_cast<double>(n)); }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<size_t>(hi - lo + 1)));
  }
  // Index in [0, n) with density ~1/(index+1): a few items are common, most are rare.
  size_t Zipf(size_t n) {
    const double x = std::exp(Uniform() * std::log(static_cast<double>(n) + 1.0)) - 1.0;
    return std::min(n - 1, static_cast<size_t>(x));
  }
  double Normal() {  // Box-Muller
    const double u1 = 1.0 - Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }

  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Below(N)];
  }

 private:
  std::array<uint64_t, 4> state_{};
};

// Common chat words first: Zipf picks make the early ones frequent, like real text.
constexpr auto kWords = std::to_array<std::string_view>({
    "the",        "to",         "I",          "it",
    "a",          "is",         "and",        "we",
    "for",        "on",         "this",       "that",
    "in",         "you",        "be",         "can",
    "of",         "with",       "should",     "just",
    "not",        "so",         "have",       "do",
    "are",        "if",         "but",        "will",
    "now",        "at",         "deploy",     "PR",
    "me",         "was",        "what",       "there",
    "up",         "from",       "check",      "looks",
    "build",      "test",       "prod",       "staging",
    "think",      "fix",        "know",       "get",
    "one",        "all",        "out",        "issue",
    "still",      "also",       "merge",      "review",
    "about",      "branch",     "today",      "tomorrow",
    "any",        "after",      "before",     "need",
    "let",        "see",        "going",      "done",
    "working",    "error",      "logs",       "service",
    "pipeline",   "release",    "rollback",   "config",
    "cluster",    "pods",       "latency",    "alert",
    "dashboard",  "customer",   "ticket",     "sprint",
    "standup",    "meeting",    "doc",        "update",
    "change",     "API",        "endpoint",   "database",
    "query",      "migration",  "schema",     "cache",
    "timeout",    "retry",      "flaky",      "CI",
    "green",      "red",        "failing",    "passing",
    "again",      "here",       "could",      "would",
    "maybe",      "probably",   "please",     "thanks",
    "someone",    "anyone",     "look",       "into",
    "why",        "how",        "when",       "where",
    "which",      "because",    "since",      "then",
    "than",       "more",       "less",       "some",
    "every",      "each",       "first",      "last",
    "next",       "new",        "old",        "same",
    "other",      "back",       "down",       "over",
    "again",      "yet",        "already",    "right",
    "left",       "around",     "team",       "on-call",
    "incident",   "postmortem", "runbook",    "terraform",
    "kubernetes", "helm",       "docker",     "image",
    "tag",        "version",    "bump",       "dependency",
    "upgrade",    "downgrade",  "patch",      "hotfix",
    "feature",    "flag",       "rollout",    "percent",
    "traffic",    "load",       "balancer",   "DNS",
    "cert",       "expired",    "renew",      "token",
    "auth",       "login",      "SSO",        "permissions",
    "access",     "role",       "bucket",     "S3",
    "Athena",     "Glue",       "Spark",      "parquet",
    "partition",  "table",      "column",     "row",
    "job",        "cron",       "nightly",    "batch",
    "stream",     "Kafka",      "topic",      "consumer",
    "lag",        "offset",     "metrics",    "Grafana",
    "Datadog",    "p99",        "p50",        "CPU",
    "memory",     "disk",       "OOM",        "restart",
    "crash",      "loop",       "node",       "region",
    "us-east-1",  "eu-west-1",  "zone",       "outage",
    "degraded",   "resolved",   "monitoring", "investigating",
    "root",       "cause",      "workaround", "repro",
    "locally",    "laptop",     "VPN",        "proxy",
    "firewall",   "port",       "request",    "response",
    "payload",    "JSON",       "field",      "null",
    "value",      "bug",        "regression", "spec",
    "design",     "proposal",   "RFC",        "estimate",
    "priority",   "blocker",    "backlog",    "roadmap",
    "quarter",    "OKR",        "demo",       "Friday",
    "Monday",     "week",       "morning",    "afternoon",
    "lunch",      "EOD",        "ASAP",       "soon",
    "later",      "quick",      "question",   "answer",
    "idea",       "plan",       "context",    "thread",
    "channel",    "ping",       "DM",         "call",
    "zoom",       "link",       "screenshot", "attached",
    "shared",
});

constexpr auto kShortReplies = std::to_array<std::string_view>({
    "ok",   "thanks!", "lgtm",    "+1",          "on it", "done",  "👍",
    ":+1:", "ty",      "will do", "sounds good", "yep",   "nope",  "haha",
    "np",   "merged",  "looking", "same here",   "🙏",     "nice!",
});

constexpr auto kEmoji = std::to_array<std::string_view>({
    "🎉",
    "👍",
    "🚀",
    "🔥",
    "😅",
    "🙏",
    "✅",
    "❌",
    "👀",
    "💯",
    "🤔",
    "😂",
    "🙌",
    "⚠️",
});

constexpr auto kShortcodes = std::to_array<std::string_view>({
    ":+1:",
    ":tada:",
    ":eyes:",
    ":white_check_mark:",
    ":rocket:",
    ":pray:",
    ":joy:",
    ":fire:",
    ":thinking_face:",
    ":sweat_smile:",
    ":100:",
    ":raised_hands:",
});

// Whole phrases in other languages: the multi-byte share of real workspaces.
constexpr auto kForeignPhrases = std::to_array<std::string_view>({
    "Können wir das morgen besprechen?",
    "Ich schaue mir das später an.",
    "Das Deployment ist fehlgeschlagen, ich prüfe die Logs.",
    "Änderungen sind übernommen.",
    "Je regarde ça tout de suite.",
    "C'est déployé en préprod, à vérifier demain.",
    "Très bien, merci à tous !",
    "La réunion est décalée à 15h.",
    "¿Alguien puede revisar el PR?",
    "Mañana lo vemos con el equipo.",
    "¡Gracias por la ayuda!",
    "了解です、確認します。",
    "本番環境でエラーが発生しています。",
    "明日のミーティングは延期になりました。",
    "我来看一下这个问题。",
    "部署已经完成了。",
    "Посмотрю после обеда.",
    "Сборка снова упала, смотрю логи.",
    "Спасибо, всё работает.",
    "확인했습니다. 감사합니다!",
    "Olá, alguém sabe por que o build está lento?",
});

constexpr auto kJiraProjects = std::to_array<std::string_view>({
    "PROJ",
    "OPS",
    "DATA",
    "INFRA",
    "WEB",
    "MOB",
    "SEC",
    "PAY",
    "SRE",
    "ML",
});

constexpr auto kRepos = std::to_array<std::string_view>({
    "payments-api",
    "web-app",
    "infra",
    "data-pipeline",
    "mobile",
    "auth-service",
    "slack-intel",
});

struct Name {
  std::string_view display;
  std::string_view ascii;
};

constexpr auto kFirstNames = std::to_array<Name>({
    {"James", "james"},       {"Maria", "maria"}, {"Wei", "wei"},     {"Aisha", "aisha"},
    {"José", "jose"},         {"Zoë", "zoe"},     {"Björn", "bjorn"}, {"Łukasz", "lukasz"},
    {"François", "francois"}, {"Søren", "soren"}, {"Priya", "priya"}, {"Kenji", "kenji"},
    {"Olga", "olga"},         {"Ahmed", "ahmed"}, {"Emily", "emily"}, {"Michael", "michael"},
    {"Sarah", "sarah"},       {"David", "david"}, {"Anna", "anna"},   {"Chen", "chen"},
    {"Fatima", "fatima"},     {"Lucas", "lucas"}, {"Sofia", "sofia"}, {"Mateo", "mateo"},
    {"Hannah", "hannah"},     {"Noah", "noah"},   {"Yuki", "yuki"},   {"Ravi", "ravi"},
    {"Ingrid", "ingrid"},     {"Tomás", "tomas"},
});

constexpr auto kLastNames = std::to_array<Name>({
    {"Smith", "smith"},         {"García", "garcia"},   {"Müller", "muller"},
    {"Kowalski", "kowalski"},   {"Núñez", "nunez"},     {"Østergaard", "ostergaard"},
    {"O'Brien", "obrien"},      {"Tanaka", "tanaka"},   {"Ivanova", "ivanova"},
    {"Patel", "patel"},         {"Kim", "kim"},         {"Nguyen", "nguyen"},
    {"Johnson", "johnson"},     {"Rossi", "rossi"},     {"Dubois", "dubois"},
    {"Schmidt", "schmidt"},     {"Silva", "silva"},     {"Cohen", "cohen"},
    {"Haddad", "haddad"},       {"Larsen", "larsen"},   {"Wang", "wang"},
    {"Brown", "brown"},         {"Lefèvre", "lefevre"}, {"Yılmaz", "yilmaz"},
    {"Andersson", "andersson"},
});

constexpr size_t kUsers = 200;
constexpr size_t kChannels = 60;
constexpr int64_t kFirstTsMicros = 1714564800ll * 1000000;  // 2024-05-01T00:00:00Z
constexpr double kMeanGapSeconds = 20.0;
constexpr double kReplyShare = 0.10;
constexpr double kParentShare = 0.031;  // a little above 3%: some replies fall outside the run

struct User {
  std::string id;
  std::string name;
  std::string real_name;
};

std::string RandomId(Rng& rng, char prefix, size_t length) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string id(1, prefix);
  id += '0';
  while (id.size() < length) id += kAlphabet[rng.Below(kAlphabet.size())];
  return id;
}

std::string FormatTs(int64_t micros) {
  return fmt::format("{}.{:06}", micros / 1000000, micros % 1000000);
}

std::string HexId(Rng& rng, size_t digits) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < digits; ++i) s += kHex[rng.Below(16)];
  return s;
}

// Builds one message text and collects the Jira keys it mentions.
class TextMaker {
 public:
  TextMaker(Rng& rng, const std::vector<User>& users) : rng_(rng), users_(users) {}

  void Make(std::string& text, std::vector<std::string>& keys) {
    text.clear();
    keys.clear();
    text_ = &text;
    keys_ = &keys;
    const double kind = rng_.Uniform();
    if (kind < 0.06) {
      text += rng_.Pick(kShortReplies);
    } else if (kind < 0.075) {
      LongMessage();
    } else if (kind < 0.125) {
      Foreign(Length());
    } else {
      Chat(Length());
    }
  }

  std::string JiraKey() {
    std::string key =
        fmt::format("{}-{}", kJiraProjects[rng_.Zipf(kJiraProjects.size())], rng_.Between(1, 4999));
    Remember(key);
    return key;
  }

 private:
  // Log-normal around 60 bytes: ~80% of chat lines land between 20 and 200.
  size_t Length() {
    const double length = std::exp(std::log(60.0) + 0.8 * rng_.Normal());
    return static_cast<size_t>(std::clamp(length, 3.0, 1500.0));
  }

  void Remember(const std::string& key) {
    if (std::find(keys_->begin(), keys_->end(), key) == keys_->end()) keys_->push_back(key);
  }

  void Mention() { *text_ += fmt::format("<@{}>", users_[rng_.Zipf(users_.size())].id); }

  void Chat(size_t length) {
    std::string& text = *text_;
    if (rng_.Chance(0.06)) {
      Mention();
      text += ' ';
    }
    const bool has_jira = rng_.Chance(0.08);
    const bool has_link = rng_.Chance(0.04);
    const bool has_code = rng_.Chance(0.03);
    bool sentence_start = true;
    const size_t start = text.size();
    while (text.size() - start < length) {
      std::string_view word = kWords[rng_.Zipf(kWords.size())];
      if (sentence_start && word.size() > 1 && word[0] >= 'a' && word[0] <= 'z') {
        text += static_cast<char>(word[0] - 'a' + 'A');
        text += word.substr(1);
      } else {
        text += word;
      }
      sentence_start = false;
      const double r = rng_.Uniform();
      if (r < 0.06) {
        text += ". ";
        sentence_start = true;
      } else if (r < 0.075) {
        text += "? ";
        sentence_start = true;
      } else if (r < 0.085) {
        text += ", ";
      } else {
        text += ' ';
      }
      if (has_jira && rng_.Chance(0.08)) text += JiraKey() + ' ';
      if (has_code && rng_.Chance(0.05)) {
        text += fmt::format("`kubectl -n {} logs deploy/{}` ", kRepos[rng_.Below(kRepos.size())],
                            kRepos[rng_.Below(kRepos.size())]);
      }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (has_jira && keys_->empty()) text += " (" + JiraKey() + ")";
    if (has_link) {
      if (rng_.Chance(0.5)) {
        text += fmt::format(" <https://github.com/acme/{}/pull/{}>", rng_.Pick(kRepos),
                            rng_.Between(100, 9999));
      } else {
        text += fmt::format(" <https://acme.atlassian.net/browse/{}>", JiraKey());
      }
    }
    if (rng_.Chance(0.05)) {
      text += ' ';
      text += rng_.Chance(0.5) ? rng_.Pick(kEmoji) : rng_.Pick(kShortcodes);
    }
  }

  void Foreign(size_t length) {
    std::string& text = *text_;
    while (text.size() < length) {
      if (!text.empty()) text += ' ';
      text += kForeignPhrases[rng_.Zipf(kForeignPhrases.size())];
    }
    if (rng_.Chance(0.2)) {
      text += ' ';
      text += rng_.Pick(kEmoji);
    }
  }

  // The tail: log dumps, stack traces and long write-ups, 500 bytes to ~4 KB.
  void LongMessage() {
    std::string& text = *text_;
    const auto length = static_cast<size_t>(std::exp(std::log(500.0) + rng_.Uniform() * 2.08));
    const double kind = rng_.Uniform();
    if (kind < 0.4) {
      text += "Seeing this in prod:\n```\n";
      while (text.size() < length) {
        text += fmt::format(
            "2024-05-{:02}T{:02}:{:02}:{:02}.{:03}Z {} [worker-{}] com.acme.{}.Processor - {} "
            "(request_id={})\n",
            rng_.Between(1, 28), rng_.Between(0, 23), rng_.Between(0, 59), rng_.Between(0, 59),
            rng_.Between(0, 999), rng_.Chance(0.7) ? "ERROR" : "WARN", rng_.Between(1, 16),
            rng_.Pick(kRepos), rng_.Chance(0.5) ? "Timeout after 30000ms" : "Connection reset",
            HexId(rng_, 12));
      }
      text += "```";
    } else if (kind < 0.7) {
      text += "Stack trace:\n```\njava.lang.IllegalStateException: unexpected null\n";
      while (text.size() < length) {
        text += fmt::format("    at com.acme.{}.{}Service.process({}Service.java:{})\n",
                            rng_.Pick(kRepos), kWords[30 + rng_.Below(60)],
                            kWords[30 + rng_.Below(60)], rng_.Between(20, 900));
      }
      text += "```";
    } else {
      while (text.size() < length) {
        Chat(Length() + 80);
        text += rng_.Chance(0.3) ? "\n\n" : "\n• ";
      }
    }
    if (rng_.Chance(0.3)) text += "\nTracking in " + JiraKey();
  }

  Rng& rng_;
  const std::vector<User>& users_;
  std::string* text_ = nullptr;
  std::vector<std::string>* keys_ = nullptr;
};

struct OpenThread {
  std::string ts;
  size_t channel = 0;
  int64_t replies_left = 0;
};

}  // namespace

std::vector<MessageRow> GenerateMessages(size_t count, uint64_t seed) {
  Rng rng(seed);
  std::vector<User> users;
  for (size_t i = 0; i < kUsers; ++i) {
    const Name& first = kFirstNames[rng.Below(kFirstNames.size())];
    const Name& last = kLastNames[rng.Below(kLastNames.size())];
    users.push_back({RandomId(rng, 'U', 9), fmt::format("{}.{}", first.ascii, last.ascii),
                     fmt::format("{} {}", first.display, last.display)});
  }
  std::vector<std::string> channels;
  for (size_t i = 0; i < kChannels; ++i) channels.push_back(RandomId(rng, 'C', 11));

  TextMaker text_maker(rng, users);
  std::vector<OpenThread> open_threads;
  std::vector<MessageRow> rows(count);
  int64_t ts_micros = kFirstTsMicros;
  for (MessageRow& row : rows) {
    ts_micros += 1 + static_cast<int64_t>(rng.Exponential(kMeanGapSeconds * 1e6));
    row.message_id = FormatTs(ts_micros);
    row.timestamp = cache::TsToIso(row.message_id);
    size_t channel = rng.Zipf(kChannels);

    if (rng.Chance(kReplyShare) && !open_threads.empty()) {
      const size_t pick = rng.Below(open_threads.size());
      OpenThread& thread = open_threads[pick];
      row.is_thread_reply = true;
      row.thread_ts = thread.ts;
      channel = thread.channel;
      if (--thread.replies_left == 0) {
        std::swap(thread, open_threads.back());
        open_threads.pop_back();
      }
    } else if (rng.Chance(kParentShare / (1.0 - kReplyShare))) {
      // Geometric reply counts with mean ~3.3 (kReplyShare / kParentShare): most threads are
      // short, a few run long.
      int64_t replies = 1;
      while (rng.Chance(0.7) && replies < 500) ++replies;
      row.is_thread_parent = true;
      row.reply_count = replies;
      row.thread_ts = row.message_id;
      open_threads.push_back({row.message_id, channel, replies});
    }
    row.channel_id = channels[channel];

    const double subtype = rng.Uniform();
    if (subtype < 0.012 && !row.is_thread_reply && !row.is_thread_parent) {
      row.subtype = "bot_message";
      row.user_name = rng.Chance(0.5) ? "deploy-bot" : "jira";
      row.bot_id = *row.user_name == "jira" ? "B0JIRA0001" : "B0DEPLOY01";
      if (*row.user_name == "jira") {
        const std::string key = text_maker.JiraKey();
        row.text = fmt::format("{} moved to *In Review* by {}", key,
                               users[rng.Zipf(users.size())].real_name);
        row.jira_tickets = {key};
      } else {
        row.text = fmt::format("Deployment of {} v1.{}.{} to production succeeded ✅",
                               rng.Pick(kRepos), rng.Between(0, 80), rng.Between(0, 20));
      }
      continue;  // bots have no user id or real name
    }
    const User& user = users[rng.Zipf(users.size())];
    row.user_id = user.id;
    row.user_name = user.name;
    row.user_real_name = user.real_name;
    if (subtype < 0.02 && !row.is_thread_reply && !row.is_thread_parent) {
      row.subtype = "channel_join";
      row.text = fmt::format("<@{}> has joined the channel", user.id);
      continue;
    }
    text_maker.Make(row.text, row.jira_tickets);
    if (subtype < 0.025) {
      row.subtype = "file_share";
    } else if (row.is_thread_reply && subtype < 0.028) {
      row.subtype = "thread_broadcast";
    }
    if (rng.Chance(0.04)) {
      row.edited_ts = FormatTs(ts_micros + 1 + static_cast<int64_t>(rng.Exponential(3e8)));
    }
  }
  return rows;
}

uint64_t ValueBytes(const std::vector<MessageRow>& rows) {
  uint64_t total = 0;
  auto opt = [](const std::optional<std::string>& v) -> uint64_t { return v ? v->size() : 0; };
  for (const MessageRow& r : rows) {
    total += r.message_id.size() + opt(r.user_id) + r.text.size() + r.timestamp.size() +
             opt(r.thread_ts) + 1 + 1 + 8 + opt(r.user_name) + opt(r.user_real_name) +
             r.channel_id.size() + opt(r.subtype) + opt(r.bot_id) + opt(r.edited_ts);
    for (const std::string& key : r.jira_tickets) total += key.size();
  }
  return total;
}

namespace {

void AppendJsonString(std::string_view s, std::string& out) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;  // UTF-8 passes through
        }
    }
  }
  out += '"';
}

void AppendJsonField(std::string_view name, const std::optional<std::string>& v, std::string& out) {
  out += fmt::format(",\"{}\":", name);
  if (v) {
    AppendJsonString(*v, out);
  } else {
    out += "null";
  }
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

Status WriteNdjson(const std::vector<MessageRow>& rows, const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "wb"));
  if (!file) return Status::IOError(fmt::format("{}: cannot create", path.string()));
  std::string line;
  for (const MessageRow& r : rows) {
    line.clear();
    line += "{\"message_id\":";
    AppendJsonString(r.message_id, line);
    AppendJsonField("user_id", r.user_id, line);
    line += ",\"text\":";
    AppendJsonString(r.text, line);
    line += ",\"timestamp\":";
    AppendJsonString(r.timestamp, line);
    AppendJsonField("thread_ts", r.thread_ts, line);
    line += fmt::format(R"(,"is_thread_parent":{},"is_thread_reply":{},"reply_count":{})",
                        r.is_thread_parent, r.is_thread_reply, r.reply_count);
    AppendJsonField("user_name", r.user_name, line);
    AppendJsonField("user_real_name", r.user_real_name, line);
    line += ",\"jira_tickets\":[";
    for (size_t i = 0; i < r.jira_tickets.size(); ++i) {
      if (i > 0) line += ',';
      AppendJsonString(r.jira_tickets[i], line);
    }
    line += "],\"channel_id\":";
    AppendJsonString(r.channel_id, line);
    AppendJsonField("subtype", r.subtype, line);
    AppendJsonField("bot_id", r.bot_id, line);
    AppendJsonField("edited_ts", r.edited_ts, line);
    line += "}\n";
    if (std::fwrite(line.data(), 1, line.size(), file.get()) != line.size()) {
      return Status::IOError(fmt::format("{}: write failed", path.string()));
    }
  }
  if (std::fclose(file.release()) != 0) {
    return Status::IOError(fmt::format("{}: close failed", path.string()));
  }
  return Status::OK();
}

}  // namespace slack_intel::bench

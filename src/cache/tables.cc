#include "cache/tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "util/output_stream.h"
#include "util/time_format.h"
#include "util/utf8.h"

namespace slack_intel::cache {
namespace {

using parquet::ColumnType;

void AppendText(parquet::FileWriter& w, const std::string& s) {
  if (FindInvalidUtf8(s) == std::string_view::npos) {
    w.AppendString(s);  // the common case, without a copy
  } else {
    w.AppendString(SanitizeUtf8(s));
  }
}
void AppendOptional(parquet::FileWriter& w, const std::optional<std::string>& s) {
  if (s) {
    AppendText(w, *s);
  } else {
    w.AppendNull();
  }
}
void AppendList(parquet::FileWriter& w, const std::vector<std::string>& items) {
  std::vector<std::string> clean;
  for (const std::string& item : items) clean.push_back(SanitizeUtf8(item));
  w.AppendStringList(clean);
}

template <typename Row, typename Write>
Result<std::string> Encode(parquet::Schema schema, const std::vector<Row>& rows,
                           const Compression& compression, Write write) {
  StringOutputStream sink;
  parquet::WriterOptions options;
  options.codec = compression.codec;
  options.compression_level = compression.level;
  parquet::FileWriter writer(sink, std::move(schema), options);
  for (const Row& row : rows) {
    write(writer, row);
    writer.EndRow();
  }
  SLACK_INTEL_RETURN_IF_ERROR(writer.Finish());
  return sink.Release();
}

}  // namespace

bool TsLess(const std::string& a, const std::string& b) {
  const size_t da = a.find('.'), db = b.find('.');
  const size_t ia = da == std::string::npos ? a.size() : da;
  const size_t ib = db == std::string::npos ? b.size() : db;
  if (ia != ib) return ia < ib;
  return a < b;
}

int64_t TsSeconds(const std::string& ts) { return std::strtoll(ts.c_str(), nullptr, 10); }

std::string TsToIso(const std::string& ts) {
  const size_t dot = ts.find('.');
  int64_t micros = TsSeconds(ts) * 1'000'000;
  if (dot != std::string::npos) {
    std::string fraction = ts.substr(dot + 1, 6);
    fraction.resize(6, '0');
    micros += std::strtoll(fraction.c_str(), nullptr, 10);
  }
  return FormatUnixMicrosUtc(micros);
}

parquet::Schema MessageSchema() {
  return {{"message_id", ColumnType::kString, false},
          {"user_id", ColumnType::kString},
          {"text", ColumnType::kString},
          {"timestamp", ColumnType::kString},
          {"thread_ts", ColumnType::kString},
          {"is_thread_parent", ColumnType::kBoolean},
          {"is_thread_reply", ColumnType::kBoolean},
          {"reply_count", ColumnType::kInt64},
          {"user_name", ColumnType::kString},
          {"user_real_name", ColumnType::kString},
          {"jira_tickets", ColumnType::kStringList},
          {"channel_id", ColumnType::kString},
          {"subtype", ColumnType::kString},
          {"bot_id", ColumnType::kString},
          {"edited_ts", ColumnType::kString}};
}

parquet::Schema UserSchema() {
  return {{"id", ColumnType::kString, false}, {"name", ColumnType::kString},
          {"real_name", ColumnType::kString}, {"display_name", ColumnType::kString},
          {"is_bot", ColumnType::kBoolean},   {"deleted", ColumnType::kBoolean},
          {"tz", ColumnType::kString}};
}

parquet::Schema JiraSchema() {
  return {{"key", ColumnType::kString, false},   {"summary", ColumnType::kString},
          {"status", ColumnType::kString},       {"type", ColumnType::kString},
          {"priority", ColumnType::kString},     {"assignee", ColumnType::kString},
          {"reporter", ColumnType::kString},     {"created", ColumnType::kString},
          {"updated", ColumnType::kString},      {"labels", ColumnType::kStringList},
          {"mention_count", ColumnType::kInt64}, {"channels", ColumnType::kStringList}};
}

void AppendMessage(parquet::FileWriter& w, const MessageRow& r) {
  AppendText(w, r.message_id);
  AppendOptional(w, r.user_id);
  AppendText(w, r.text);
  AppendText(w, r.timestamp);
  AppendOptional(w, r.thread_ts);
  w.AppendBool(r.is_thread_parent);
  w.AppendBool(r.is_thread_reply);
  w.AppendInt64(r.reply_count);
  AppendOptional(w, r.user_name);
  AppendOptional(w, r.user_real_name);
  AppendList(w, r.jira_tickets);
  AppendText(w, r.channel_id);
  AppendOptional(w, r.subtype);
  AppendOptional(w, r.bot_id);
  AppendOptional(w, r.edited_ts);
}

Result<std::string> EncodeMessages(std::vector<MessageRow> rows, const Compression& compression) {
  std::sort(rows.begin(), rows.end(), [](const MessageRow& a, const MessageRow& b) {
    return TsLess(a.message_id, b.message_id);
  });
  return Encode(MessageSchema(), rows, compression, AppendMessage);
}

Result<std::string> EncodeUsers(std::vector<UserRow> rows, const Compression& compression) {
  std::sort(rows.begin(), rows.end(),
            [](const UserRow& a, const UserRow& b) { return a.id < b.id; });
  return Encode(UserSchema(), rows, compression, [](parquet::FileWriter& w, const UserRow& r) {
    AppendText(w, r.id);
    AppendText(w, r.name);
    AppendOptional(w, r.real_name);
    AppendOptional(w, r.display_name);
    w.AppendBool(r.is_bot);
    w.AppendBool(r.deleted);
    AppendOptional(w, r.tz);
  });
}

Result<std::string> EncodeJira(std::vector<JiraRow> rows, const Compression& compression) {
  std::sort(rows.begin(), rows.end(),
            [](const JiraRow& a, const JiraRow& b) { return a.key < b.key; });
  return Encode(JiraSchema(), rows, compression, [](parquet::FileWriter& w, const JiraRow& r) {
    AppendText(w, r.key);
    for (const auto* field : {&r.summary, &r.status, &r.type, &r.priority, &r.assignee, &r.reporter,
                              &r.created, &r.updated})
      AppendOptional(w, *field);
    AppendList(w, r.labels);
    w.AppendInt64(r.mention_count);
    AppendList(w, r.channels);
  });
}

Result<std::vector<MessageRow>> DecodeMessages(std::string bytes) {
  SLACK_INTEL_ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(std::move(bytes)));
  const parquet::Schema schema = MessageSchema();
  if (reader->columns().size() != schema.size()) {
    return Status::InvalidArgument("not a slack-intel messages file (other columns)");
  }
  for (size_t i = 0; i < schema.size(); ++i) {
    if (reader->columns()[i].name != schema[i].name)
      return Status::InvalidArgument(fmt::format(
          "not a slack-intel messages file (column {} is '{}')", i, reader->columns()[i].name));
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(auto rows, reader->ReadRows());
  auto text = [](const parquet::Value& v) -> std::optional<std::string> {
    if (const auto* s = std::get_if<std::string>(&v.data)) return *s;
    return std::nullopt;
  };
  auto list = [](const parquet::Value& v) {
    std::vector<std::string> out;
    if (const auto* items = std::get_if<parquet::Value::List>(&v.data)) {
      for (const parquet::Value& item : *items)
        if (const auto* s = std::get_if<std::string>(&item.data)) out.push_back(*s);
    }
    return out;
  };
  auto flag = [](const parquet::Value& v) {
    const auto* b = std::get_if<bool>(&v.data);
    return b && *b;
  };
  std::vector<MessageRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    MessageRow m;
    m.message_id = text(r[0]).value_or("");
    m.user_id = text(r[1]);
    m.text = text(r[2]).value_or("");
    m.timestamp = text(r[3]).value_or("");
    m.thread_ts = text(r[4]);
    m.is_thread_parent = flag(r[5]);
    m.is_thread_reply = flag(r[6]);
    if (const auto* n = std::get_if<int64_t>(&r[7].data)) m.reply_count = *n;
    m.user_name = text(r[8]);
    m.user_real_name = text(r[9]);
    m.jira_tickets = list(r[10]);
    m.channel_id = text(r[11]).value_or("");
    m.subtype = text(r[12]);
    m.bot_id = text(r[13]);
    m.edited_ts = text(r[14]);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace slack_intel::cache

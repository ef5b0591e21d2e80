#include "parquet/parquet_test_rows.h"

#include <random>
#include <stdexcept>

namespace slack_intel::testing {

using parquet::ColumnType;
using parquet::Value;

parquet::Schema EveryTypeSchema() {
  return {
      {"flag", ColumnType::kBoolean, true},
      {"small", ColumnType::kInt32, true},
      {"big", ColumnType::kInt64, true},
      {"ratio", ColumnType::kDouble, true},
      {"text", ColumnType::kString, true},
      {"ts_ms", ColumnType::kTimestampMillis, true},
      {"ts_us", ColumnType::kTimestampMicros, true},
      {"tags", ColumnType::kStringList, true},
      {"id", ColumnType::kString, false},
  };
}

std::vector<Row> EveryTypeRows(size_t count, uint32_t seed) {
  std::mt19937 random(seed);
  auto pick = [&](size_t n) { return static_cast<uint32_t>(random() % n); };
  static const std::vector<std::string> kWords = {"",
                                                  "a",
                                                  "deploy",
                                                  "héllo",
                                                  "🌍 world",
                                                  "日本語のテキスト",
                                                  "PROJ-123",
                                                  "z",
                                                  "é",
                                                  std::string(300, 'x'),
                                                  "line\nbreak",
                                                  "quote\"and\\slash"};
  std::vector<Row> rows;
  for (size_t i = 0; i < count; ++i) {
    Row row;
    row.push_back(pick(5) == 0 ? Value() : Value(pick(2) == 0));
    row.push_back(pick(5) == 0 ? Value()
                               : Value(static_cast<int32_t>(pick(2000000000)) - 1000000000));
    row.push_back(pick(5) == 0
                      ? Value()
                      : Value(static_cast<int64_t>(random()) * 1000003 - (int64_t{1} << 40)));
    row.push_back(pick(5) == 0 ? Value() : Value((static_cast<double>(pick(2001)) - 1000.0) / 8.0));
    row.push_back(pick(6) == 0 ? Value()
                               : Value(kWords[pick(kWords.size())] + std::to_string(pick(40))));
    row.push_back(pick(5) == 0 ? Value() : Value(int64_t{1700000000000} + pick(100000000)));
    row.push_back(pick(5) == 0 ? Value() : Value(int64_t{1700000000000000} + pick(1000000000)));
    if (pick(5) == 0) {
      row.emplace_back();
    } else {
      Value::List tags;
      for (uint32_t t = pick(4); t > 0; --t) tags.emplace_back(kWords[pick(kWords.size())]);
      row.emplace_back(std::move(tags));
    }
    row.emplace_back("id-" + std::to_string(i));
    rows.push_back(std::move(row));
  }
  return rows;
}

void AppendRows(parquet::FileWriter& writer, const std::vector<Row>& rows) {
  const parquet::Schema& schema = writer.schema();
  for (const Row& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const Value& v = row[c];
      if (v.is_null()) {
        writer.AppendNull();
        continue;
      }
      switch (schema[c].type) {
        case ColumnType::kBoolean:
          writer.AppendBool(std::get<bool>(v.data));
          break;
        case ColumnType::kInt32:
          writer.AppendInt32(std::get<int32_t>(v.data));
          break;
        case ColumnType::kInt64:
          writer.AppendInt64(std::get<int64_t>(v.data));
          break;
        case ColumnType::kDouble:
          writer.AppendDouble(std::get<double>(v.data));
          break;
        case ColumnType::kString:
          writer.AppendString(std::get<std::string>(v.data));
          break;
        case ColumnType::kTimestampMillis:
        case ColumnType::kTimestampMicros:
          writer.AppendTimestamp(std::get<int64_t>(v.data));
          break;
        case ColumnType::kStringList: {
          std::vector<std::string> items;
          for (const Value& item : std::get<Value::List>(v.data)) {
            items.push_back(std::get<std::string>(item.data));
          }
          writer.AppendStringList(items);
          break;
        }
      }
    }
    writer.EndRow();
  }
}

std::string WriteFile(const parquet::Schema& schema, const std::vector<Row>& rows,
                      const parquet::WriterOptions& options) {
  StringOutputStream sink;
  parquet::FileWriter writer(sink, schema, options);
  AppendRows(writer, rows);
  Status status = writer.Finish();
  if (!status.ok()) throw std::runtime_error("writer failed: " + status.message());
  return sink.Release();
}

std::vector<Row> ReadBack(const std::string& bytes) {
  auto reader = parquet::FileReader::Open(bytes);
  if (!reader.ok()) throw std::runtime_error("open failed: " + reader.status().message());
  auto rows = (*reader)->ReadRows();
  if (!rows.ok()) throw std::runtime_error("read failed: " + rows.status().message());
  return std::move(rows).value();
}

}  // namespace slack_intel::testing

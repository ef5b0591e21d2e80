#include "support/parquet_json.h"

#include <cmath>
#include <stdexcept>

#include "util/time_format.h"

namespace slack_intel::testing {
namespace {

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

nlohmann::json CanonicalInt(int64_t v) {
  if (v >= -kMaxSafeInteger && v <= kMaxSafeInteger) return v;
  return std::to_string(v);
}

}  // namespace

nlohmann::json CanonicalJson(const parquet::Value& value, const parquet::ColumnDescriptor& column) {
  using parquet::Value;
  if (value.is_null()) return nullptr;
  if (const auto* list = std::get_if<Value::List>(&value.data)) {
    nlohmann::json out = nlohmann::json::array();
    parquet::ColumnDescriptor element = column;
    element.is_list = false;
    for (const Value& item : *list) out.push_back(CanonicalJson(item, element));
    return out;
  }
  if (const auto* b = std::get_if<bool>(&value.data)) return *b;
  if (const auto* s = std::get_if<std::string>(&value.data)) return *s;
  if (const auto* d = std::get_if<double>(&value.data)) {
    if (std::isnan(*d)) return "NaN";
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    return *d;
  }
  int64_t integer = 0;
  if (const auto* i = std::get_if<int32_t>(&value.data)) integer = *i;
  if (const auto* l = std::get_if<int64_t>(&value.data)) integer = *l;
  const std::string type = column.TypeName();
  if (type.starts_with("TIMESTAMP(MILLIS")) return FormatUnixMicrosUtc(integer * 1000);
  if (type.starts_with("TIMESTAMP(MICROS")) return FormatUnixMicrosUtc(integer);
  if (type.starts_with("TIMESTAMP(NANOS")) return FormatUnixMicrosUtc(integer / 1000);
  return CanonicalInt(integer);
}

nlohmann::json CanonicalRows(const parquet::FileReader& reader) {
  auto rows = reader.ReadRows();
  if (!rows.ok()) throw std::runtime_error("our reader failed: " + rows.status().message());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& row : *rows) {
    nlohmann::json object = nlohmann::json::object();
    for (size_t c = 0; c < row.size(); ++c) {
      object[reader.columns()[c].name] = CanonicalJson(row[c], reader.columns()[c]);
    }
    out.push_back(std::move(object));
  }
  return out;
}

}  // namespace slack_intel::testing

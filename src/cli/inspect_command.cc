#include "cli/inspect_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "parquet/compression.h"
#include "parquet/file_reader.h"
#include "util/printable.h"
#include "util/time_format.h"

namespace slack_intel::cli {
namespace {

using json = nlohmann::ordered_json;  // keeps the columns in file order
using parquet::ColumnDescriptor;
using parquet::Value;

bool IsTimestamp(const ColumnDescriptor& c) { return c.TypeName().starts_with("TIMESTAMP("); }

int64_t ToMicros(const ColumnDescriptor& c, int64_t v) {
  const std::string type = c.TypeName();
  if (type.starts_with("TIMESTAMP(MILLIS")) return v * 1000;
  if (type.starts_with("TIMESTAMP(NANOS")) return v / 1000;
  return v;
}

// A value as JSON; timestamps as ISO-8601 UTC strings.
json ValueJson(const Value& value, const ColumnDescriptor& c) {
  struct Visitor {
    const ColumnDescriptor& c;
    json operator()(std::monostate) const { return nullptr; }
    json operator()(bool b) const { return b; }
    json operator()(int32_t v) const { return v; }
    json operator()(int64_t v) const {
      return IsTimestamp(c) ? json(FormatUnixMicrosUtc(ToMicros(c, v))) : json(v);
    }
    // JSON has no NaN or infinities (nlohmann would print null): named as strings instead.
    json operator()(double v) const {
      if (std::isnan(v)) return "NaN";
      if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
      return v;
    }
    // Strings are valid UTF-8 in files we write; others may not be, so never throw on them.
    json operator()(const std::string& s) const { return s; }
    json operator()(const Value::List& list) const {
      json out = json::array();
      for (const Value& item : list) out.push_back(std::visit(*this, item.data));
      return out;
    }
  };
  return std::visit(Visitor{c}, value.data);
}

// A statistics bound (PLAIN bytes) decoded by the column's type, or null if it does not fit.
json StatJson(const std::optional<std::string>& bytes, const ColumnDescriptor& c) {
  if (!bytes) return nullptr;
  auto fixed = [&](auto zero) -> json {
    if (bytes->size() != sizeof(zero)) return nullptr;
    std::memcpy(&zero, bytes->data(), sizeof(zero));
    return ValueJson(Value(zero), c);
  };
  switch (c.physical_type) {
    case parquet::PhysicalType::kBoolean:
      return bytes->size() == 1 ? json((*bytes)[0] != 0) : json(nullptr);
    case parquet::PhysicalType::kInt32:
      return fixed(int32_t{0});
    case parquet::PhysicalType::kInt64:
      return fixed(int64_t{0});
    case parquet::PhysicalType::kDouble:
      return fixed(0.0);
    case parquet::PhysicalType::kByteArray:
      return *bytes;
    default:
      return nullptr;
  }
}

std::string EncodingList(const std::vector<parquet::Encoding>& encodings) {
  static const char* kNames[] = {
      "PLAIN",          "GROUP_VAR_INT",       "PLAIN_DICTIONARY",        "RLE",
      "BIT_PACKED",     "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY",
      "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};
  std::string out;
  for (parquet::Encoding e : encodings) {
    const auto i = static_cast<size_t>(e);
    if (!out.empty()) out += ",";
    out += i < std::size(kNames) ? kNames[i] : fmt::format("{}", i);
  }
  return out;
}

json Describe(const parquet::FileReader& reader, const InspectOptions& options) {
  const auto& m = reader.metadata();
  json doc;
  doc["file"] = options.file.string();
  doc["size_bytes"] = reader.file_size();
  doc["created_by"] = m.created_by ? json(*m.created_by) : json(nullptr);
  doc["num_rows"] = m.num_rows;
  doc["columns"] = json::array();
  for (const ColumnDescriptor& c : reader.columns()) {
    doc["columns"].push_back({{"name", c.name},
                              {"type", c.TypeName()},
                              {"nullable", c.nullable},
                              {"path", fmt::format("{}", fmt::join(c.path, "."))}});
  }
  doc["row_groups"] = json::array();
  for (const parquet::RowGroup& group : m.row_groups) {
    json g = {{"num_rows", group.num_rows}, {"columns", json::array()}};
    int64_t compressed = 0, uncompressed = 0;
    for (size_t i = 0; i < group.columns.size(); ++i) {
      const parquet::ColumnMetaData& cm = *group.columns[i].meta_data;
      const ColumnDescriptor& c = reader.columns()[i];
      compressed += cm.total_compressed_size;
      uncompressed += cm.total_uncompressed_size;
      json col = {{"name", c.name},
                  {"codec", parquet::CodecName(cm.codec)},
                  {"encodings", EncodingList(cm.encodings)},
                  {"compressed_bytes", cm.total_compressed_size},
                  {"uncompressed_bytes", cm.total_uncompressed_size},
                  {"num_values", cm.num_values}};
      const auto& stats = cm.statistics;
      col["null_count"] = stats && stats->null_count ? json(*stats->null_count) : json(nullptr);
      // Only min_value/max_value: the legacy min/max of strings are in signed byte order.
      col["min"] = stats ? StatJson(stats->min_value, c) : json(nullptr);
      col["max"] = stats ? StatJson(stats->max_value, c) : json(nullptr);
      g["columns"].push_back(std::move(col));
    }
    g["compressed_bytes"] = compressed;
    g["uncompressed_bytes"] = uncompressed;
    doc["row_groups"].push_back(std::move(g));
  }
  return doc;
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void PrintText(const json& doc, const json& rows) {
  fmt::print("file        {} ({} bytes)\n", Printable(doc["file"].get<std::string>()),
             doc["size_bytes"].get<uint64_t>());
  fmt::print("created_by  {}\n", doc["created_by"].is_null()
                                     ? "(not set)"
                                     : Printable(doc["created_by"].get<std::string>()));
  fmt::print("rows        {} in {} row group(s)\n\n", doc["num_rows"].get<int64_t>(),
             doc["row_groups"].size());
  fmt::print("schema\n");
  for (const json& c : doc["columns"]) {
    fmt::print("  {:<24} {:<26} {}\n", Printable(c["name"].get<std::string>()),
               c["type"].get<std::string>(), c["nullable"].get<bool>() ? "OPTIONAL" : "REQUIRED");
  }
  size_t index = 0;
  for (const json& g : doc["row_groups"]) {
    fmt::print("\nrow group {}: {} rows, {} bytes compressed, {} uncompressed\n", index++,
               g["num_rows"].get<int64_t>(), g["compressed_bytes"].get<int64_t>(),
               g["uncompressed_bytes"].get<int64_t>());
    fmt::print("  {:<24} {:<12} {:<28} {:>10} {:>6}  {}\n", "column", "codec", "encodings", "bytes",
               "nulls", "min .. max");
    for (const json& c : g["columns"]) {
      auto bound = [](const json& b) {
        std::string s = b.is_null() ? "-" : Dump(b);
        return s.size() > 40 ? s.substr(0, 37) + "..." : s;
      };
      fmt::print("  {:<24} {:<12} {:<28} {:>10} {:>6}  {} .. {}\n",
                 Printable(c["name"].get<std::string>()), c["codec"].get<std::string>(),
                 c["encodings"].get<std::string>(), c["compressed_bytes"].get<int64_t>(),
                 c["null_count"].is_null() ? "-" : std::to_string(c["null_count"].get<int64_t>()),
                 bound(c["min"]), bound(c["max"]));
    }
  }
  if (!rows.empty()) {
    fmt::print("\nfirst {} row(s)\n", rows.size());
    for (const json& row : rows) fmt::print("  {}\n", Dump(row));
  }
}

}  // namespace

CLI::App* SetUpInspectCommand(CLI::App& app, InspectOptions& options) {
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Show a Parquet file's schema, row groups, codecs, statistics and first rows");
  inspect->add_option("file", options.file, "Parquet file")->required();
  inspect->add_option("--rows", options.rows, "Rows to print")->capture_default_str();
  inspect->add_flag("--json", options.json, "Print one JSON document");
  return inspect;
}

Status RunInspect(const InspectOptions& options) {
  auto reader = parquet::FileReader::OpenFile(options.file);
  if (!reader.ok()) return reader.status().WithContext("inspect");
  json doc = Describe(**reader, options);
  json rows = json::array();
  if (options.rows > 0) {
    auto values = (*reader)->ReadRows(options.rows);
    if (!values.ok())
      return values.status().WithContext(fmt::format("inspect {}", options.file.string()));
    for (const auto& row : *values) {
      json object = json::object();
      for (size_t c = 0; c < row.size(); ++c) {
        object[(*reader)->columns()[c].name] = ValueJson(row[c], (*reader)->columns()[c]);
      }
      rows.push_back(std::move(object));
    }
  }
  if (options.json) {
    doc["rows"] = rows;
    fmt::print("{}\n", Dump(doc));
  } else {
    PrintText(doc, rows);
  }
  return Status::OK();
}

}  // namespace slack_intel::cli

#pragma once

#include <string>
#include <vector>

namespace slack_intel::parquet {

// The column types we write (docs/parquet-subset.md gives each one's Parquet form).
enum class ColumnType {
  kBoolean,          // BOOLEAN
  kInt32,            // INT32
  kInt64,            // INT64
  kDouble,           // DOUBLE
  kString,           // BYTE_ARRAY, STRING (UTF8); values must be valid UTF-8
  kTimestampMillis,  // INT64, TIMESTAMP(isAdjustedToUTC=true, MILLIS)
  kTimestampMicros,  // INT64, TIMESTAMP(isAdjustedToUTC=true, MICROS)
  kStringList,       // LIST of STRING, standard three-level form, elements optional
};

// One top-level column of a file we write.
struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::kString;
  bool nullable = true;  // OPTIONAL; false = REQUIRED (nulls are refused)
};

using Schema = std::vector<ColumnSpec>;

}  // namespace slack_intel::parquet

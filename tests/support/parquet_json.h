#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "parquet/file_reader.h"
#include "parquet/value.h"

namespace slack_intel::testing {

// A value in the canonical JSON form that tools/parquet-check/check.mjs prints for every
// reader: null, booleans, strings; integers as numbers (decimal strings beyond 2^53); doubles as
// numbers ("NaN", "Infinity", "-Infinity" as strings); timestamps (by the column's type) as
// "YYYY-MM-DDTHH:MM:SS.ffffffZ"; lists as arrays.
nlohmann::json CanonicalJson(const parquet::Value& value, const parquet::ColumnDescriptor& column);

// Every row of `reader` as {"column": canonical value, ...} objects.
nlohmann::json CanonicalRows(const parquet::FileReader& reader);

}  // namespace slack_intel::testing

#pragma once

// Rows for Parquet tests: a schema with every column type we write, a seeded generator of
// rows that cover nulls, empty strings, multi-byte UTF-8 and empty lists, and helpers to write
// rows and read them back.

#include <cstdint>
#include <string>
#include <vector>

#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/value.h"

namespace slack_intel::testing {

using Row = std::vector<parquet::Value>;

// flag BOOLEAN, small INT32, big INT64, ratio DOUBLE, text STRING, ts_ms, ts_us, tags
// LIST<STRING> (all nullable) and id STRING (REQUIRED).
parquet::Schema EveryTypeSchema();

// `count` rows for EveryTypeSchema(), the same for the same seed. No NaN (NaN != NaN).
std::vector<Row> EveryTypeRows(size_t count, uint32_t seed = 1);

// Appends `rows` to `writer` with the Append* call each column type needs.
void AppendRows(parquet::FileWriter& writer, const std::vector<Row>& rows);

// Writes `rows` with `schema` and `options` and returns the file's bytes.
// Throws std::runtime_error if the writer fails.
std::string WriteFile(const parquet::Schema& schema, const std::vector<Row>& rows,
                      const parquet::WriterOptions& options = {});

// Reads every row back with our reader. Throws std::runtime_error on failure.
std::vector<Row> ReadBack(const std::string& bytes);

}  // namespace slack_intel::testing

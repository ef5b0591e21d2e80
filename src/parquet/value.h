#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace slack_intel::parquet {

// One value as read from a file: null, a primitive, or a list of values. Timestamps are
// INT64 counts in their column's unit (the ColumnDescriptor says which).
struct Value {
  using List = std::vector<Value>;
  std::variant<std::monostate, bool, int32_t, int64_t, double, std::string, List> data;

  Value() = default;
  template <typename T>
  Value(T v) : data(std::move(v)) {}  // NOLINT: implicit, for readable expectations in tests
  Value(const char* s) : data(std::string(s)) {}  // NOLINT

  bool is_null() const { return std::holds_alternative<std::monostate>(data); }
  friend bool operator==(const Value&, const Value&) = default;
};

// Renders a value for people: null, true, 42, 1.5, "text", ["a", null].
std::string ToDisplayString(const Value& value);

}  // namespace slack_intel::parquet

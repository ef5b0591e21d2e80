#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "util/status.h"

namespace slack_intel {

// A value of type T, or the non-OK Status saying why there is none. GCC 12 has no
// std::expected; this is the small part of it we need.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  // REQUIRES: !status.ok(). A Result never holds an OK status without a value.
  Result(Status status) : state_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(state_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(state_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace slack_intel

// `SLACK_INTEL_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from the Result's value, or
// returns the Result's status from the enclosing function.
#define SLACK_INTEL_ASSIGN_OR_RETURN(lhs, expr)                                                  \
  SLACK_INTEL_ASSIGN_OR_RETURN_IMPL_(SLACK_INTEL_CONCAT_(slack_intel_result_, __COUNTER__), lhs, \
                                     expr)
#define SLACK_INTEL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                       \
  if (!tmp.ok()) return tmp.status();                      \
  lhs = std::move(tmp).value()

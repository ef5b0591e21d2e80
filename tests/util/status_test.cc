#include "util/status.h"

#include <gtest/gtest.h>

#include "util/result.h"

namespace slack_intel {
namespace {

TEST(Status, DefaultIsOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.ToString(), "OK");
}

TEST(Status, ContextReadsLikeAPathFromOuterToInner) {
  Status status = Status::Unavailable("503 SlowDown (5 attempts)")
                      .WithContext("s3 PUT")
                      .WithContext("upload dt=2024-05-01/data.parquet")
                      .WithContext("sync");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "sync: upload dt=2024-05-01/data.parquet: s3 PUT: 503 SlowDown (5 attempts)");
}

TEST(Status, ContextLeavesOkAlone) {
  EXPECT_TRUE(Status::OK().WithContext("sync").ok());
  EXPECT_EQ(Status::OK().WithContext("sync").message(), "");
}

TEST(Status, EveryCodeHasAName) {
  for (StatusCode code :
       {StatusCode::kOk, StatusCode::kInvalidArgument, StatusCode::kNotFound,
        StatusCode::kPermissionDenied, StatusCode::kUnauthenticated, StatusCode::kResourceExhausted,
        StatusCode::kUnavailable, StatusCode::kCorruption, StatusCode::kIOError,
        StatusCode::kCancelled, StatusCode::kInternal}) {
    EXPECT_FALSE(StatusCodeName(code).empty());
    EXPECT_NE(StatusCodeName(code), "unknown");
  }
}

Status FailsWhen(bool fail) {
  if (fail) return Status::Corruption("bad footer");
  return Status::OK();
}

Status Outer(bool fail) {
  SLACK_INTEL_RETURN_IF_ERROR(FailsWhen(fail));
  return Status::NotFound("reached the end");
}

TEST(Status, ReturnIfErrorStopsAtTheFirstFailure) {
  EXPECT_EQ(Outer(true).code(), StatusCode::kCorruption);
  EXPECT_EQ(Outer(false).code(), StatusCode::kNotFound);
}

Result<int> Parse(bool fail) {
  if (fail) return Status::InvalidArgument("not a number");
  return 42;
}

Result<int> Doubled(bool fail) {
  SLACK_INTEL_ASSIGN_OR_RETURN(int value, Parse(fail));
  return value * 2;
}

TEST(Result, HoldsAValueOrTheReasonThereIsNone) {
  Result<int> good = Parse(false);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  EXPECT_TRUE(good.status().ok());

  Result<int> bad = Parse(true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "not a number");
}

TEST(Result, AssignOrReturnPropagatesTheError) {
  EXPECT_EQ(*Doubled(false), 84);
  EXPECT_EQ(Doubled(true).status().code(), StatusCode::kInvalidArgument);
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(7);
  std::unique_ptr<int> taken = std::move(result).value();
  EXPECT_EQ(*taken, 7);
}

}  // namespace
}  // namespace slack_intel

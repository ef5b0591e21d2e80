#include "s3/replies.h"

#include <gtest/gtest.h>

#include <string>

namespace slack_intel::s3 {
namespace {

TEST(S3Replies, AListingPageWithUrlEncodedKeys) {
  std::string body =
      R"(<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><EncodingType>url</EncodingType>)"
      R"(<Contents><Key>prod/messages/dt%3D2025-10-21/channel%3Ddev+ops/data.parquet</Key>)"
      R"(<Size>1234</Size><ETag>&quot;abc&quot;</ETag><LastModified>2025-10-21T00:00:00.000Z)"
      R"(</LastModified></Contents><IsTruncated>true</IsTruncated>)"
      R"(<NextContinuationToken>tok</NextContinuationToken></ListBucketResult>)";
  auto page = ParseListObjectsV2(body);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "prod/messages/dt=2025-10-21/channel=dev ops/data.parquet");
  EXPECT_EQ(page->objects[0].size_bytes, 1234u);
  EXPECT_EQ(page->objects[0].etag, "abc");
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_continuation_token, "tok");
}

TEST(S3Replies, WhatIsNotTheReplyIsCorruption) {
  for (std::string body : {std::string("not xml <"), std::string("<Other/>"),
                           std::string("<ListBucketResult><IsTruncated>true</IsTruncated>"
                                       "</ListBucketResult>")}) {
    auto page = ParseListObjectsV2(body);
    ASSERT_FALSE(page.ok()) << body;
    EXPECT_EQ(page.status().code(), StatusCode::kCorruption);
  }
  std::string no_id = "<InitiateMultipartUploadResult/>";
  EXPECT_EQ(ParseCreateMultipartUpload(no_id).status().code(), StatusCode::kCorruption);
  std::string no_markers =
      "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated></ListMultipartUploadsResult>";
  EXPECT_EQ(ParseListMultipartUploads(no_markers).status().code(), StatusCode::kCorruption);
}

// pugixml expands no external or custom entities: a reply cannot read files or balloon.
TEST(S3Replies, EntityTricksExpandToNothing) {
  std::string body =
      R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">)"
      R"(<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>)"
      R"(<ListBucketResult><Contents><Key>&e;&b;</Key></Contents></ListBucketResult>)";
  auto page = ParseListObjectsV2(body);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key.find("root"), std::string::npos);
  EXPECT_LT(page->objects[0].key.size(), 32u);
}

TEST(S3Replies, DeleteFailuresAndCompleteEtag) {
  std::string deleted =
      "<DeleteResult><Error><Key>k</Key><Code>AccessDenied</Code><Message>no</Message></Error>"
      "</DeleteResult>";
  auto failures = ParseDeleteObjects(deleted);
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].code, "AccessDenied");
  std::string completed =
      "<CompleteMultipartUploadResult><ETag>\"e-3\"</ETag></CompleteMultipartUploadResult>";
  EXPECT_EQ(*ParseCompleteMultipartUpload(completed), "e-3");
}

}  // namespace
}  // namespace slack_intel::s3

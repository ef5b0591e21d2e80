// The lifecycle rule `slack-intel lifecycle` writes, merged into a bucket's configuration: the
// bucket's other rules stay exactly as they were, ours is replaced in place, and rules S3
// would refuse are refused here with S3's reason.

#include "s3/lifecycle.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>
#include <vector>

namespace slack_intel::s3 {
namespace {

LifecycleRule Tiering(const std::string& prefix) {
  return {LifecycleRuleId(prefix), prefix, 30, "INTELLIGENT_TIERING", 0};
}

std::vector<std::string> RuleIds(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  std::vector<std::string> ids;
  for (pugi::xml_node rule : doc.child("LifecycleConfiguration").children("Rule"))
    ids.push_back(rule.child_value("ID"));
  return ids;
}

TEST(MergeLifecycleRule, ABucketWithoutRulesGetsOursInS3sShape) {
  const auto xml = MergeLifecycleRule("", {"slack-intel prod/", "prod/", 30, "GLACIER_IR", 400});
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml->c_str()));
  const pugi::xml_node root = doc.child("LifecycleConfiguration");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://s3.amazonaws.com/doc/2006-03-01/");
  const pugi::xml_node rule = root.child("Rule");
  EXPECT_STREQ(rule.child_value("ID"), "slack-intel prod/");
  EXPECT_STREQ(rule.child("Filter").child_value("Prefix"), "prod/");
  EXPECT_STREQ(rule.child_value("Status"), "Enabled");
  EXPECT_STREQ(rule.child("Transition").child_value("Days"), "30");
  EXPECT_STREQ(rule.child("Transition").child_value("StorageClass"), "GLACIER_IR");
  EXPECT_STREQ(rule.child("Expiration").child_value("Days"), "400");
  EXPECT_FALSE(rule.next_sibling("Rule"));
}

TEST(MergeLifecycleRule, OtherRulesStayAsTheyWereAndOursIsReplacedInPlace) {
  const std::string existing =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Rule><ID>logs</ID><Filter><And><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value>"
      "</Tag></And></Filter><Status>Disabled</Status><Expiration><Days>3</Days></Expiration>"
      "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
      "</NoncurrentVersionExpiration></Rule>"
      "<Rule><ID>slack-intel prod/</ID><Filter><Prefix>prod/</Prefix></Filter>"
      "<Status>Enabled</Status><Expiration><Days>9</Days></Expiration></Rule>"
      "<Rule><ID>uploads</ID><Filter/><Status>Enabled</Status><AbortIncompleteMultipartUpload>"
      "<DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>"
      "</LifecycleConfiguration>";
  const auto xml = MergeLifecycleRule(existing, Tiering("prod/"));
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  EXPECT_EQ(RuleIds(*xml), (std::vector<std::string>{"logs", "slack-intel prod/", "uploads"}));
  // The others, element for element.
  pugi::xml_document before, after;
  ASSERT_TRUE(before.load_string(existing.c_str()));
  ASSERT_TRUE(after.load_string(xml->c_str()));
  const auto text = [](pugi::xml_node node) {
    struct Writer : pugi::xml_writer {
      std::string out;
      void write(const void* data, size_t size) override {
        out.append(static_cast<const char*>(data), size);
      }
    } writer;
    node.print(writer, "", pugi::format_raw);
    return writer.out;
  };
  const auto rules = [](pugi::xml_document& doc) {
    std::vector<pugi::xml_node> out;
    for (pugi::xml_node r : doc.child("LifecycleConfiguration").children("Rule")) out.push_back(r);
    return out;
  };
  EXPECT_EQ(text(rules(after)[0]), text(rules(before)[0]));
  EXPECT_EQ(text(rules(after)[2]), text(rules(before)[2]));
  // Ours: the new settings, nothing of the old rule left.
  const pugi::xml_node ours = rules(after)[1];
  EXPECT_STREQ(ours.child("Transition").child_value("StorageClass"), "INTELLIGENT_TIERING");
  EXPECT_FALSE(ours.child("Expiration"));

  // Another prefix is another rule.
  const auto two = MergeLifecycleRule(*xml, Tiering("dev/"));
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(RuleIds(*two),
            (std::vector<std::string>{"logs", "slack-intel prod/", "uploads", "slack-intel dev/"}));
}

TEST(MergeLifecycleRule, AConfigurationThatIsNotOneIsRefused) {
  for (const char* bad : {"not xml at all <", "<Error><Code>AccessDenied</Code></Error>"}) {
    EXPECT_EQ(MergeLifecycleRule(bad, Tiering("")).status().code(), StatusCode::kCorruption) << bad;
  }
}

TEST(CheckLifecycleRule, RefusesWhatS3WouldRefuseWithItsReason) {
  EXPECT_TRUE(CheckLifecycleRule(Tiering("p/")).ok());
  EXPECT_TRUE(CheckLifecycleRule({"id", "", 0, "", 365}).ok());  // expiration alone
  struct Case {
    LifecycleRule rule;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {{"id", "", 0, "", 0}, "needs --transition-days or --expire-days"},
           {{"id", "", 30, "", 0}, "--storage-class '' is not one S3 moves objects to"},
           {{"id", "", 30, "STANDARD", 0}, "is not one S3 moves objects to"},
           {{"id", "", 10, "STANDARD_IA", 0}, "STANDARD_IA only 30 days or more"},
           {{"id", "", 60, "GLACIER", 60}, "--expire-days (60) must come after"}}) {
    const Status status = CheckLifecycleRule(c.rule);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.says;
    EXPECT_NE(status.message().find(c.says), std::string::npos) << status.message();
  }
  EXPECT_EQ(LifecycleRuleId(""), "slack-intel");
  EXPECT_EQ(LifecycleRuleId("prod/"), "slack-intel prod/");
}

}  // namespace
}  // namespace slack_intel::s3

#pragma once

#include <string>

#include "util/result.h"

namespace slack_intel::s3 {

// One bucket lifecycle rule the way `slack-intel lifecycle` writes it (docs/lifecycle.md).
struct LifecycleRule {
  std::string id;             // replaces a rule of the same ID, if the bucket has one
  std::string prefix;         // the objects it applies to; "" = the whole bucket
  int transition_days = 0;    // days after creation; 0 = no transition
  std::string storage_class;  // INTELLIGENT_TIERING, STANDARD_IA, GLACIER_IR, ...
  int expire_days = 0;        // days after creation; 0 = never
};

// The ID `slack-intel lifecycle` gives its rule for a prefix: one rule per prefix, so running
// it again for the same prefix updates that rule and no other.
std::string LifecycleRuleId(const std::string& prefix);

// Errors: kInvalidArgument for a rule S3 would refuse, said in S3's terms: nothing to do,
// a transition without a class or an unknown class, STANDARD_IA or ONEZONE_IA before day 30,
// an expiration not after the transition.
Status CheckLifecycleRule(const LifecycleRule& rule);

// The bucket's LifecycleConfiguration XML `existing` ("" when it has none) with `rule` in place
// of any rule with the same ID, added otherwise; every other rule is kept exactly as it was.
// Errors: kCorruption when `existing` is not a LifecycleConfiguration document.
Result<std::string> MergeLifecycleRule(const std::string& existing, const LifecycleRule& rule);

}  // namespace slack_intel::s3

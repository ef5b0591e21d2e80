#include "sync/key_filter.h"

#include <fnmatch.h>

namespace slack_intel::sync {

bool KeyFilter::Includes(const std::string& key) const {
  bool included = true;
  for (const Rule& rule : rules_) {
    // No FNM_PATHNAME: '*' crosses '/', as in aws s3's filters.
    if (::fnmatch(rule.pattern.c_str(), key.c_str(), 0) == 0) included = rule.include;
  }
  return included;
}

}  // namespace slack_intel::sync

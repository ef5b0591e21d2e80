#pragma once

#include <string>
#include <vector>

namespace slack_intel::sync {

// aws s3 sync's --exclude/--include: every key is included until a filter says otherwise, the
// filters apply in the order given and the last one that matches decides. Patterns are
// globs matched against the whole key relative to the prefix ("messages/dt=2026-*/*"): '*'
// matches any run of characters including '/', '?' one character, "[abc]" / "[!abc]" sets.
class KeyFilter {
 public:
  void Exclude(std::string pattern) { rules_.push_back({false, std::move(pattern)}); }
  void Include(std::string pattern) { rules_.push_back({true, std::move(pattern)}); }

  bool Includes(const std::string& key) const;
  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    bool include;
    std::string pattern;
  };
  std::vector<Rule> rules_;
};

}  // namespace slack_intel::sync

#include "sync/merge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace slack_intel::sync {
namespace {

// A listing of objects given in order.
class VectorListing final : public store::ObjectListing {
 public:
  explicit VectorListing(std::vector<std::string> keys) {
    for (std::string& key : keys) objects_.push_back({std::move(key), 1, 0, "", {}});
  }
  Result<std::optional<store::ObjectInfo>> Next() override {
    if (next_ == objects_.size()) return std::optional<store::ObjectInfo>();
    return std::optional<store::ObjectInfo>(objects_[next_++]);
  }

 private:
  std::vector<store::ObjectInfo> objects_;
  size_t next_ = 0;
};

// "c" cache only, "b" bucket only, "cb" both, per key in order.
std::vector<std::pair<std::string, std::string>> Merge(std::vector<std::string> cache,
                                                       std::vector<std::string> bucket,
                                                       bool no_cache = false) {
  VectorListing cache_listing(std::move(cache)), bucket_listing(std::move(bucket));
  ListingMerge merge(no_cache ? nullptr : &cache_listing, bucket_listing);
  std::vector<std::pair<std::string, std::string>> out;
  Item item;
  while (true) {
    auto more = merge.Next(item);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) return out;
    out.emplace_back(item.key(), std::string(item.cache ? "c" : "") + (item.bucket ? "b" : ""));
  }
}

TEST(ListingMerge, JoinsTwoSortedListingsKeyByKey) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Merge({"a-b", "a/x", "b"}, {"a/x", "a0", "c"}),
            (Pairs{{"a-b", "c"}, {"a/x", "cb"}, {"a0", "b"}, {"b", "c"}, {"c", "b"}}));
  EXPECT_EQ(Merge({}, {"k"}), (Pairs{{"k", "b"}}));
  EXPECT_EQ(Merge({"k"}, {}), (Pairs{{"k", "c"}}));
  EXPECT_EQ(Merge({"k"}, {"k"}, /*no_cache=*/true), (Pairs{{"k", "b"}}));
  EXPECT_TRUE(Merge({}, {}).empty());
}

// PlanKey: one row per case, the same rules for a push and a pull.
TEST(PlanKey, EveryCaseOfOneKey) {
  struct Row {
    const char* what;
    KeyFacts facts;
    bool delete_removed;
    ActionKind kind;
    bool ignored;
  };
  using A = ActionKind;
  const Row rows[] = {
      {"source only", {true, false, true, false, A::kTransfer, false}, false, A::kTransfer, false},
      {"destination only",
       {false, true, true, false, A::kTransfer, false},
       false,
       A::kDelete,
       true},
      {"destination only, --delete",
       {false, true, true, false, A::kTransfer, false},
       true,
       A::kDelete,
       false},
      {"both, other size",
       {true, true, true, false, A::kTransfer, false},
       false,
       A::kTransfer,
       false},
      {"both, same size", {true, true, true, false, A::kCompare, false}, false, A::kCompare, false},
      {"both, the manifest knows them the same",
       {true, true, true, false, A::kCompare, true},
       false,
       A::kSkip,
       false},
      {"both, --compare size", {true, true, true, false, A::kSkip, false}, false, A::kSkip, false},
      {"excluded", {true, true, false, false, A::kTransfer, false}, true, A::kSkip, true},
      {"excluded, destination only",
       {false, true, false, false, A::kTransfer, false},
       true,
       A::kSkip,
       true},
      {"an early upload", {true, true, true, true, A::kCompare, false}, false, A::kTransfer, false},
      {"neither (a refused side)",
       {false, false, true, false, A::kTransfer, false},
       true,
       A::kSkip,
       true},
  };
  for (const Row& row : rows) {
    const KeyPlan plan = PlanKey(row.facts, row.delete_removed);
    EXPECT_EQ(plan.kind, row.kind) << row.what;
    EXPECT_EQ(plan.ignored, row.ignored) << row.what;
  }
}

}  // namespace
}  // namespace slack_intel::sync

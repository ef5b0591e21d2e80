#include "s3/lifecycle.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <pugixml.hpp>
#include <string_view>

namespace slack_intel::s3 {
namespace {

constexpr char kNamespace[] = "http://s3.amazonaws.com/doc/2006-03-01/";
// The classes a lifecycle rule may move objects to (S3's Transition StorageClass).
constexpr std::array<std::string_view, 6> kTransitionClasses = {
    "INTELLIGENT_TIERING", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"};

std::string_view Local(const char* name) {
  std::string_view n = name;
  const size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

void AppendRule(pugi::xml_node root, const LifecycleRule& rule) {
  pugi::xml_node node = root.append_child("Rule");
  node.append_child("ID").text() = rule.id.c_str();
  node.append_child("Filter").append_child("Prefix").text() = rule.prefix.c_str();
  node.append_child("Status").text() = "Enabled";
  if (rule.transition_days > 0) {
    pugi::xml_node transition = node.append_child("Transition");
    transition.append_child("Days").text() = rule.transition_days;
    transition.append_child("StorageClass").text() = rule.storage_class.c_str();
  }
  if (rule.expire_days > 0) {
    node.append_child("Expiration").append_child("Days").text() = rule.expire_days;
  }
}

}  // namespace

std::string LifecycleRuleId(const std::string& prefix) {
  return prefix.empty() ? "slack-intel" : "slack-intel " + prefix;
}

Status CheckLifecycleRule(const LifecycleRule& rule) {
  if (rule.transition_days <= 0 && rule.expire_days <= 0) {
    return Status::InvalidArgument("a lifecycle rule needs --transition-days or --expire-days");
  }
  if (rule.transition_days > 0) {
    if (std::find(kTransitionClasses.begin(), kTransitionClasses.end(), rule.storage_class) ==
        kTransitionClasses.end()) {
      return Status::InvalidArgument(
          fmt::format("--storage-class '{}' is not one S3 moves objects to: {}", rule.storage_class,
                      fmt::join(kTransitionClasses, ", ")));
    }
    if ((rule.storage_class == "STANDARD_IA" || rule.storage_class == "ONEZONE_IA") &&
        rule.transition_days < 30) {
      return Status::InvalidArgument(
          fmt::format("S3 moves objects to {} only 30 days or more after creation, not {}",
                      rule.storage_class, rule.transition_days));
    }
  }
  if (rule.expire_days > 0 && rule.transition_days > 0 &&
      rule.expire_days <= rule.transition_days) {
    return Status::InvalidArgument(
        fmt::format("--expire-days ({}) must come after --transition-days ({})", rule.expire_days,
                    rule.transition_days));
  }
  return Status::OK();
}

Result<std::string> MergeLifecycleRule(const std::string& existing, const LifecycleRule& rule) {
  pugi::xml_document before;
  if (!existing.empty()) {
    if (!before.load_buffer(existing.data(), existing.size()) ||
        Local(before.document_element().name()) != "LifecycleConfiguration") {
      return Status::Corruption("the bucket's lifecycle configuration is not readable XML");
    }
  }
  pugi::xml_document after;
  pugi::xml_node root = after.append_child("LifecycleConfiguration");
  root.append_attribute("xmlns") = kNamespace;
  bool placed = false;
  for (pugi::xml_node node : before.document_element().children()) {
    if (node.type() != pugi::node_element) continue;
    const bool ours =
        Local(node.name()) == "Rule" && std::string_view(node.child_value("ID")) == rule.id;
    if (ours && !placed) {
      AppendRule(root, rule);  // where the old one was, so the order of rules stays
      placed = true;
    } else if (!ours) {
      root.append_copy(node);
    }
  }
  if (!placed) AppendRule(root, rule);
  struct Writer : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override {
      out.append(static_cast<const char*>(data), size);
    }
  } writer;
  after.save(writer, "  ", pugi::format_indent | pugi::format_no_declaration);
  return writer.out;
}

}  // namespace slack_intel::s3

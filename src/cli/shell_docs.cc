#include "cli/shell_docs.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string_view>
#include <vector>

#include "slack_intel/version.h"

namespace slack_intel::cli {
namespace {

// A visible command, with its path ("config show") and the App that defines it.
struct Command {
  std::string path;
  const CLI::App* app;
};

bool Visible(const CLI::App* app) { return !app->get_group().empty(); }

void Collect(const CLI::App& app, const std::string& prefix, std::vector<Command>& out) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return Visible(a); })) {
    const std::string path = prefix.empty() ? sub->get_name() : prefix + " " + sub->get_name();
    out.push_back({path, sub});
    Collect(*sub, path, out);
  }
}

std::vector<Command> Commands(const CLI::App& app) {
  std::vector<Command> out;
  Collect(app, "", out);
  return out;
}

// Every spelling of the command's flags: --days, -v, --no-sync, ...
std::vector<std::string> Flags(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional() && opt->get_lnames().empty() && opt->get_snames().empty()) continue;
    for (const std::string& name : opt->get_snames()) out.push_back("-" + name);
    for (const std::string& name : opt->get_lnames()) out.push_back("--" + name);
  }
  return out;
}

// Whether the option takes a value (a flag does not): CLI11's own help decides the same way.
bool TakesValue(const CLI::Option* opt) {
  return opt->get_type_size() != 0 && !opt->get_type_name().empty();
}

bool TakesPath(const CLI::Option* opt) {
  for (const std::string& name : opt->get_lnames()) {
    if (name == "cache-path" || name == "config") return true;
  }
  return false;
}

// Text for a zsh _arguments description: no brackets or colons, quotes closed.
std::string ZshText(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']') out += '(';
    if (c == '[' || c == ']') continue;
    if (c == ':')
      out += " -";
    else if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out;
}

// Text for troff: backslashes and leading dots escaped, dashes as ASCII hyphens.
std::string Troff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

std::string OptionSynopsis(const CLI::Option* opt) {
  std::string names;
  for (const std::string& s : opt->get_snames()) names += (names.empty() ? "-" : ", -") + s;
  for (const std::string& l : opt->get_lnames()) names += (names.empty() ? "--" : ", --") + l;
  if (names.empty()) names = opt->get_name();
  // CLI11's type names ("INT:INT in [1 - 36500]") up to the check.
  if (TakesValue(opt) && !opt->get_positional())
    names += " " + opt->get_type_name().substr(0, opt->get_type_name().find(':'));
  return names;
}

}  // namespace

std::string BashCompletion(const CLI::App& app) {
  std::string cases;
  std::string top;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return Visible(a); }))
    top += " " + sub->get_name();
  for (const std::string& flag : Flags(app)) top += " " + flag;
  std::string matches;
  for (const Command& c : Commands(app)) {
    std::vector<std::string> list;
    for (const CLI::App* sub : c.app->get_subcommands([](const CLI::App* a) { return Visible(a); }))
      list.push_back(sub->get_name());
    for (const std::string& flag : Flags(*c.app)) list.push_back(flag);
    for (const std::string& flag : Flags(app)) list.push_back(flag);  // global flags go anywhere
    std::string words;
    for (size_t i = 0; i < list.size(); ++i) {
      if (std::find(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(i), list[i]) ==
          list.begin() + static_cast<std::ptrdiff_t>(i))
        words += " " + list[i];
    }
    cases += fmt::format("    \"{}\") words=\"{}\" ;;\n", c.path, words.substr(1));
    matches += fmt::format(" {}", c.app->get_name());
  }
  return fmt::format(
      "# bash completion for slack-intel {} (generated: slack-intel completion bash)\n"
      "_slack_intel() {{\n"
      "  local cur=\"${{COMP_WORDS[COMP_CWORD]}}\" prev=\"${{COMP_WORDS[COMP_CWORD-1]}}\"\n"
      "  local path=\"\" word i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    word=\"${{COMP_WORDS[i]}}\"\n"
      "    case \" {} \" in *\" $word \"*) path=\"${{path:+$path }}$word\" ;; esac\n"
      "  done\n"
      "  case \"$prev\" in\n"
      "    --cache-path|--config) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
      "  esac\n"
      "  local words\n"
      "  case \"$path\" in\n"
      "{}"
      "    *) words=\"{}\" ;;\n"
      "  esac\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "}}\n"
      "complete -o default -F _slack_intel slack-intel\n",
      kVersion, matches.substr(1), cases, top.substr(1));
}

std::string ZshCompletion(const CLI::App& app) {
  std::string functions;
  const auto arguments = [](const CLI::App& command) {
    std::string out;
    for (const CLI::Option* opt : command.get_options()) {
      if (opt->get_positional() && opt->get_lnames().empty()) {
        out += " \\\n    '*:file:_files'";
        continue;
      }
      const std::string description = ZshText(opt->get_description());
      const std::string value = !TakesValue(opt) ? "" : TakesPath(opt) ? ":path:_files" : ":value:";
      for (const std::string& s : opt->get_snames())
        out += fmt::format(" \\\n    '-{}[{}]{}'", s, description, value);
      for (const std::string& l : opt->get_lnames())
        out += fmt::format(" \\\n    '--{}[{}]{}'", l, description, value);
    }
    return out;
  };
  const auto subcommand_list = [](const CLI::App& command) {
    std::string out;
    for (const CLI::App* sub :
         command.get_subcommands([](const CLI::App* a) { return Visible(a); })) {
      out += fmt::format(" '{}:{}'", sub->get_name(), ZshText(sub->get_description()));
    }
    return out;
  };
  for (const Command& c : Commands(app)) {
    const std::string name = "_slack_intel_" + [&] {
      std::string n = c.path;
      for (char& ch : n)
        if (ch == ' ' || ch == '-') ch = '_';
      return n;
    }();
    const std::string subs = subcommand_list(*c.app);
    if (!subs.empty()) {
      functions += fmt::format(
          "{}() {{\n  local -a commands=({})\n  _arguments -C{} '1: :->cmd' '*:: :->args'\n"
          "  case $state in\n    cmd) _describe 'command' commands ;;\n"
          "    args) _call_function ret {}_$words[1] ;;\n  esac\n}}\n",
          name, subs, arguments(*c.app), name);
    } else {
      functions += fmt::format("{}() {{\n  _arguments{}\n}}\n", name, arguments(*c.app));
    }
  }
  return fmt::format(
      "#compdef slack-intel\n"
      "# zsh completion for slack-intel {} (generated: slack-intel completion zsh)\n"
      "{}"
      "_slack_intel() {{\n"
      "  local -a commands=({})\n"
      "  _arguments -C{} '1: :->cmd' '*:: :->args'\n"
      "  case $state in\n"
      "    cmd) _describe 'command' commands ;;\n"
      "    args) _call_function ret _slack_intel_${{words[1]//-/_}} ;;\n"
      "  esac\n"
      "}}\n"
      "_slack_intel \"$@\"\n",
      kVersion, functions, subcommand_list(app), arguments(app));
}

std::string ManPage(const CLI::App& app) {
  std::string out = fmt::format(
      ".TH SLACK\\-INTEL 1 \"\" \"slack-intel {}\" \"User Commands\"\n"
      ".SH NAME\n"
      "slack\\-intel \\- {}\n"
      ".SH SYNOPSIS\n"
      ".B slack\\-intel\n"
      "[\\fIGLOBAL FLAGS\\fR] \\fICOMMAND\\fR [\\fIFLAGS\\fR]\n"
      ".SH DESCRIPTION\n"
      "Fetches a Slack workspace's history (and the Jira tickets it mentions) into a local "
      "hive\\-partitioned Parquet cache \\(em \\fIcache/raw/messages/dt=YYYY\\-MM\\-DD/"
      "channel=NAME/data.parquet\\fR, \\fIcache/raw/jira/dt=YYYY\\-MM\\-DD/data.parquet\\fR, "
      "\\fIcache/users.parquet\\fR \\(em and syncs it incrementally to S3, where Athena, Glue, "
      "Spark, Trino and DuckDB query it.\n"
      ".SH GLOBAL FLAGS\n",
      kVersion, Troff(app.get_description().substr(app.get_description().find(':') + 2)));
  const auto options = [](const CLI::App& command) {
    std::string text;
    for (const CLI::Option* opt : command.get_options()) {
      text += fmt::format(".TP\n.B {}\n{}{}\n", Troff(OptionSynopsis(opt)),
                          Troff(opt->get_description()),
                          opt->get_default_str().empty()
                              ? ""
                              : Troff(fmt::format(" (default: {})", opt->get_default_str())));
    }
    return text;
  };
  out += options(app);
  out += ".SH COMMANDS\n";
  for (const Command& c : Commands(app)) {
    out += fmt::format(".SS {}\n{}\n", Troff(c.path), Troff(c.app->get_description()));
    out += options(*c.app);
  }
  out +=
      ".SH EXAMPLES\n"
      "The daily workflow of the user guide: cache the last days, then sync (one command):\n"
      ".PP\n.nf\n"
      "slack\\-intel cache \\-\\-days 2 \\-\\-sync \\-\\-bucket company\\-slack\\-data "
      "\\-\\-prefix prod/\n"
      ".fi\n.PP\n"
      "A first full load from a workspace export, then the Athena tables:\n"
      ".PP\n.nf\n"
      "slack\\-intel import export.zip\n"
      "slack\\-intel sync \\-\\-bucket my\\-slack\\-data \\-\\-prefix prod/ \\-\\-dry\\-run\n"
      "slack\\-intel sync \\-\\-bucket my\\-slack\\-data \\-\\-prefix prod/\n"
      "slack\\-intel athena\\-ddl \\-\\-bucket my\\-slack\\-data \\-\\-prefix prod/ "
      "\\-\\-projection > tables.sql\n"
      ".fi\n.PP\n"
      "A named AWS profile and region, old files removed remotely:\n"
      ".PP\n.nf\n"
      "slack\\-intel sync \\-\\-bucket prod\\-slack\\-data \\-\\-prefix prod/ \\-\\-profile "
      "production \\-\\-region us\\-west\\-2 \\-\\-delete\n"
      ".fi\n.PP\n"
      "When something fails: \\fBslack\\-intel doctor\\fR names each problem with its fix.\n"
      ".SH EXIT STATUS\n"
      "0 success; 1 failure (one line on stderr says what and how to fix it); 2 usage error.\n"
      ".SH ENVIRONMENT\n"
      ".TP\n.B SLACK_TOKEN\nThe Slack bot token (also SLACK_BOT_TOKEN); never a flag.\n"
      ".TP\n.B SLACK_API_URL\nAnother Slack API base (an Enterprise proxy).\n"
      ".TP\n.B JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN\nJira Cloud access for ticket fields.\n"
      ".TP\n.B AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID, ...\nThe AWS credential chain, as the "
      "aws cli reads it.\n"
      ".TP\n.B SLACK_INTEL_CONFIG\nThe config file to read.\n"
      ".SH FILES\n"
      ".TP\n.I ./.slack-intel.yaml, ~/.config/slack\\-intel/config.yaml\nThe config file "
      "(\\fBslack\\-intel config show\\fR prints what it sets).\n"
      ".TP\n.I cache/.slack\\-intel/\nThe cache's own state: the run lock, sync's manifests.\n"
      ".SH SEE ALSO\n"
      ".BR aws (1),\n.BR rclone (1)\n";
  return out;
}

}  // namespace slack_intel::cli

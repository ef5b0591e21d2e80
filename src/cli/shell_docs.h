#pragma once

#include <string>

namespace CLI {
class App;
}

namespace slack_intel::cli {

// Shell completion and the man page, generated from the command definitions themselves, so
// they cannot drift from the flags (`slack-intel completion bash|zsh`, `slack-intel man`; the
// build installs their output).

// A bash completion script: subcommands, then each one's flags; files where a value is a path.
std::string BashCompletion(const CLI::App& app);
// A zsh completion script (#compdef), flags with their descriptions.
std::string ZshCompletion(const CLI::App& app);
// slack-intel(1) in troff (man) format: every command and flag, the workflows of the user
// guide as examples, exit status, files, environment.
std::string ManPage(const CLI::App& app);

}  // namespace slack_intel::cli

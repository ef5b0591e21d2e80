#pragma once

#include <string>
#include <string_view>

namespace slack_intel {

// `text` made safe to print on a terminal or in line-based output, for bytes that came from a
// server or a file (keys, channel names, error bodies, status lines): control characters
// (C0, DEL, C1), Unicode's bidirectional overrides and isolates (which reorder what a terminal
// shows) and bytes that are not UTF-8 are written as escapes: "\n", "\r", "\t", "\e", "\xNN"
// for bytes, "\uNNNN" for code points. So no byte can move the cursor, change colours, forge
// a second output line or hide part of a name. Everything else, other scripts and emoji
// included, is kept as is; text that needs no escape is returned unchanged.
std::string Printable(std::string_view text);

}  // namespace slack_intel

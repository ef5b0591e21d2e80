// Feeds arbitrary bytes to the .slack-intel.yaml reader: settings or an error naming the file,
// never a crash or an exception that escapes.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)slack_intel::config::ParseConfigFile(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  return 0;
}

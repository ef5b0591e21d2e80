// Feeds arbitrary bytes to the Slack export reader as a ZIP file (written to a temp file, since
// exports are read in place): it must list and read the entries or refuse the archive (not a
// ZIP, zip-slip names, CRC errors, entries too big), never crash or write anywhere.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "import/export_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("slack-intel-zip-fuzz-" + std::to_string(::getpid()) + ".zip");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto archive = slack_intel::import::ExportArchive::Open(path);
  if (!archive.ok()) return 0;
  for (const std::string& file : (*archive)->files()) {
    // Zip-slip: no entry may name a path outside the export.
    if (file.starts_with("/") || file == ".." || file.starts_with("../") ||
        file.find("/../") != std::string::npos || file.ends_with("/.."))
      __builtin_trap();
    (void)(*archive)->Read(file);
  }
  return 0;
}

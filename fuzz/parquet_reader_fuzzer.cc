// Feeds arbitrary bytes to the Parquet reader: it must return an error or values, never crash,
// hang or allocate without bound (libFuzzer's -rss_limit_mb and -malloc_limit_mb catch that).

#include <cstddef>
#include <cstdint>
#include <string>

#include "parquet/file_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = slack_intel::parquet::FileReader::Open(
      std::string(reinterpret_cast<const char*>(data), size));
  if (!reader.ok()) return 0;
  auto rows = (*reader)->ReadRows(100000);
  (void)rows;
  return 0;
}

#pragma once

#include <zip.h>

#include "util/result.h"

namespace slack_intel::import {

// libzip's functions, the library loaded (dlopen) when a ZIP export is first opened: other
// commands never map it, nor the libraries it pulls in (a start-up cost of every run, measured
// in docs/BENCHMARKS.md). Thread-safe.
struct LibZip {
  decltype(&::zip_open) open;
  decltype(&::zip_discard) discard;
  decltype(&::zip_get_num_entries) get_num_entries;
  decltype(&::zip_get_name) get_name;
  decltype(&::zip_stat_init) stat_init;
  decltype(&::zip_stat_index) stat_index;
  decltype(&::zip_fopen_index) fopen_index;
  decltype(&::zip_fread) fread;
  decltype(&::zip_fclose) fclose;
  decltype(&::zip_strerror) strerror;
  decltype(&::zip_file_strerror) file_strerror;
  decltype(&::zip_error_init_with_code) error_init_with_code;
  decltype(&::zip_error_strerror) error_strerror;
  decltype(&::zip_error_fini) error_fini;

  // Errors: kFailedPrecondition when libzip cannot be loaded (the message says which package).
  static Result<const LibZip*> Get();
};

}  // namespace slack_intel::import

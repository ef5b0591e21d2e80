#include "import/libzip.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <mutex>

namespace slack_intel::import {
namespace {

// Debian 12's libzip4; the unversioned name is a fallback for other systems' -dev packages.
constexpr const char* kLibraryNames[] = {"libzip.so.4", "libzip.so"};

Result<LibZip> Load() {
  void* library = nullptr;
  for (const char* name : kLibraryNames) {
    library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library != nullptr) break;
  }
  if (library == nullptr) {
    return Status::FailedPrecondition(fmt::format(
        "reading a ZIP export needs libzip ({}): install the libzip4 package, or unzip the "
        "export and import the folder",
        dlerror()));
  }
  LibZip zip{};
  Status missing;
  const auto bind = [&](auto& function, const char* name) {
    function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(library, name));
    if (function == nullptr && missing.ok())
      missing = Status::FailedPrecondition(fmt::format("libzip has no {}: too old", name));
  };
  bind(zip.open, "zip_open");
  bind(zip.discard, "zip_discard");
  bind(zip.get_num_entries, "zip_get_num_entries");
  bind(zip.get_name, "zip_get_name");
  bind(zip.stat_init, "zip_stat_init");
  bind(zip.stat_index, "zip_stat_index");
  bind(zip.fopen_index, "zip_fopen_index");
  bind(zip.fread, "zip_fread");
  bind(zip.fclose, "zip_fclose");
  bind(zip.strerror, "zip_strerror");
  bind(zip.file_strerror, "zip_file_strerror");
  bind(zip.error_init_with_code, "zip_error_init_with_code");
  bind(zip.error_strerror, "zip_error_strerror");
  bind(zip.error_fini, "zip_error_fini");
  if (!missing.ok()) return missing;
  return zip;  // the library stays loaded for the life of the process
}

}  // namespace

Result<const LibZip*> LibZip::Get() {
  static const Result<LibZip> loaded = Load();  // once, thread-safe
  if (!loaded.ok()) return loaded.status();
  return &*loaded;
}

}  // namespace slack_intel::import

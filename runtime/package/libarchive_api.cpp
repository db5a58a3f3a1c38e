// Loads libarchive on first use (see libarchive_api.hpp for why it is not linked).
#include "runtime/package/libarchive_api.hpp"

#include <dlfcn.h>

#include <string>

#include "runtime/package/package_error.hpp"

namespace migpkg::package {
namespace {

Libarchive load() {
  // RTLD_LOCAL keeps its symbols out of the global scope; the handle is never closed.
  void* handle = dlopen(MIGPKG_LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* error = dlerror();
    malformed(std::string("cannot read or write packages: libarchive (") +
              MIGPKG_LIBARCHIVE_SONAME + ") cannot be loaded: " +
              (error ? error : "unknown error") + " (Debian package libarchive13)");
  }
  Libarchive api{};
#define MIGPKG_LIBARCHIVE_RESOLVE(name)                                                   \
  api.name = reinterpret_cast<decltype(api.name)>(dlsym(handle, #name));                  \
  if (!api.name)                                                                          \
    malformed(std::string("cannot read or write packages: ") + MIGPKG_LIBARCHIVE_SONAME + \
              " has no " #name " (libarchive 3.6 or later is needed)");
  MIGPKG_LIBARCHIVE_FUNCTIONS(MIGPKG_LIBARCHIVE_RESOLVE)
#undef MIGPKG_LIBARCHIVE_RESOLVE
  return api;
}

}  // namespace

const Libarchive& libarchive() {
  static const Libarchive api = load();  // thread-safe, once; a failure retries
  return api;
}

}  // namespace migpkg::package

// Finds and loads the PostgreSQL module (see postgresql_module.hpp for why it is one).
#include "runtime/drivers/postgresql_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace migpkg::runtime {
namespace {

constexpr const char* kModuleFile = "migpkg-postgresql.so";

std::string executable_directory() {
  std::vector<char> buffer(4096);
  ssize_t length = readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (length <= 0) return ".";
  std::string path(buffer.data(), static_cast<std::size_t>(length));
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

std::vector<std::string> candidates() {
  const char* configured = std::getenv("MIGPKG_POSTGRESQL_MODULE");
  if (configured && *configured) return {configured};
  std::string directory = executable_directory();
  return {directory + "/" + kModuleFile, directory + "/../lib/migpkg/" + kModuleFile};
}

const PostgresqlModule& load() {
  const PostgresqlModuleAbi expected = postgresql_module_abi();
  std::string tried;
  for (const std::string& path : candidates()) {
    tried += "\n  " + path + ": ";
    if (access(path.c_str(), F_OK) != 0) {
      tried += "not found";
      continue;
    }
    // RTLD_LOCAL: the module's libraries and symbols stay out of the global scope. The handle
    // is never closed: connections and error objects from the module live until exit.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* error = dlerror();
      tried += error ? error : "cannot be loaded";
      continue;
    }
    using Entry = const PostgresqlModule* (*)(const PostgresqlModuleAbi*);
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "migpkg_postgresql_module"));
    const PostgresqlModule* table = entry ? entry(&expected) : nullptr;
    if (table) return *table;
    tried += entry ? "built for another version of migpkg" : "not a migpkg PostgreSQL module";
  }
  throw DatabaseError("PostgreSQL support is not available: its module " +
                          std::string(kModuleFile) +
                          " could not be loaded (set MIGPKG_POSTGRESQL_MODULE to its path, or "
                          "install it beside migpkg); tried:" +
                          tried,
                      "");
}

}  // namespace

const PostgresqlModule& postgresql_module() {
  static const PostgresqlModule& module = load();  // thread-safe, once; a failure retries
  return module;
}

std::unique_ptr<Connection> open_postgresql(const std::string& conninfo) {
  return postgresql_module().open(conninfo);
}

}  // namespace migpkg::runtime

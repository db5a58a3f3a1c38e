// Finds and loads an engine's module (see engine_module.hpp for why some engines are modules).
#include "runtime/engines/engine_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <vector>

namespace migpkg::runtime {
namespace {

std::string executable_directory() {
  std::vector<char> buffer(4096);
  ssize_t length = readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (length <= 0) return ".";
  std::string path(buffer.data(), static_cast<std::size_t>(length));
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

std::string environment_variable(const std::string& name) {
  std::string variable = "MIGPKG_";
  for (char c : name) variable += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return variable + "_MODULE";
}

std::vector<std::string> candidates(const std::string& file, const std::string& variable) {
  const char* configured = std::getenv(variable.c_str());
  if (configured && *configured) return {configured};
  std::string directory = executable_directory();
  return {directory + "/" + file, directory + "/../lib/migpkg/" + file};
}

}  // namespace

const Engine& load_engine_module(ir::Engine id, const char* display_name) {
  const std::string name = ir::engine_name(id);
  const std::string file = "migpkg-" + name + ".so";
  const std::string variable = environment_variable(name);
  const EngineModuleAbi expected = engine_module_abi();
  std::string tried;
  for (const std::string& path : candidates(file, variable)) {
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
    using Entry = const Engine* (*)(const EngineModuleAbi*);
    auto entry = reinterpret_cast<Entry>(dlsym(handle, kEngineModuleEntry));
    const Engine* engine = entry ? entry(&expected) : nullptr;
    if (engine && engine->id() == id) return *engine;
    tried += !entry    ? "not a migpkg " + std::string(display_name) + " module"
             : !engine ? "built for another version of migpkg"
                       : "a module of another engine";
  }
  throw DatabaseError(std::string(display_name) + " support is not available: its module " + file +
                          " could not be loaded (set " + variable +
                          " to its path, or install it beside migpkg); tried:" + tried,
                      "");
}

}  // namespace migpkg::runtime

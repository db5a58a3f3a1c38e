#include "compiler/dsl/stdlib_modules.hpp"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace migpkg::dsl {
namespace {

const char* override_dir() {
  const char* dir = std::getenv("MIGPKG_STDLIB_DIR");
  return dir && *dir ? dir : nullptr;
}

}  // namespace

std::optional<StdlibModule> find_stdlib_module(const std::string& name) {
  if (const char* dir = override_dir()) {
    std::string path = std::string(dir) + "/" + name + ".mig";
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return StdlibModule{path, path, text.str()};
  }
  auto it = embedded_stdlib().find(name);
  if (it == embedded_stdlib().end()) return std::nullopt;
  return StdlibModule{"<stdlib>/" + name + ".mig", "", it->second};
}

std::vector<std::string> stdlib_module_names() {
  std::vector<std::string> names;
  if (const char* dir = override_dir()) {
    if (DIR* d = opendir(dir)) {
      while (dirent* entry = readdir(d)) {
        std::string file = entry->d_name;
        if (file.size() > 4 && file.compare(file.size() - 4, 4, ".mig") == 0)
          names.push_back(file.substr(0, file.size() - 4));
      }
      closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  for (const auto& [name, text] : embedded_stdlib()) names.push_back(name);
  return names;
}

}  // namespace migpkg::dsl

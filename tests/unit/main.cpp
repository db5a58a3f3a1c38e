// The suite's main: Catch2's, after pointing libmigpkg at the engine modules of this build
// (runtime/engines/engine_module.hpp: MIGPKG_<ENGINE>_MODULE for each migpkg-<engine>.so built),
// which the test binary, in build/tests/, would not find beside itself. An explicit
// MIGPKG_<ENGINE>_MODULE from the caller wins.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <string>

#include "compiler/ir/ir.hpp"

int main(int argc, char* argv[]) {
  for (migpkg::ir::Engine engine : migpkg::ir::kAllEngines) {
    std::string name = migpkg::ir::engine_name(engine);
    std::string module = std::string(MIGPKG_ENGINE_MODULE_DIR) + "/migpkg-" + name + ".so";
    if (access(module.c_str(), F_OK) != 0) continue;
    std::string variable = "MIGPKG_";
    for (char c : name) variable += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    setenv((variable + "_MODULE").c_str(), module.c_str(), 0);
  }
  return Catch::Session().run(argc, argv);
}

// The MySQL / MariaDB module's entry point (engine_module.hpp): its Engine, for a migpkg of the
// same build. The link exports this symbol and nothing else (runtime/engines/module_exports.map).
#include "runtime/engines/engine_module.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

extern "C" const migpkg::runtime::Engine* migpkg_engine_module(
    const migpkg::runtime::EngineModuleAbi* abi) {
  if (!abi || !migpkg::runtime::same_engine_module_abi(*abi, migpkg::runtime::engine_module_abi()))
    return nullptr;
  return &migpkg::runtime::mysql::mysql_engine();
}

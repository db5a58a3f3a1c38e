#pragma once
// Engines whose client library is heavy (libpq brings Kerberos, LDAP, GnuTLS and a dozen more
// libraries; mapping and relocating them costs every process several milliseconds at start-up)
// are loadable modules, migpkg-<engine>.so, that the registry (engine_registry.hpp) opens the
// first time the engine is needed, so a run on the embedded SQLite default never maps them.
// A module exports one symbol, kEngineModuleEntry, which hands over its Engine after checking
// that the module was built with this migpkg (the Engine is a C++ class, compatible within one
// build only). Everything else of the module stays inside it (runtime/engines/module_exports.map).
#include <cstddef>
#include <cstring>

#include "runtime/engines/engine.hpp"

namespace migpkg::runtime {

// Loads migpkg-<name>.so (name: ir::engine_name) once and returns its Engine; later calls return
// the same one. It is looked for
//   1. at $MIGPKG_<NAME>_MODULE (NAME in capitals, e.g. MIGPKG_POSTGRESQL_MODULE), when that is
//      set (and nowhere else then);
//   2. next to the running executable: <dir>/migpkg-<name>.so (the build tree);
//   3. in <dir>/../lib/migpkg/migpkg-<name>.so (the installed layout, see CMakeLists.txt).
// Throws DatabaseError naming every place tried and why each failed; `display_name` ("PostgreSQL")
// is how the message names the engine.
const Engine& load_engine_module(ir::Engine engine, const char* display_name);

// What a module's entry point is checked against.
struct EngineModuleAbi {
  const char* version;
  std::size_t engine_size, connection_size, backup_info_size, url_size, spellings_size,
      run_lock_size;
};
inline EngineModuleAbi engine_module_abi() {
  return {MIGPKG_VERSION,      sizeof(Engine),          sizeof(Connection), sizeof(BackupInfo),
          sizeof(DatabaseUrl), sizeof(EngineSpellings), sizeof(RunLock)};
}
inline bool same_engine_module_abi(const EngineModuleAbi& a, const EngineModuleAbi& b) {
  return std::strcmp(a.version, b.version) == 0 && a.engine_size == b.engine_size &&
         a.connection_size == b.connection_size && a.backup_info_size == b.backup_info_size &&
         a.url_size == b.url_size && a.spellings_size == b.spellings_size &&
         a.run_lock_size == b.run_lock_size;
}

inline constexpr const char* kEngineModuleEntry = "migpkg_engine_module";

}  // namespace migpkg::runtime

// A module's one exported symbol (its module_entry.cpp): its Engine, or nullptr when `abi` is
// not its own.
extern "C" const migpkg::runtime::Engine* migpkg_engine_module(
    const migpkg::runtime::EngineModuleAbi* abi);

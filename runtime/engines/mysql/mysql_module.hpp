#pragma once
// The MySQL engine is a loadable module, migpkg-mysql.so: libmariadb (and the TLS libraries it
// brings) is mapped only by runs that use a mysql:// or mariadb:// URL. The module exports one
// symbol, kMysqlModuleEntry, which hands out the engine object after checking that the caller
// was built from the same migpkg version and layout (the object is a C++ type, compatible within
// one build only).
#include <cstddef>

#include "runtime/engines/engine.hpp"

namespace migpkg::runtime::mysql {

inline constexpr const char* kMysqlModuleEntry = "migpkg_mysql_module";

struct MysqlModuleAbi {
  const char* version;
  std::size_t engine_size, connection_size, backup_info_size, url_size, spellings_size;
};
inline MysqlModuleAbi mysql_module_abi() {
  return {MIGPKG_VERSION,     sizeof(Engine),      sizeof(Connection),
          sizeof(BackupInfo), sizeof(DatabaseUrl), sizeof(EngineSpellings)};
}

}  // namespace migpkg::runtime::mysql

// The module's one exported symbol: the engine, or nullptr when `abi` is not its own.
extern "C" const migpkg::runtime::Engine* migpkg_mysql_module(
    const migpkg::runtime::mysql::MysqlModuleAbi* abi);

// The MySQL module's entry point (mysql_module.hpp). The link exports this symbol and nothing
// else (exports.map).
#include <cstring>

#include "runtime/engines/mysql/mysql_engine.hpp"
#include "runtime/engines/mysql/mysql_module.hpp"

extern "C" const migpkg::runtime::Engine* migpkg_mysql_module(
    const migpkg::runtime::mysql::MysqlModuleAbi* abi) {
  using migpkg::runtime::mysql::MysqlModuleAbi;
  const MysqlModuleAbi own = migpkg::runtime::mysql::mysql_module_abi();
  if (!abi || std::strcmp(abi->version, own.version) != 0 || abi->engine_size != own.engine_size ||
      abi->connection_size != own.connection_size ||
      abi->backup_info_size != own.backup_info_size || abi->url_size != own.url_size ||
      abi->spellings_size != own.spellings_size)
    return nullptr;
  return &migpkg::runtime::mysql::mysql_engine();
}

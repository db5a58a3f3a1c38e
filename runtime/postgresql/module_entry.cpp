// The PostgreSQL module's entry point (see runtime/drivers/postgresql_module.hpp): the table of
// what the rest of migpkg may call. The link exports this symbol and nothing else
// (runtime/postgresql/exports.map).
#include <cstring>

#include "runtime/backup/backup_internal.hpp"
#include "runtime/drivers/postgresql_module.hpp"
#include "runtime/postgresql/postgresql_native.hpp"

namespace {

bool same_abi(const migpkg::runtime::PostgresqlModuleAbi& a,
              const migpkg::runtime::PostgresqlModuleAbi& b) {
  return std::strcmp(a.version, b.version) == 0 && a.table_size == b.table_size &&
         a.connection_size == b.connection_size && a.backup_info_size == b.backup_info_size &&
         a.url_size == b.url_size;
}

const migpkg::runtime::PostgresqlModule kTable{
    migpkg::runtime::open_postgresql_connection,
    migpkg::runtime::backup_detail::take_postgresql_backup,
    migpkg::runtime::backup_detail::verify_postgresql_backup,
    migpkg::runtime::backup_detail::restore_postgresql_backup,
};

}  // namespace

extern "C" const migpkg::runtime::PostgresqlModule* migpkg_postgresql_module(
    const migpkg::runtime::PostgresqlModuleAbi* abi) {
  if (!abi || !same_abi(*abi, migpkg::runtime::postgresql_module_abi())) return nullptr;
  return &kTable;
}

#pragma once
// The PostgreSQL driver is a loadable module, migpkg-postgresql.so (sources in
// runtime/postgresql/), opened the first time a postgresql:// URL or a PostgreSQL backup is
// used. libpqxx pulls in libpq and with it Kerberos, LDAP, GnuTLS and a dozen more libraries;
// mapping and relocating them costs every process several milliseconds at start-up, which a run
// on the embedded SQLite default should not pay. This is the table of entry points the module
// hands over; everything else of the driver stays inside it.
#include <cstddef>
#include <memory>
#include <string>

#include "runtime/backup/backup.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

struct PostgresqlModule {
  std::unique_ptr<Connection> (*open)(const std::string& conninfo);
  BackupInfo (*take_backup)(Connection& connection, const DatabaseUrl& url,
                            const std::string& directory, const std::string& label);
  BackupInfo (*verify_backup)(const std::string& directory);
  void (*restore_backup)(Connection& connection, const std::string& directory);
};

// The module, loaded on the first call (later calls return the same table). It is looked for
//   1. at $MIGPKG_POSTGRESQL_MODULE, when that is set (and nowhere else then);
//   2. next to the running executable: <dir>/migpkg-postgresql.so (the build tree);
//   3. in <dir>/../lib/migpkg/migpkg-postgresql.so (the installed layout, see CMakeLists.txt).
// Throws DatabaseError naming every place tried and why each failed.
const PostgresqlModule& postgresql_module();

// What the module's entry point is checked against, so that a module from another build of
// migpkg is refused instead of used: the table holds C++ types, compatible within one build only.
struct PostgresqlModuleAbi {
  const char* version;
  std::size_t table_size, connection_size, backup_info_size, url_size;
};
inline PostgresqlModuleAbi postgresql_module_abi() {
  return {MIGPKG_VERSION, sizeof(PostgresqlModule), sizeof(Connection), sizeof(BackupInfo),
          sizeof(DatabaseUrl)};
}

}  // namespace migpkg::runtime

// The module's one exported symbol: its table, or nullptr when `abi` is not its own.
extern "C" const migpkg::runtime::PostgresqlModule* migpkg_postgresql_module(
    const migpkg::runtime::PostgresqlModuleAbi* abi);

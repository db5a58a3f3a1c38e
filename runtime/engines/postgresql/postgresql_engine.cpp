// The PostgreSQL engine (engine.hpp), built into the module migpkg-postgresql.so with libpqxx
// (module_entry.cpp hands it over; engine_module.hpp says why it is a module).
#include "runtime/engines/postgresql/postgresql_engine.hpp"

#include "runtime/backup/backup_internal.hpp"

namespace migpkg::runtime {

ir::Engine PostgresqlEngine::id() const {
  return ir::Engine::PostgreSQL;
}

const EngineSpellings& PostgresqlEngine::spellings() const {
  static const EngineSpellings spellings{
      "BIGSERIAL PRIMARY KEY",   "TEXT", "TEXT", "true", "false", "\\x", "",
      " ON CONFLICT DO NOTHING",
  };
  return spellings;
}

std::unique_ptr<Connection> PostgresqlEngine::open(const DatabaseUrl& url, int) const {
  return open_postgresql_connection(url.conninfo);
}

bool PostgresqlEngine::creates_on_open(const DatabaseUrl&) const {
  return false;
}

std::string PostgresqlEngine::default_backup_directory(const DatabaseUrl&) const {
  return "migpkg-backups";
}

// A backup's manifest records current_database() (backup.cpp).
std::string PostgresqlEngine::backup_database_name(Connection* connection,
                                                   const DatabaseUrl&) const {
  if (!connection) return "";
  ResultSet result = connection->query("SELECT pg_catalog.current_database()");
  return result.rows.empty() ? "" : result.rows[0][0].value_or("");
}

BackupInfo PostgresqlEngine::take_backup(Connection& connection, const DatabaseUrl& url,
                                         const std::string& directory,
                                         const std::string& label) const {
  return backup_detail::take_postgresql_backup(connection, url, directory, label);
}

BackupInfo PostgresqlEngine::verify_backup(const std::string& path) const {
  if (!backup_detail::is_directory(path))
    throw BackupError("backup " + path + " is a PostgreSQL backup: name its directory");
  return backup_detail::verify_postgresql_backup(path);
}

void PostgresqlEngine::restore_backup(Connection& connection, const DatabaseUrl&,
                                      const std::string& path, const RestoreScope* scope) const {
  backup_detail::restore_postgresql_backup(connection, path, scope);
}

}  // namespace migpkg::runtime

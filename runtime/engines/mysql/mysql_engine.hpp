#pragma once
// The MySQL / MariaDB engine (runtime/engines/engine.hpp): connections on MariaDB Connector/C,
// the run lock (GET_LOCK), schema snapshots and catalog look-ups from information_schema,
// backups as one data file per table plus a manifest, scratch databases. Built into the module
// migpkg-mysql.so (module_entry.cpp), so that libmariadb is loaded only when a mysql:// or
// mariadb:// URL is used. Each part lives in its own file of this folder.
#include "runtime/engines/engine.hpp"

namespace migpkg::runtime::mysql {

class MysqlEngine : public Engine {
 public:
  ir::Engine id() const override { return ir::Engine::MySQL; }
  const EngineSpellings& spellings() const override;

  // The bytes themselves: a string parameter is stored as its characters, so hex text would
  // become its ASCII digits. Throws std::invalid_argument on an odd count or a non-hex digit.
  std::string bytes_value(const std::string& hex_digits) const override;

  // mysql_engine.cpp
  std::unique_ptr<Connection> open(const DatabaseUrl& url, int lock_wait_ms) const override;
  bool ddl_commits_implicitly() const override { return true; }
  // A backup's manifest records DATABASE() (backup.cpp).
  std::string backup_database_name(Connection* connection, const DatabaseUrl& url) const override;
  // MySQL 8 has no RETURNING (MariaDB 10.5+ has): LAST_INSERT_ID() on the same session, on both.
  std::int64_t insert_returning_id(Connection& connection, const std::string& insert,
                                   const Connection::Params& params) const override;
  std::string batch_key(Connection& connection,
                        const plan::TransformInfo& transform) const override;

  // run_lock.cpp
  std::unique_ptr<RunLock> acquire_run_lock(Connection& connection, const DatabaseUrl& url,
                                            const std::string& holder,
                                            int timeout_seconds) const override;

  // backup.cpp, backup_restore.cpp
  BackupInfo take_backup(Connection& connection, const DatabaseUrl& url,
                         const std::string& directory, const std::string& label) const override;
  BackupInfo verify_backup(const std::string& path) const override;
  void restore_backup(Connection& connection, const DatabaseUrl& url, const std::string& path,
                      const RestoreScope* scope) const override;

  // schema_snapshot.cpp
  std::vector<std::string> inspect_schema(Connection& connection) const override;

  // catalog.cpp
  ResultSet list_objects(Connection& connection) const override;
  bool table_exists(Connection& connection, const std::string& table) const override;
  std::vector<std::string> user_tables(Connection& connection) const override;
  std::vector<std::string> primary_key(Connection& connection,
                                       const std::string& table) const override;
  std::vector<std::string> foreign_key_violations(Connection& connection) const override;
  std::optional<TableDescription> describe_table(Connection& connection,
                                                 const std::string& table) const override;

  // rows.cpp
  void read_rows(Connection& connection, const std::string& table,
                 const std::vector<std::string>& columns, std::size_t batch_rows,
                 const std::function<void(const std::vector<Row>&)>& sink) const override;
  void write_rows(Connection& connection, const std::string& table,
                  const std::vector<std::string>& columns,
                  const std::vector<Row>& rows) const override;

  std::optional<data::DataTable> data_table(Connection& connection,
                                            const std::string& table) const override;
  void read_data(Connection& connection, const DataRead& read,
                 const std::function<void(std::vector<data::Row>)>& sink) const override;
  std::size_t write_data(Connection& connection, const data::DataTable& table,
                         const std::vector<std::string>& columns,
                         const std::vector<data::Row>& rows,
                         data::OnConflict on_conflict) const override;
  void reset_identity(Connection& connection, const data::DataTable& table) const override;
  // schema_extras.cpp
  SchemaExtras schema_extras(Connection& connection, const std::string& table) const override;
  // read_snapshot.cpp
  void begin_read_snapshot(Connection& connection) const override;

  // scratch_database.cpp
  std::unique_ptr<ScratchDatabase> scratch_database(const DatabaseUrl& server,
                                                    const std::string& prefix) const override;
};

// The one engine object (the module hands it out).
const MysqlEngine& mysql_engine();

// A table name as the runtime writes it in SQL ("t", `t`, "db"."t", db.t) split into its
// database ("" for the connection's) and name, unquoted.
struct TableName {
  std::string database, name;
};
TableName parse_table_name(const std::string& written);

}  // namespace migpkg::runtime::mysql

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

  // Hex digits -> the value a byte-string column holds, as a parameter or write_rows value:
  // the bytes themselves (EngineSpellings::bytes_prefix cannot say that; the draft interface
  // mentions an overridable bytes_value, which this is meant to override once it exists).
  // Throws std::invalid_argument on an odd count or a non-hex digit.
  std::string bytes_value(const std::string& hex_digits) const;

  // mysql_engine.cpp
  std::unique_ptr<Connection> open(const DatabaseUrl& url, int lock_wait_ms) const override;
  bool ddl_commits_implicitly() const override { return true; }
  std::string batch_key(Connection& connection,
                        const plan::TransformInfo& transform) const override;

  // mysql_run_lock.cpp
  std::unique_ptr<RunLock> acquire_run_lock(Connection& connection, const DatabaseUrl& url,
                                            const std::string& holder,
                                            int timeout_seconds) const override;

  // mysql_backup.cpp, mysql_restore.cpp
  BackupInfo take_backup(Connection& connection, const DatabaseUrl& url,
                         const std::string& directory, const std::string& label) const override;
  BackupInfo verify_backup(const std::string& path) const override;
  void restore_backup(Connection& connection, const DatabaseUrl& url,
                      const std::string& path) const override;

  // mysql_schema_snapshot.cpp
  std::vector<std::string> inspect_schema(Connection& connection) const override;

  // mysql_catalog.cpp
  ResultSet list_objects(Connection& connection) const override;
  bool table_exists(Connection& connection, const std::string& table) const override;
  std::vector<std::string> user_tables(Connection& connection) const override;
  std::vector<std::string> primary_key(Connection& connection,
                                       const std::string& table) const override;
  std::vector<std::string> foreign_key_violations(Connection& connection) const override;
  std::optional<TableDescription> describe_table(Connection& connection,
                                                 const std::string& table) const override;

  // mysql_rows.cpp
  void read_rows(Connection& connection, const std::string& table,
                 const std::vector<std::string>& columns, std::size_t batch_rows,
                 const std::function<void(const std::vector<Row>&)>& sink) const override;
  void write_rows(Connection& connection, const std::string& table,
                  const std::vector<std::string>& columns,
                  const std::vector<Row>& rows) const override;

  // mysql_scratch_database.cpp
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

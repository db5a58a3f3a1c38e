#pragma once
// Internal to runtime/engines/postgresql/: the PostgresqlEngine class and what its files share. The
// rest of migpkg reaches it through engine_registry.hpp only.
#include "runtime/engines/engine.hpp"

namespace migpkg::runtime {

class PostgresqlEngine final : public Engine {
 public:
  ir::Engine id() const override;
  const EngineSpellings& spellings() const override;

  std::unique_ptr<Connection> open(const DatabaseUrl& url, int lock_wait_ms) const override;
  bool creates_on_open(const DatabaseUrl& url) const override;
  std::string default_backup_directory(const DatabaseUrl& url) const override;
  std::string backup_database_name(Connection* connection, const DatabaseUrl& url) const override;

  std::unique_ptr<RunLock> acquire_run_lock(Connection& connection, const DatabaseUrl& url,
                                            const std::string& holder,
                                            int timeout_seconds) const override;

  BackupInfo take_backup(Connection& connection, const DatabaseUrl& url,
                         const std::string& directory, const std::string& label) const override;
  BackupInfo verify_backup(const std::string& path) const override;
  void restore_backup(Connection& connection, const DatabaseUrl& url, const std::string& path,
                      const RestoreScope* scope) const override;

  std::vector<std::string> inspect_schema(Connection& connection) const override;
  ResultSet list_objects(Connection& connection) const override;
  bool table_exists(Connection& connection, const std::string& table) const override;
  bool own_table_exists(Connection& connection, const std::string& name) const override;
  std::vector<std::string> user_tables(Connection& connection) const override;
  std::vector<std::string> primary_key(Connection& connection,
                                       const std::string& table) const override;
  std::optional<TableDescription> describe_table(Connection& connection,
                                                 const std::string& table) const override;
  std::vector<std::string> foreign_key_violations(Connection& connection) const override;

  std::string batch_key(Connection& connection,
                        const plan::TransformInfo& transform) const override;
  bool rebuilds_need_foreign_keys_off() const override;

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
  void visit_data(Connection& connection, const DataRead& read,
                  const std::function<void(const data::ValueViews&)>& visit) const override;
  std::size_t write_data(Connection& connection, const data::DataTable& table,
                         const std::vector<std::string>& columns,
                         const std::vector<data::Row>& rows,
                         data::OnConflict on_conflict) const override;
  void reset_identity(Connection& connection, const data::DataTable& table) const override;
  bool adds_primary_key_after_load() const override { return true; }
  // schema_extras.cpp
  SchemaExtras schema_extras(Connection& connection, const std::string& table) const override;
  // read_snapshot.cpp
  void begin_read_snapshot(Connection& connection) const override;
  std::vector<std::string> read_parts(Connection& connection, const data::DataTable& table,
                                      std::size_t at_most) const override;
  void share_read_snapshot(Connection& connection, Connection& other) const override;

  std::unique_ptr<ScratchDatabase> scratch_database(const DatabaseUrl& server,
                                                    const std::string& prefix) const override;
  std::unique_ptr<ScratchDatabase> exact_copy(const DatabaseUrl& original,
                                              std::string& method) const override;
};

namespace backup_detail {
// backup.cpp and backup_restore.cpp: every user table copied out with COPY, and back.
BackupInfo take_postgresql_backup(Connection& connection, const DatabaseUrl& url,
                                  const std::string& directory, const std::string& label);
BackupInfo verify_postgresql_backup(const std::string& directory);
void restore_postgresql_backup(Connection& connection, const std::string& directory,
                               const RestoreScope* scope);
}  // namespace backup_detail

// connection.cpp
std::unique_ptr<Connection> open_postgresql_connection(const std::string& conninfo);

namespace snapshot_detail {
// schema_snapshot.cpp: Engine::inspect_schema's lines, unsorted.
std::vector<std::string> inspect_postgresql(Connection& connection);
}  // namespace snapshot_detail

}  // namespace migpkg::runtime

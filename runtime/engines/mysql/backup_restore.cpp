// MySQL / MariaDB restore (engine.hpp, backup.hpp):
//   1. verify every data file against the manifest, before anything is touched;
//   2. with FOREIGN_KEY_CHECKS off for the session: recreate backed-up tables that no longer
//      exist from their CREATE TABLE text, and add back, nullable, columns dropped since the
//      backup. These are DDL statements, which MySQL commits one by one, so they come before
//      the transaction;
//   3. in one transaction: DELETE every backed-up table's rows (not TRUNCATE, which would commit),
//      INSERT the backed-up rows, read every table back and compare counts and hashes with the
//      manifest, COMMIT. Any failure rolls the rows back;
//   4. NOT NULL on columns step 2 added back, once their values are in.
// migpkg_* tables are never in a backup and keep their contents. A restore per plugin (a scope)
// takes only the plugin's tables, and in step 2 also drops its tables created since the backup
// and the columns of its tables the backup does not hold; without a scope, tables created since
// the backup are kept. Unlike PostgreSQL, MySQL cannot switch a table's triggers off: user triggers
// fire for the restored rows (a trigger that changes them makes step 3's comparison fail).
#include <fstream>
#include <map>

#include "runtime/engines/mysql/backup.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {

using namespace backup_detail;

namespace {

constexpr std::size_t kStatementBytes = 1 << 20;  // well below max_allowed_packet's default

std::vector<std::string> present_columns(MysqlConnection& db, const std::string& table) {
  std::vector<std::string> names;
  for (const Row& row : db.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE "
                                 "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1",
                                 {table})
                            .rows)
    names.push_back(row[0].value_or(""));
  return names;
}

// A restore per plugin undoes the plugin's schema changes since the backup: its tables that the
// backup does not hold were created since, and go (one statement, so that they may reference
// each other).
void drop_tables_created_since(MysqlConnection& db, const std::vector<BackupTable>& backed_up,
                               const RestoreScope& scope) {
  std::string list;
  for (const Row& row : db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                 "TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' "
                                 "ORDER BY TABLE_NAME")
                            .rows) {
    std::string name = row[0].value_or("");
    if (!scope.covers(name)) continue;
    bool held = false;
    for (const auto& table : backed_up) held = held || table.name == name;
    if (!held) list += (list.empty() ? "" : ", ") + quote_name(name);
  }
  if (list.empty()) return;
  try {
    db.execute("DROP TABLE " + list);
  } catch (const DatabaseError& error) {
    throw BackupError("cannot drop " + list + ", created since the backup: " + error.what());
  }
}

// Step 2 for one table; returns the statements of step 4. With `drop_added` (a restore per
// plugin), a column the backup does not hold was added since, and goes.
std::vector<std::string> prepare_table(MysqlConnection& db, const BackupTable& table,
                                       bool drop_added) {
  if (!mysql_engine().table_exists(db, quote_name(table.name))) {
    try {
      db.execute(table.create_table);
    } catch (const DatabaseError& error) {
      throw BackupError("cannot recreate table " + table.name + ": " + error.what());
    }
    return {};
  }
  std::vector<std::string> present = present_columns(db, table.name), later;
  if (drop_added)
    for (const auto& name : present) {
      bool backed_up = false;
      for (const auto& column : table.columns) backed_up = backed_up || column.name == name;
      if (backed_up) continue;
      try {
        db.execute("ALTER TABLE " + quote_name(table.name) + " DROP COLUMN " + quote_name(name));
      } catch (const DatabaseError& error) {
        throw BackupError("table " + table.name + " has column \"" + name +
                          "\", added since the backup, and dropping it failed: " + error.what());
      }
    }
  for (const auto& column : table.columns) {
    if (column.generated) continue;
    bool found = false;
    for (const auto& name : present) found = found || name == column.name;
    if (found) continue;
    std::string add = "ALTER TABLE " + quote_name(table.name) + " ADD COLUMN " +
                      quote_name(column.name) + " " + column.type + " NULL";
    try {
      db.execute(add);
    } catch (const DatabaseError& error) {
      throw BackupError("table " + table.name + " no longer has column \"" + column.name +
                        "\", and adding it back failed: " + error.what());
    }
    if (column.not_null)
      later.push_back("ALTER TABLE " + quote_name(table.name) + " MODIFY COLUMN " +
                      quote_name(column.name) + " " + column.type + " NOT NULL");
  }
  return later;
}

void insert_rows(MysqlConnection& db, const BackupTable& table, const std::string& file) {
  std::vector<std::string> columns = copied_columns(table);
  std::string head = "INSERT INTO " + quote_name(table.name) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) head += (i ? ", " : "") + quote_name(columns[i]);
  head += ") VALUES ";
  Sha256 hash;
  std::int64_t rows = 0;
  std::string statement;
  auto flush = [&] {
    if (statement.empty()) return;
    try {
      db.execute(statement);
    } catch (const DatabaseError& error) {
      throw BackupError("cannot restore table " + table.name + " from " + file + ": " +
                        error.what());
    }
    statement.clear();
  };
  read_data_lines(file, [&](const std::string& line) {
    hash.update(line);
    hash.update("\n");
    ++rows;
    Row row = decode_row(line);
    if (row.size() != columns.size())
      throw BackupError("backup file " + file + " line " + std::to_string(rows) + " holds " +
                        std::to_string(row.size()) + " values for " +
                        std::to_string(columns.size()) + " columns");
    std::string values = "(";
    for (std::size_t i = 0; i < row.size(); ++i) values += (i ? ", " : "") + db.literal(row[i]);
    values += ")";
    statement += (statement.empty() ? head : ", ") + values;
    if (statement.size() >= kStatementBytes) flush();
  });
  flush();
  if (rows != table.rows || hash.hex_digest() != table.sha256)
    throw BackupError("backup file " + file + " changed while it was being restored");
}

// Session settings a restore changes, given back whatever happens.
class ForeignKeyChecksOff {
 public:
  explicit ForeignKeyChecksOff(MysqlConnection& db) : db_(db) {
    db_.execute("SET SESSION foreign_key_checks = 0");
  }
  ~ForeignKeyChecksOff() {
    try {
      db_.execute("SET SESSION foreign_key_checks = 1");
    } catch (const std::exception&) {
    }
  }
  ForeignKeyChecksOff(const ForeignKeyChecksOff&) = delete;
  ForeignKeyChecksOff& operator=(const ForeignKeyChecksOff&) = delete;

 private:
  MysqlConnection& db_;
};

}  // namespace

void MysqlEngine::restore_backup(Connection& connection, const DatabaseUrl& url,
                                 const std::string& directory, const RestoreScope* scope) const {
  (void)url;
  MysqlConnection& db = as_mysql(connection);
  if (db.in_transaction())
    throw BackupError("restore must run outside a transaction (it opens its own)");
  verify_backup(directory);
  std::string manifest_path = directory + "/manifest.json";
  nlohmann::json manifest = read_manifest(manifest_path);
  std::vector<TableDigest> expected;
  for (auto& table : manifest_tables(manifest, manifest_path))
    if (!scope || scope->covers(table.name)) expected.push_back(std::move(table));
  std::vector<BackupTable> tables;
  for (const auto& entry : member(manifest, "tables", manifest_path)) {
    BackupTable table = table_from_json(entry, manifest_path);
    if (!scope || scope->covers(table.name)) tables.push_back(std::move(table));
  }

  UtcSession utc(db);
  ForeignKeyChecksOff no_checks(db);
  if (scope) drop_tables_created_since(db, tables, *scope);
  std::vector<std::string> later;
  for (const auto& table : tables)
    for (auto& statement : prepare_table(db, table, scope != nullptr))
      later.push_back(std::move(statement));

  db.begin();
  try {
    for (const auto& table : tables) db.execute("DELETE FROM " + quote_name(table.name));
    for (const auto& table : tables) insert_rows(db, table, directory + "/" + table.file);
    std::vector<TableDigest> found;
    for (const auto& table : tables) {
      TableRead read = read_table(db, table, "");
      found.push_back({"", table.name, read.rows, read.sha256});
    }
    compare_digests(expected, found, "the database after the restore");
    db.commit();
  } catch (...) {
    try {
      if (db.in_transaction()) db.rollback();
    } catch (const std::exception&) {
    }
    throw;
  }
  for (const auto& statement : later) {
    try {
      db.execute(statement);
    } catch (const DatabaseError& error) {
      throw BackupError("the rows are restored, but setting NOT NULL again failed: " +
                        std::string(error.what()));
    }
  }
}

}  // namespace migpkg::runtime::mysql

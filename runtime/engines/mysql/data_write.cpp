// Engine::write_data and reset_identity on MySQL / MariaDB: multi-row INSERTs of about a
// megabyte each, inside a savepoint of the caller's transaction, so that a refused statement
// leaves nothing of the batch and is tried again row by row to name the row refused. Skip,
// overwrite and merge use ON DUPLICATE KEY UPDATE: never INSERT IGNORE, which turns other
// errors (a value out of range, a foreign key) into warnings, nor REPLACE, which deletes the old
// row and so fires ON DELETE CASCADE.
#include <limits>
#include <map>
#include <stdexcept>

#include "runtime/data/portable_values.hpp"
#include "runtime/engines/mysql/backup.hpp"
#include "runtime/engines/mysql/connection.hpp"
#include "runtime/engines/mysql/data_values.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {
namespace {

constexpr std::size_t kStatementBytes = 1 << 20;

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + quote_name(name);
  return out;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names)
    if (n == name) return true;
  return false;
}

// ON DUPLICATE KEY UPDATE for the mode (nothing for Fail). VALUES(c) is the value the row would
// have been inserted with: for Overwrite a column not given gets its default, as on the other
// engines; Skip sets the key to itself, which changes nothing. MySQL takes the clause for a clash
// on any unique key, where the other engines name the primary key: the first assignment sets
// the key to NULL, which a key column refuses, unless the clash is on the primary key, so that
// a row clashing with another row on a secondary unique key is refused rather than skipped or
// written over that other row.
std::string conflict_clause(const data::DataTable& table, const std::vector<std::string>& columns,
                            data::OnConflict mode) {
  if (mode == data::OnConflict::Fail) return "";
  if (table.primary_key.empty())
    throw std::invalid_argument("table " + table.name +
                                " has no primary key: only --on-conflict fail can load it");
  std::string same_key;
  for (const auto& key : table.primary_key)
    same_key += (same_key.empty() ? "" : " AND ") + quote_name(key) + " <=> VALUES(" +
                quote_name(key) + ")";
  const std::string first = quote_name(table.primary_key[0]);
  std::string set = first + " = IF(" + same_key + ", " + first + ", NULL)";
  for (const auto& column : table.columns) {
    if (mode == data::OnConflict::Skip || contains(table.primary_key, column.name)) continue;
    if (mode == data::OnConflict::Merge && !contains(columns, column.name)) continue;
    set += ", " + quote_name(column.name) + " = VALUES(" + quote_name(column.name) + ")";
  }
  return " ON DUPLICATE KEY UPDATE " + set;
}

}  // namespace

std::size_t MysqlEngine::write_data(Connection& connection, const data::DataTable& table,
                                    const std::vector<std::string>& names,
                                    const std::vector<data::Row>& rows,
                                    data::OnConflict on_conflict) const {
  MysqlConnection& db = as_mysql(connection);
  std::map<std::string, std::string> charsets, sql_types;
  for (const Row& row : db.query("SELECT COLUMN_NAME, CHARACTER_SET_NAME, DATA_TYPE FROM "
                                 "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                                 "TABLE_NAME = $1",
                                 {table.name})
                            .rows) {
    if (row[1]) charsets[row[0].value_or("")] = *row[1];
    sql_types[row[0].value_or("")] = row[2].value_or("");
  }
  std::vector<data::Row> ready = data::portable::fitted_rows(
      table, names, rows,
      [](const data::DataColumn& column, std::string& value) {
        fit_mysql_before(column.type, value);
      },
      [&](const data::DataColumn& column, std::string& value) {
        auto charset = charsets.find(column.name);
        fit_mysql_after(column.type, value, charset == charsets.end() ? "" : charset->second,
                        sql_types[column.name]);
      });
  if (ready.empty()) return 0;
  std::vector<const data::DataColumn*> columns = data::portable::columns_of(table, names);
  const std::string head =
      "INSERT INTO " + quote_name(table.name) + " (" + list(names) + ") VALUES ";
  const std::string tail = conflict_clause(table, names, on_conflict);
  auto values_of = [&](const data::Row& row) {
    std::string values = "(";
    for (std::size_t i = 0; i < columns.size(); ++i)
      values += (i ? ", " : "") + value_literal(db, columns[i]->type, row[i]);
    return values + ")";
  };

  UtcSession utc(db);
  db.execute("SAVEPOINT migpkg_write_data");
  std::size_t written = 0;
  std::string statement;
  std::size_t in_statement = 0;
  auto flush = [&] {
    if (statement.empty()) return;
    statement += tail;
    db.execute(statement);
    // Skip: a duplicate's `k = k` changes nothing, and the server counts only the inserted rows.
    // Overwrite and merge: every row was written, inserted or updated (an update to the same values
    // included, as elsewhere).
    written += on_conflict == data::OnConflict::Skip ? db.affected_rows() : in_statement;
    statement.clear();
    in_statement = 0;
  };
  try {
    for (const data::Row& row : ready) {
      statement += (statement.empty() ? head : ", ") + values_of(row);
      ++in_statement;
      if (statement.size() >= kStatementBytes) flush();
    }
    flush();
  } catch (const DatabaseError& error) {
    db.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
    std::string key = "of rows 1 to " + std::to_string(ready.size());
    std::string message = error.what(), sql = error.sql();
    for (std::size_t r = 0; r < ready.size(); ++r) {
      try {
        db.execute(head + values_of(ready[r]) + tail);
      } catch (const DatabaseError& row_error) {
        key = data::portable::row_key(table, names, ready[r], r + 1);
        message = row_error.what();
        if (on_conflict != data::OnConflict::Fail &&
            message.find("'" + table.primary_key[0] + "' cannot be null") != std::string::npos)
          message = "it clashes with an existing row on a unique key other than the primary key";
        sql = row_error.sql();
        break;
      }
    }
    db.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
    db.execute("RELEASE SAVEPOINT migpkg_write_data");
    if (sql.size() > 300) sql = sql.substr(0, 300) + "...";
    throw DatabaseError("table " + table.name + ", row " + key + ": " + message, sql);
  } catch (...) {
    try {
      db.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
      db.execute("RELEASE SAVEPOINT migpkg_write_data");
    } catch (...) {
    }
    throw;
  }
  db.execute("RELEASE SAVEPOINT migpkg_write_data");
  return written;
}

// AUTO_INCREMENT: InnoDB already moves the counter past any key written explicitly, but a value
// set lower (a restore, an ALTER) is raised here. ALTER TABLE commits the open transaction, so
// the counter is only raised when it is behind: the common case is no statement at all.
void MysqlEngine::reset_identity(Connection& connection, const data::DataTable& table) const {
  MysqlConnection& db = as_mysql(connection);
  for (const auto& column : table.columns) {
    if (!column.generated) continue;
    ResultSet highest =
        db.query("SELECT MAX(" + quote_name(column.name) + ") FROM " + quote_name(table.name));
    if (!highest.rows.at(0).at(0)) continue;
    // A key at the type's maximum has no next value to move to (InnoDB's counter is already
    // past it; MySQL shows 2^63, which only fits unsigned); a negative one is behind any counter.
    std::int64_t max = std::stoll(*highest.rows[0][0]);
    if (max < 0 || max == std::numeric_limits<std::int64_t>::max()) continue;
    std::uint64_t next = static_cast<std::uint64_t>(max) + 1;
    // information_schema's AUTO_INCREMENT may be cached (MySQL 8's
    // information_schema_stats_expiry): ANALYZE-free, SHOW TABLE STATUS is not, on either.
    ResultSet status = db.query("SHOW TABLE STATUS WHERE Name = $1", {table.name});
    std::optional<std::string> current;
    for (std::size_t i = 0; i < status.columns.size(); ++i)
      if (status.columns[i] == "Auto_increment" && !status.rows.empty())
        current = status.rows[0][i];
    if (current && std::stoull(*current) >= next) continue;
    db.execute("ALTER TABLE " + quote_name(table.name) +
               " AUTO_INCREMENT = " + std::to_string(next));
  }
}

}  // namespace migpkg::runtime::mysql

// Bulk rows for the data commands: read in primary key order, written as multi-row INSERTs.
#include <set>

#include "runtime/engines/mysql/connection.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {
namespace {

constexpr std::size_t kStatementBytes = 1 << 20;

std::string table_sql(const std::string& table) {
  TableName name = parse_table_name(table);
  return name.database.empty() ? quote_name(name.name)
                               : quote_name(name.database) + "." + quote_name(name.name);
}

std::string column_list(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& column : columns) out += (out.empty() ? "" : ", ") + quote_name(column);
  return out;
}

}  // namespace

// One SELECT, streamed: InnoDB reads it in one consistent snapshot. The rows arrive while the
// statement runs, so `sink` must not use this connection.
void MysqlEngine::read_rows(Connection& connection, const std::string& table,
                            const std::vector<std::string>& columns, std::size_t batch_rows,
                            const std::function<void(const std::vector<Row>&)>& sink) const {
  MysqlConnection& db = as_mysql(connection);
  std::vector<std::string> key = primary_key(db, table);
  // A FLOAT is read as a DOUBLE: the server prints a FLOAT with six significant digits, which
  // may not give the same value back when written (backup.cpp does the same).
  TableName name = parse_table_name(table);
  std::set<std::string> single_precision;
  for (const Row& row : db.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE "
                                 "TABLE_SCHEMA = COALESCE(NULLIF($1, ''), DATABASE()) AND "
                                 "TABLE_NAME = $2 AND DATA_TYPE = 'float'",
                                 {name.database, name.name})
                            .rows)
    single_precision.insert(row[0].value_or(""));
  std::string list;
  for (const auto& column : columns)
    list += (list.empty() ? "" : ", ") + (single_precision.count(column)
                                              ? "(" + quote_name(column) + " + 0e0)"
                                              : quote_name(column));
  std::string sql = "SELECT " + list + " FROM " + table_sql(table);
  if (!key.empty()) sql += " ORDER BY " + column_list(key);
  std::vector<Row> batch;
  batch_rows = std::max<std::size_t>(1, batch_rows);
  db.stream(
      sql, [](const std::vector<std::string>&) {},
      [&](const Row& row) {
        batch.push_back(row);
        if (batch.size() >= batch_rows) {
          sink(batch);
          batch.clear();
        }
      });
  if (!batch.empty()) sink(batch);
}

void MysqlEngine::write_rows(Connection& connection, const std::string& table,
                             const std::vector<std::string>& columns,
                             const std::vector<Row>& rows) const {
  MysqlConnection& db = as_mysql(connection);
  std::string head = "INSERT INTO " + table_sql(table) + " (" + column_list(columns) + ") VALUES ";
  auto values_of = [&](const Row& row, std::size_t number) {
    if (row.size() != columns.size())
      throw DatabaseError("row " + std::to_string(number) + " has " + std::to_string(row.size()) +
                              " values for " + std::to_string(columns.size()) + " columns",
                          head);
    std::string values = "(";
    for (std::size_t i = 0; i < row.size(); ++i) values += (i ? ", " : "") + db.literal(row[i]);
    return values + ")";
  };
  // Inside the caller's transaction a savepoint makes a failing call leave nothing behind, and
  // lets the rows of a refused statement be tried one at a time to name the one refused.
  const bool savepoint = db.in_transaction();
  if (savepoint) db.execute("SAVEPOINT migpkg_write_rows");
  std::size_t first = 0;
  std::string statement;
  auto flush = [&](std::size_t end) {
    if (statement.empty()) return;
    try {
      db.execute(statement);
    } catch (const DatabaseError& error) {
      if (!savepoint)
        throw DatabaseError("rows " + std::to_string(first + 1) + " to " + std::to_string(end) +
                                " of table " + table + " were refused: " + error.what(),
                            error.sql());
      std::string refused = "rows " + std::to_string(first + 1) + " to " + std::to_string(end);
      std::string reason = error.what(), sql = error.sql();
      for (std::size_t i = first; i < end; ++i) {
        try {
          db.execute(head + values_of(rows[i], i + 1));
        } catch (const DatabaseError& row_error) {
          refused = "row " + std::to_string(i + 1);
          reason = row_error.what();
          sql = row_error.sql();
          break;
        }
      }
      db.execute("ROLLBACK TO SAVEPOINT migpkg_write_rows");
      db.execute("RELEASE SAVEPOINT migpkg_write_rows");
      throw DatabaseError(refused + " of table " + table + " was refused: " + reason, sql);
    }
    statement.clear();
    first = end;
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    statement += (statement.empty() ? head : ", ") + values_of(rows[i], i + 1);
    if (statement.size() >= kStatementBytes) flush(i + 1);
  }
  flush(rows.size());
  if (savepoint) db.execute("RELEASE SAVEPOINT migpkg_write_rows");
}

}  // namespace migpkg::runtime::mysql

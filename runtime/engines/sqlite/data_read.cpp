// Engine::read_data on SQLite: one SELECT stepped through the C API (one statement is one read
// snapshot), values turned into their portable form by storage class, handed out in batches.
#include <stdexcept>

#include "runtime/data/portable_values.hpp"
#include "runtime/engines/sql_names.hpp"
#include "runtime/engines/sqlite/data_values.hpp"
#include "runtime/engines/sqlite/sqlite_engine.hpp"
#include "runtime/engines/sqlite/sqlite_native.hpp"

namespace migpkg::runtime {
namespace {

class Finalizer {
 public:
  explicit Finalizer(sqlite3_stmt* statement) : statement_(statement) {}
  ~Finalizer() { sqlite3_finalize(statement_); }
  Finalizer(const Finalizer&) = delete;
  Finalizer& operator=(const Finalizer&) = delete;

 private:
  sqlite3_stmt* statement_;
};

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + double_quoted(name);
  return out;
}

}  // namespace

void SqliteEngine::read_data(Connection& connection, const DataRead& read,
                             const std::function<void(std::vector<data::Row>)>& sink) const {
  const data::DataTable& table = *read.table;
  std::vector<std::string> names = read.columns;
  if (names.empty())
    for (const auto& column : table.columns) names.push_back(column.name);
  std::vector<const data::DataColumn*> columns;
  for (const auto& name : names) {
    const data::DataColumn* column = table.find_column(name);
    if (!column) throw std::invalid_argument("table " + table.name + " has no column " + name);
    columns.push_back(column);
  }
  std::string sql = "SELECT " + list(names) + " FROM " + double_quoted(table.name);
  std::string condition = read.where.empty() ? "" : "(" + read.where + ")";
  if (read.after_key) {
    if (table.primary_key.empty() || read.after_key->size() != table.primary_key.size())
      throw std::invalid_argument("table " + table.name +
                                  ": resuming after a key needs the table's whole primary key");
    std::string placeholders;
    for (std::size_t i = 1; i <= table.primary_key.size(); ++i)
      placeholders += (i > 1 ? ", ?" : "?") + std::to_string(i);
    condition += (condition.empty() ? "" : " AND ") + std::string("(") + list(table.primary_key) +
                 ") > (" + placeholders + ")";
  }
  if (!condition.empty()) sql += " WHERE " + condition;
  if (!read.any_order || read.after_key)
    sql += " ORDER BY " + list(table.primary_key.empty() ? names : table.primary_key);

  sqlite3* db = sqlite_handle(connection);
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &statement, nullptr);
  Finalizer finalizer(statement);
  if (rc != SQLITE_OK) sqlite_fail(connection, rc, sql);

  // The resume key's values, bound as the storage class the key columns keep (an integer key
  // compared with text would compare as text); kept alive while bound.
  std::vector<data::Value> key_values;
  if (read.after_key) key_values = *read.after_key;
  for (std::size_t i = 0; i < key_values.size(); ++i) {
    const data::DataColumn* column = table.find_column(table.primary_key[i]);
    if (!column)
      throw std::invalid_argument("table " + table.name + " has no column " + table.primary_key[i]);
    if (key_values[i]) data::portable::fit(column->type, *key_values[i]);
    sqlite_data::bind_value(statement, static_cast<int>(i + 1), column->type, key_values[i]);
  }

  const std::size_t batch_rows = read.batch_rows ? read.batch_rows : 10000;
  std::vector<data::Row> batch;
  batch.reserve(std::min<std::size_t>(batch_rows, 1024));
  std::size_t number = 0;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    ++number;
    data::Row row;
    row.reserve(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) {
      try {
        row.push_back(sqlite_data::read_value(statement, static_cast<int>(i), columns[i]->type));
      } catch (const std::invalid_argument& error) {
        // The key as stored: the row's own values may be what failed to convert.
        data::Row raw;
        for (std::size_t k = 0; k < columns.size(); ++k) {
          const unsigned char* text = sqlite3_column_text(statement, static_cast<int>(k));
          raw.push_back(text ? data::Value(reinterpret_cast<const char*>(text)) : std::nullopt);
        }
        const unsigned char* text = sqlite3_column_text(statement, static_cast<int>(i));
        throw data::ValueError(
            table.name, data::portable::row_key(table, names, raw, number), columns[i]->name,
            data::portable::shortened(text ? reinterpret_cast<const char*>(text) : ""),
            error.what());
      }
    }
    batch.push_back(std::move(row));
    if (batch.size() >= batch_rows) {
      sink(std::move(batch));
      batch = {};
      batch.reserve(std::min<std::size_t>(batch_rows, 1024));
    }
  }
  if (rc != SQLITE_DONE) sqlite_fail(connection, rc, sql);
  if (!batch.empty()) sink(std::move(batch));
}

}  // namespace migpkg::runtime

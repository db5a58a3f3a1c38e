// Engine::read_data on MySQL / MariaDB: one SELECT streamed with mysql_use_result (InnoDB reads it
// in one consistent snapshot; rows arrive as the server sends them, so memory holds one batch),
// in a session whose time_zone is UTC while it runs.
#include <stdexcept>

#include "runtime/data/portable_values.hpp"
#include "runtime/engines/mysql/backup.hpp"
#include "runtime/engines/mysql/connection.hpp"
#include "runtime/engines/mysql/data_values.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {
namespace {

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + quote_name(name);
  return out;
}

}  // namespace

void MysqlEngine::read_data(Connection& connection, const DataRead& read,
                            const std::function<void(std::vector<data::Row>)>& sink) const {
  MysqlConnection& db = as_mysql(connection);
  const data::DataTable& table = *read.table;
  std::vector<std::string> names = read.columns;
  if (names.empty())
    for (const auto& column : table.columns) names.push_back(column.name);
  std::vector<const data::DataColumn*> columns = data::portable::columns_of(table, names);

  std::string select;
  for (std::size_t i = 0; i < names.size(); ++i) {
    // A FLOAT prints with six digits, which may not read back as the same value: as a DOUBLE
    // it is exact.
    std::string name = quote_name(names[i]);
    select +=
        (i ? ", " : "") +
        (columns[i]->type.kind == ir::ColumnType::Kind::Float32 ? "(" + name + " + 0e0)" : name);
  }
  std::string sql = "SELECT " + select + " FROM " + quote_name(table.name);
  std::string condition = read.where.empty() ? "" : "(" + read.where + ")";
  if (read.after_key) {
    if (table.primary_key.empty() || read.after_key->size() != table.primary_key.size())
      throw std::invalid_argument("table " + table.name +
                                  ": resuming after a key needs the table's whole primary key");
    std::string literals;
    for (std::size_t i = 0; i < table.primary_key.size(); ++i) {
      const data::DataColumn* column = table.find_column(table.primary_key[i]);
      if (!column)
        throw std::invalid_argument("table " + table.name + " has no column " +
                                    table.primary_key[i]);
      data::Value value = (*read.after_key)[i];
      if (value) {
        fit_mysql_before(column->type, *value);
        data::portable::fit(column->type, *value);
      }
      literals += (i ? ", " : "") + value_literal(db, column->type, value);
    }
    condition += (condition.empty() ? "" : " AND ") + std::string("(") + list(table.primary_key) +
                 ") > (" + literals + ")";
  }
  if (!condition.empty()) sql += " WHERE " + condition;
  if (!read.any_order || read.after_key)
    sql += " ORDER BY " + list(table.primary_key.empty() ? names : table.primary_key);

  std::vector<std::size_t> key_at;
  for (const auto& key : table.primary_key)
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == key) key_at.push_back(i);

  UtcSession utc(db);
  const std::size_t batch_rows = read.batch_rows ? read.batch_rows : 10000;
  std::vector<data::Row> batch;
  std::size_t number = 0;
  db.stream(
      sql, [](const std::vector<std::string>&) {},
      [&](Row& fields) {
        ++number;
        data::Row row;
        row.reserve(columns.size());
        for (std::size_t i = 0; i < columns.size(); ++i) {
          if (!fields[i]) {
            row.emplace_back();
            continue;
          }
          try {
            row.emplace_back(read_value(*fields[i], columns[i]->type));
          } catch (const std::invalid_argument& error) {
            std::string key = "#" + std::to_string(number);
            if (key_at.size() == table.primary_key.size() && !key_at.empty()) {
              // Key columns before this one are read already (their text may have moved).
              data::Row raw;
              for (std::size_t at : key_at) raw.push_back(at < i ? row[at] : fields[at]);
              key = data::portable::row_key(table, table.primary_key, raw, number);
            }
            throw data::ValueError(table.name, key, columns[i]->name,
                                   data::portable::shortened(*fields[i]), error.what());
          }
        }
        batch.push_back(std::move(row));
        if (batch.size() >= batch_rows) {
          sink(std::move(batch));
          batch = {};
        }
      });
  if (!batch.empty()) sink(std::move(batch));
}

}  // namespace migpkg::runtime::mysql

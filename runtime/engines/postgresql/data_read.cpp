// Engine::read_data on PostgreSQL: one COPY (SELECT ...) TO STDOUT in text format (one statement,
// one snapshot), streamed line by line through libpqxx and handed out in batches, so memory
// holds one batch whatever the table's size. The session prints values in fixed forms while it
// runs (DateStyle ISO, TimeZone UTC, bytea_output hex, extra_float_digits 1), set for the
// transaction only and put back after.
#include <pqxx/pqxx>

#include <stdexcept>

#include "runtime/data/portable_values.hpp"
#include "runtime/engines/postgresql/data_values.hpp"
#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/postgresql/postgresql_native.hpp"
#include "runtime/engines/sql_names.hpp"

namespace migpkg::runtime {
namespace {

const char* const kSettings[] = {"DateStyle", "TimeZone", "bytea_output", "extra_float_digits",
                                 "IntervalStyle"};
const char* const kFixed[] = {"ISO, YMD", "UTC", "hex", "1", "postgres"};

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + double_quoted(name);
  return out;
}

void set_all(Connection& connection, const std::vector<std::string>& values) {
  std::string sql = "SELECT ";
  Connection::Params params;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sql += (i ? ", " : "") + std::string("set_config('") + kSettings[i] + "', $" +
           std::to_string(i + 1) + ", true)";
    params.push_back(values[i]);
  }
  connection.execute(sql, params);
}

}  // namespace

void PostgresqlEngine::read_data(Connection& connection, const DataRead& read,
                                 const std::function<void(std::vector<data::Row>)>& sink) const {
  const data::DataTable& table = *read.table;
  std::vector<std::string> names = read.columns;
  if (names.empty())
    for (const auto& column : table.columns) names.push_back(column.name);
  std::vector<const data::DataColumn*> columns = data::portable::columns_of(table, names);
  pqxx::connection_base& native = postgresql_handle(connection);

  std::string select = "SELECT " + list(names) + " FROM " + double_quoted(table.name);
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
      std::string literal = "NULL";
      if (value) {
        data::portable::fit(column->type, *value);
        literal = native.quote(postgresql_data::input_text(column->type, *value));
      }
      literals += (i ? ", " : "") + literal;
    }
    condition += (condition.empty() ? "" : " AND ") + std::string("(") + list(table.primary_key) +
                 ") > (" + literals + ")";
  }
  if (!condition.empty()) select += " WHERE " + condition;
  // Without a key the rows' text orders them (json has no "<"), as the backups do.
  if (!read.any_order || read.after_key)
    select += table.primary_key.empty()
                  ? " ORDER BY ROW(" + list(names) + ")::pg_catalog.text COLLATE \"C\""
                  : " ORDER BY " + list(table.primary_key);

  std::vector<std::size_t> key_at;  // where each key column is among the columns read
  for (const auto& key : table.primary_key)
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == key) key_at.push_back(i);

  const bool own_transaction = !connection.in_transaction();
  if (own_transaction) connection.begin();
  try {
    std::vector<std::string> before;
    for (const Row& row : connection
                              .query("SELECT current_setting('DateStyle'), "
                                     "current_setting('TimeZone'), "
                                     "current_setting('bytea_output'), "
                                     "current_setting('extra_float_digits'), "
                                     "current_setting('IntervalStyle')")
                              .rows)
      for (const auto& value : row) before.push_back(value.value_or(""));
    set_all(connection, std::vector<std::string>(std::begin(kFixed), std::end(kFixed)));

    const std::size_t batch_rows = read.batch_rows ? read.batch_rows : 10000;
    std::vector<data::Row> batch;
    batch.reserve(batch_rows);
    std::size_t number = 0;
    {
      pqxx::nontransaction work(native);  // inside the Connection's transaction
      pqxx::stream_from stream(work, "(" + select + ")");
      std::string line, scratch;
      try {
        while (stream.get_raw_line(line)) {
          if (!line.empty() && line.back() == '\n') line.pop_back();
          ++number;
          // Each field is turned into its portable value where it lies in the line; a field
          // that is refused is named from the line split the slow way (the message's value
          // is the unescaped text).
          auto wrong_count = [&](std::size_t fields) {
            return std::runtime_error("table " + table.name + ": COPY gave " +
                                      std::to_string(fields) + " fields for " +
                                      std::to_string(columns.size()) + " columns");
          };
          data::Row row;
          row.reserve(columns.size());
          std::string_view rest = line;
          std::size_t i = 0;
          try {
            for (; i < columns.size(); ++i) {
              std::size_t tab = rest.find('\t');
              if ((tab == std::string_view::npos) != (i + 1 == columns.size())) break;
              row.push_back(
                  postgresql_data::read_copy_field(rest.substr(0, tab), columns[i]->type, scratch));
              rest.remove_prefix(tab == std::string_view::npos ? rest.size() : tab + 1);
            }
          } catch (const std::invalid_argument& error) {
            std::vector<data::Value> fields = postgresql_data::split_copy_line(line);
            if (fields.size() != columns.size()) throw wrong_count(fields.size());
            std::string key = "#" + std::to_string(number);
            if (!key_at.empty() && key_at.size() == table.primary_key.size()) {
              data::Row raw;
              for (std::size_t at : key_at) raw.push_back(fields[at]);
              key = data::portable::row_key(table, table.primary_key, raw, number);
            }
            throw data::ValueError(table.name, key, columns[i]->name,
                                   data::portable::shortened(fields[i].value_or("")), error.what());
          }
          if (i != columns.size()) throw wrong_count(postgresql_data::split_copy_line(line).size());
          batch.push_back(std::move(row));
          if (batch.size() >= batch_rows) {
            sink(std::move(batch));
            batch = {};
            batch.reserve(batch_rows);
          }
        }
        stream.complete();
      } catch (...) {
        // The server is still sending: stop it, and read what is left so that the connection is
        // usable (its transaction is then aborted, as after any failed statement).
        try {
          native.cancel_query();
          while (stream.get_raw_line(line)) {
          }
        } catch (...) {
        }
        throw;
      }
    }
    if (!batch.empty()) sink(std::move(batch));
    set_all(connection, before);
    if (own_transaction) connection.commit();
  } catch (...) {
    if (own_transaction) {
      try {
        connection.rollback();
      } catch (...) {
      }
    } else {
      // Let the Connection learn that its transaction failed (a cancelled COPY aborts it), so
      // that the caller's COMMIT reports it instead of the server's silent ROLLBACK.
      try {
        connection.execute("SELECT 1");
      } catch (...) {
      }
    }
    throw;
  }
}

}  // namespace migpkg::runtime
